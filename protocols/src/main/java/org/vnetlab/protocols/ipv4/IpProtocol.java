package org.vnetlab.protocols.ipv4;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The IPv4 protocol number as an open enum, named as in /etc/protocols (netbase), which is what
 * iptables' {@code -p NAME} resolves through and what {@code iptables-save} prints for the common ones.
 * {@link #of(int)} never throws for an unknown number within 0..255; the value is kept.
 */
public final class IpProtocol {
    private static final Map<Integer, IpProtocol> BY_NUMBER = new HashMap<>();
    private static final Map<String, IpProtocol> BY_NAME = new HashMap<>();

    public static final IpProtocol IP = define(0, "ip");
    public static final IpProtocol ICMP = define(1, "icmp");
    public static final IpProtocol IGMP = define(2, "igmp");
    public static final IpProtocol IPENCAP = define(4, "ipencap");
    public static final IpProtocol TCP = define(6, "tcp");
    public static final IpProtocol EGP = define(8, "egp");
    public static final IpProtocol UDP = define(17, "udp");
    public static final IpProtocol DCCP = define(33, "dccp");
    public static final IpProtocol IPV6 = define(41, "ipv6");
    public static final IpProtocol IPV6_ROUTE = define(43, "ipv6-route");
    public static final IpProtocol IPV6_FRAG = define(44, "ipv6-frag");
    public static final IpProtocol RSVP = define(46, "rsvp");
    public static final IpProtocol GRE = define(47, "gre");
    public static final IpProtocol ESP = define(50, "esp");
    public static final IpProtocol AH = define(51, "ah");
    public static final IpProtocol IPV6_ICMP = define(58, "ipv6-icmp");
    public static final IpProtocol IPV6_NONXT = define(59, "ipv6-nonxt");
    public static final IpProtocol IPV6_OPTS = define(60, "ipv6-opts");
    public static final IpProtocol EIGRP = define(88, "eigrp");
    public static final IpProtocol OSPF = define(89, "ospf");
    public static final IpProtocol IPIP = define(94, "ipip");
    public static final IpProtocol ETHERIP = define(97, "etherip");
    public static final IpProtocol ENCAP = define(98, "encap");
    public static final IpProtocol PIM = define(103, "pim");
    public static final IpProtocol IPCOMP = define(108, "ipcomp");
    public static final IpProtocol VRRP = define(112, "vrrp");
    public static final IpProtocol L2TP = define(115, "l2tp");
    public static final IpProtocol ISIS = define(124, "isis");
    public static final IpProtocol SCTP = define(132, "sctp");
    public static final IpProtocol FC = define(133, "fc");
    public static final IpProtocol MOBILITY_HEADER = define(135, "mobility-header");
    public static final IpProtocol UDPLITE = define(136, "udplite");
    public static final IpProtocol MPLS_IN_IP = define(137, "mpls-in-ip");
    public static final IpProtocol HIP = define(139, "hip");
    public static final IpProtocol SHIM6 = define(140, "shim6");
    public static final IpProtocol WESP = define(141, "wesp");
    public static final IpProtocol ROHC = define(142, "rohc");
    public static final IpProtocol ETHERNET = define(143, "ethernet");

    static {
        // Aliases iptables accepts beside the /etc/protocols names (its built-in table).
        BY_NAME.put("icmpv6", IPV6_ICMP);
        BY_NAME.put("mh", MOBILITY_HEADER);
    }

    private final int value;
    private final String name;

    private IpProtocol(int value, String name) {
        this.value = value;
        this.name = name;
    }

    private static IpProtocol define(int value, String name) {
        IpProtocol p = new IpProtocol(value, name);
        BY_NUMBER.put(value, p);
        BY_NAME.put(name, p);
        return p;
    }

    public static IpProtocol of(int value) {
        if (value < 0 || value > 255) throw new IllegalArgumentException("IP protocol out of 8 bits: " + value);
        IpProtocol known = BY_NUMBER.get(value);
        return known != null ? known : new IpProtocol(value, Integer.toString(value));
    }

    /** The protocol known by this /etc/protocols name (case-insensitive), or empty. */
    public static Optional<IpProtocol> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
    }

    public int value() { return value; }

    /** The /etc/protocols name, or the decimal number for an unnamed protocol. */
    public String name() { return name; }

    @Override
    public boolean equals(Object o) { return o instanceof IpProtocol p && p.value == value; }

    @Override
    public int hashCode() { return value; }

    @Override
    public String toString() { return name; }
}
