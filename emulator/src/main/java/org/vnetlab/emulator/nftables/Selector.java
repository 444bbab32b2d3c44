package org.vnetlab.emulator.nftables;

import java.util.Optional;

/**
 * What a match looks at: a header field (payload), packet metadata, conntrack or a route lookup (fib). Each
 * has the nft text {@code nft list} prints, a data type and, for transport header fields, the protocol nft
 * makes the rule depend on (an implicit {@code meta l4proto} match; {@code th} has none).
 */
public enum Selector {
    IP_SADDR("ip saddr", DataType.IPV4_ADDR, Layer.NETWORK, 0),
    IP_DADDR("ip daddr", DataType.IPV4_ADDR, Layer.NETWORK, 0),
    IP_PROTOCOL("ip protocol", DataType.INET_PROTO, Layer.NETWORK, 0),
    IP6_SADDR("ip6 saddr", DataType.IPV6_ADDR, Layer.NETWORK6, 0),
    IP6_DADDR("ip6 daddr", DataType.IPV6_ADDR, Layer.NETWORK6, 0),
    TCP_SPORT("tcp sport", DataType.INET_SERVICE, Layer.TRANSPORT, 6),
    TCP_DPORT("tcp dport", DataType.INET_SERVICE, Layer.TRANSPORT, 6),
    TCP_FLAGS("tcp flags", DataType.TCP_FLAG, Layer.TRANSPORT, 6),
    UDP_SPORT("udp sport", DataType.INET_SERVICE, Layer.TRANSPORT, 17),
    UDP_DPORT("udp dport", DataType.INET_SERVICE, Layer.TRANSPORT, 17),
    TH_SPORT("th sport", DataType.INET_SERVICE, Layer.TRANSPORT, 0),
    TH_DPORT("th dport", DataType.INET_SERVICE, Layer.TRANSPORT, 0),
    /**
     * The first 32 bits of the transport header ({@code @th,0,32}): what nft makes of {@code th sport X th dport Y}
     * (it merges adjacent payload matches and has no protocol to print them back by).
     */
    TH_PORTS("@th,0,32", DataType.RAW, Layer.TRANSPORT, 0),
    ICMP_TYPE("icmp type", DataType.ICMP_TYPE, Layer.TRANSPORT, 1),
    ICMP_CODE("icmp code", DataType.ICMP_CODE, Layer.TRANSPORT, 1),
    META_IIF("iif", DataType.IFACE, Layer.META, 0),
    META_OIF("oif", DataType.IFACE, Layer.META, 0),
    META_IIFNAME("iifname", DataType.IFNAME, Layer.META, 0),
    META_OIFNAME("oifname", DataType.IFNAME, Layer.META, 0),
    META_L4PROTO("meta l4proto", DataType.INET_PROTO, Layer.META, 0),
    META_NFPROTO("meta nfproto", DataType.NFPROTO, Layer.META, 0),
    META_MARK("meta mark", DataType.MARK, Layer.META, 0),
    META_PKTTYPE("meta pkttype", DataType.PKTTYPE, Layer.META, 0),
    CT_STATE("ct state", DataType.CT_STATE, Layer.CT, 0),
    CT_STATUS("ct status", DataType.CT_STATUS, Layer.CT, 0),
    CT_DIRECTION("ct direction", DataType.CT_DIR, Layer.CT, 0),
    CT_MARK("ct mark", DataType.MARK, Layer.CT, 0),
    FIB_DADDR_TYPE("fib daddr type", DataType.FIB_ADDRTYPE, Layer.FIB, 0),
    FIB_SADDR_TYPE("fib saddr type", DataType.FIB_ADDRTYPE, Layer.FIB, 0);

    /** Where the value comes from. */
    public enum Layer { NETWORK, NETWORK6, TRANSPORT, META, CT, FIB }

    private final String text;
    private final DataType type;
    private final Layer layer;
    private final int protocol;

    Selector(String text, DataType type, Layer layer, int protocol) {
        this.text = text;
        this.type = type;
        this.layer = layer;
        this.protocol = protocol;
    }

    public String text() { return text; }

    public DataType type() { return type; }

    public Layer layer() { return layer; }

    /** The transport protocol this field belongs to (tcp 6, udp 17, icmp 1), if it needs one. */
    public Optional<Integer> protocol() { return protocol == 0 ? Optional.empty() : Optional.of(protocol); }

    /** The selector {@code typeof} names, by its nft text. */
    public static Optional<Selector> ofText(String text) {
        for (Selector s : values()) if (s.text.equals(text)) return Optional.of(s);
        return Optional.empty();
    }

    @Override
    public String toString() { return text; }
}
