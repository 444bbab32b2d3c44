package org.vnetlab.emulator.netfilter.iptables;

import java.util.OptionalLong;

/** C number parsing as iptables does it (strtoul with base 0), so {@code 0x10} and {@code 010} mean what they mean there. */
final class Numbers {
    private Numbers() {}

    /**
     * xtables_strtoul with base 0 and no trailing garbage: leading blanks allowed, no minus sign,
     * {@code 0x} hex, leading {@code 0} octal, else decimal; empty when invalid or outside [min, max].
     */
    static OptionalLong strtoul(String s, long min, long max) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        if (i < s.length() && s.charAt(i) == '+') i++;
        int radix = 10;
        if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
            radix = 16;
            i += 2;
            // strtoul accepts "0x" with no digits as 0 followed by garbage "x"; treat as invalid either way
        } else if (s.startsWith("0", i) && i + 1 < s.length()) {
            radix = 8;
            i += 1;
        }
        if (i >= s.length()) return s.trim().equals("0") ? check(0, min, max) : OptionalLong.empty();
        long v = 0;
        for (; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), radix);
            if (d < 0) return OptionalLong.empty();
            v = v * radix + d;
            if (v > 0xffff_ffffL * 16) return OptionalLong.empty();
        }
        return check(v, min, max);
    }

    private static OptionalLong check(long v, long min, long max) {
        return v >= min && v <= max ? OptionalLong.of(v) : OptionalLong.empty();
    }

    /** C atoi: optional blanks and sign, then the leading digits; 0 if none. */
    static long atoi(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) neg = s.charAt(i++) == '-';
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)) && v < Integer.MAX_VALUE) v = v * 10 + (s.charAt(i++) - '0');
        return neg ? -v : v;
    }
}
