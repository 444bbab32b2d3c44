package org.vnetlab.emulator.guest;

import java.util.Locale;

/**
 * IPv6 addresses as nslookup and dig print them (RFC 5952: lower case, no leading zeros, the longest run
 * of two or more zero groups shortened to "::"). vnetlab carries no IPv6 traffic; resolvers still answer AAAA.
 */
final class Ipv6Text {
    private Ipv6Text() {}

    /** Compresses an address given in full or partly compressed form. */
    static String compress(String text) {
        int[] groups = expand(text);
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') b.append(':');
            b.append(Integer.toHexString(groups[i]));
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    private static int[] expand(String text) {
        String[] halves = text.split("::", -1);
        if (halves.length > 2) throw new IllegalArgumentException("not an IPv6 address: " + text);
        String[] head = halves[0].isEmpty() ? new String[0] : halves[0].split(":");
        String[] tail = halves.length == 2 && !halves[1].isEmpty() ? halves[1].split(":") : new String[0];
        if (halves.length == 1 && head.length != 8) throw new IllegalArgumentException("not an IPv6 address: " + text);
        int[] g = new int[8];
        for (int i = 0; i < head.length; i++) g[i] = Integer.parseInt(head[i], 16);
        for (int i = 0; i < tail.length; i++) g[8 - tail.length + i] = Integer.parseInt(tail[i], 16);
        return g;
    }
}
