package org.vnetlab.emulator.conntrack;

/** Protocol names as conntrack(8) prints them (the kernel's l4proto names, "unknown" for the generic one). */
public final class ConntrackProtocols {
    private ConntrackProtocols() {}

    public static String name(int protocol) {
        return switch (protocol) {
            case ConntrackTuple.TCP -> "tcp";
            case ConntrackTuple.UDP -> "udp";
            case ConntrackTuple.ICMP -> "icmp";
            case ConntrackTuple.SCTP -> "sctp";
            case ConntrackTuple.UDPLITE -> "udplite";
            case ConntrackTuple.DCCP -> "dccp";
            case 47 -> "gre";
            default -> "unknown";
        };
    }
}
