package org.vnetlab.emulator.dnsmasq;

import java.util.Locale;

/** Host name rules as dnsmasq applies them (util.c legal_hostname, hostname_isequal). */
final class Hostnames {
    private Hostnames() {}

    /** Letters, digits, '-' and '_' in dot-separated labels; no empty label except a final dot. */
    static boolean isLegal(String name) {
        if (name.isEmpty() || name.length() > 255) return false;
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty()) return false;
        for (String label : n.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) return false;
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok) return false;
            }
        }
        return true;
    }

    /** Case-insensitive, a final dot ignored: how dnsmasq compares names. */
    static String key(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }

    static boolean equal(String a, String b) { return key(a).equals(key(b)); }

    /** The first label: dnsmasq keeps only it as a DHCP client's name (strip_hostname). */
    static String firstLabel(String name) {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }
}
