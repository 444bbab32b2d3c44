package org.vnetlab.scenarios.expect;

import java.util.Locale;
import java.util.Optional;

/** Names of ICMP destination-unreachable codes (RFC 792, RFC 1812), in the words expectations use. */
public final class IcmpCodes {
    private IcmpCodes() {}

    private static final String[] NAMES = {
        "net", "host", "protocol", "port", "frag-needed", "source-route-failed", "net-unknown", "host-unknown",
        "source-host-isolated", "net-prohibited", "host-prohibited", "net-tos", "host-tos", "admin-prohibited",
        "host-precedence-violation", "precedence-cutoff"
    };

    public static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "code " + code;
    }

    /**
     * The code for a name; accepts {@code port}, {@code port-unreachable} and iptables' {@code
     * icmp-port-unreachable} alike, and {@code proto} for {@code protocol}.
     */
    public static Optional<Integer> code(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("icmp-")) n = n.substring(5);
        if (n.endsWith("-unreachable")) n = n.substring(0, n.length() - "-unreachable".length());
        if (n.equals("proto")) n = "protocol";
        if (n.equals("network")) n = "net";
        for (int i = 0; i < NAMES.length; i++) if (NAMES[i].equals(n)) return Optional.of(i);
        return Optional.empty();
    }

    public static String known() { return String.join(", ", NAMES); }
}
