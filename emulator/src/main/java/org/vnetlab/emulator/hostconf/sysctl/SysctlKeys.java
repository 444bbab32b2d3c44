package org.vnetlab.emulator.hostconf.sysctl;

/**
 * Key spelling. procps accepts {@code net.ipv4.ip_forward} and {@code net/ipv4/ip_forward}; in the dotted
 * form a dot inside a name (interface {@code eth0.100}) is written {@code /}: the canonical key is
 * {@code net.ipv4.conf.eth0/100.rp_filter}, its file {@code /proc/sys/net/ipv4/conf/eth0.100/rp_filter}.
 */
public final class SysctlKeys {
    private SysctlKeys() {}

    /** The dotted form. A key containing '/' but no '.' before its first '/' is read as a path. */
    public static String canonical(String key) {
        String k = key.strip();
        if (k.startsWith("/proc/sys/")) k = k.substring("/proc/sys/".length());
        int slash = k.indexOf('/');
        int dot = k.indexOf('.');
        if (slash >= 0 && (dot < 0 || slash < dot)) {
            // path form: '/' separates, '.' is literal
            StringBuilder sb = new StringBuilder();
            for (char c : k.toCharArray()) sb.append(c == '/' ? '.' : c == '.' ? '/' : c);
            return sb.toString();
        }
        return k;
    }

    /** {@code /proc/sys/...} path of a canonical key, as procps names it in its messages. */
    public static String procPath(String canonical) {
        StringBuilder sb = new StringBuilder("/proc/sys/");
        for (char c : canonical.toCharArray()) sb.append(c == '.' ? '/' : c == '/' ? '.' : c);
        return sb.toString();
    }

    /** For {@code net.ipv4.conf.DEV.NAME}: DEV ({@code all}, {@code default} or an interface); else null. */
    static String confDevice(String key) {
        if (!key.startsWith("net.ipv4.conf.")) return null;
        String rest = key.substring("net.ipv4.conf.".length());
        int dot = rest.lastIndexOf('.');
        return dot <= 0 ? null : rest.substring(0, dot);
    }

    /** For {@code net.ipv4.conf.DEV.NAME}: NAME; else null. */
    static String confName(String key) {
        if (!key.startsWith("net.ipv4.conf.")) return null;
        int dot = key.lastIndexOf('.');
        return dot < "net.ipv4.conf.".length() ? null : key.substring(dot + 1);
    }

    static String conf(String dev, String name) { return "net.ipv4.conf." + dev.replace('.', '/') + "." + name; }

    /** The key with its device part replaced by {@code *}, as the catalogue lists device keys. */
    static String pattern(String key) {
        String dev = confDevice(key);
        if (dev != null) return "net.ipv4.conf.*." + confName(key);
        if (key.startsWith("net.ipv4.neigh.")) {
            String rest = key.substring("net.ipv4.neigh.".length());
            int dot = rest.lastIndexOf('.');
            if (dot > 0) return "net.ipv4.neigh.*." + rest.substring(dot + 1);
        }
        return key;
    }
}
