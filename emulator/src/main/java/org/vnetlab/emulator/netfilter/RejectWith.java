package org.vnetlab.emulator.netfilter;

import java.util.List;
import java.util.Optional;

/**
 * {@code -j REJECT --reject-with}: the ICMP error (type 3 and the code) or TCP reset sent back. Names and
 * the short aliases are those libipt_REJECT accepts; the first name is the one iptables-save prints.
 */
public enum RejectWith {
    ICMP_NET_UNREACHABLE(0, "icmp-net-unreachable", "net-unreach"),
    ICMP_HOST_UNREACHABLE(1, "icmp-host-unreachable", "host-unreach"),
    ICMP_PROTO_UNREACHABLE(2, "icmp-proto-unreachable", "proto-unreach"),
    ICMP_PORT_UNREACHABLE(3, "icmp-port-unreachable", "port-unreach"),
    ICMP_NET_PROHIBITED(9, "icmp-net-prohibited", "net-prohib"),
    ICMP_HOST_PROHIBITED(10, "icmp-host-prohibited", "host-prohib"),
    ICMP_ADMIN_PROHIBITED(13, "icmp-admin-prohibited", "admin-prohib"),
    /** A TCP RST instead of an ICMP error; iptables only allows it with {@code -p tcp}. */
    TCP_RESET(-1, "tcp-reset", "tcp-rst");

    /** iptables' default when {@code --reject-with} is absent. */
    public static final RejectWith DEFAULT = ICMP_PORT_UNREACHABLE;

    private final int icmpCode;
    private final List<String> names;

    RejectWith(int icmpCode, String... names) {
        this.icmpCode = icmpCode;
        this.names = List.of(names);
    }

    /** ICMP destination-unreachable (type 3) code, or -1 for {@link #TCP_RESET}. */
    public int icmpCode() { return icmpCode; }

    public boolean isTcpReset() { return this == TCP_RESET; }

    /** The name iptables-save and {@code -L} print. */
    public String iptablesName() { return names.get(0); }

    public List<String> names() { return names; }

    public static Optional<RejectWith> of(String name) {
        for (RejectWith r : values()) if (r.names.contains(name)) return Optional.of(r);
        return Optional.empty();
    }
}
