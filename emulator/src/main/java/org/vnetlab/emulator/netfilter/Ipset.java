package org.vnetlab.emulator.netfilter;

import java.util.List;
import java.util.Map;
import org.vnetlab.protocols.Ipv4Address;

/**
 * One ipset as {@code ipset save} describes it: name, type, members, and the create line's options as ipset
 * printed them (kept for {@code ipset list|save}; the options that change matching are checked where the set is
 * read). Only the types a packet can be tested against here exist (hash:ip, hash:net, hash:ip,port); bitmap,
 * list and the other hash types are refused where the set is read.
 */
public record Ipset(String name, Type type, List<Member> members, String header) {
    /** What ipset 7.17 prints for {@code ipset create NAME hash:...} without options (initval aside: it is random). */
    public static final String DEFAULT_HEADER = "family inet hashsize 1024 maxelem 65536 bucketsize 12";

    public Ipset { members = List.copyOf(members); }

    public Ipset(String name, Type type, List<Member> members) { this(name, type, members, DEFAULT_HEADER); }

    /** The set types vnetlab models, with the number of packet dimensions each compares. */
    public enum Type {
        HASH_IP("hash:ip", 1), HASH_NET("hash:net", 1), HASH_IP_PORT("hash:ip,port", 2);

        private final String text;
        private final int dimensions;

        Type(String text, int dimensions) {
            this.text = text;
            this.dimensions = dimensions;
        }

        public String text() { return text; }

        public int dimensions() { return dimensions; }

        public static java.util.Optional<Type> of(String text) {
            for (Type t : values()) if (t.text.equals(text)) return java.util.Optional.of(t);
            return java.util.Optional.empty();
        }
    }

    /**
     * One member: an address with a prefix length (32 for hash:ip and hash:ip,port), for hash:ip,port a protocol
     * number and port (ICMP: type &lt;&lt; 8 | code), and hash:net's {@code nomatch} flag (an exception carved out
     * of a larger net).
     */
    public record Member(Ipv4Address address, int prefixLength, int protocol, int port, boolean nomatch) {
        public boolean contains(Ipv4Address a) { return a.inPrefix(address, prefixLength); }

        /** The element as {@code ipset save} prints it in a set of {@code type} ({@code 10.0.0.0/8 nomatch}, {@code 1.2.3.4,tcp:22}). */
        public String text(Type type) {
            return switch (type) {
                case HASH_IP -> address.toString();
                case HASH_NET -> address + (prefixLength == 32 ? "" : "/" + prefixLength) + (nomatch ? " nomatch" : "");
                case HASH_IP_PORT -> address + "," + protocolText();
            };
        }

        private String protocolText() {
            String proto = IpProtocols.name(protocol).orElse(Integer.toString(protocol));
            if (protocol == 1) {
                for (Map.Entry<String, Integer> e : ICMP_NAMES.entrySet()) {
                    if (e.getValue() == port) return "icmp:" + e.getKey();
                }
                return "icmp:" + (port >> 8) + "/" + (port & 0xff);
            }
            return proto + ":" + port;
        }
    }

    /**
     * ipset's ICMP names (lib/icmp.c), type &lt;&lt; 8 | code, in its table order: printing takes the first name
     * of a value ({@code echo-request} rather than {@code ping}).
     */
    public static final Map<String, Integer> ICMP_NAMES = icmpNames();

    private static Map<String, Integer> icmpNames() {
        Object[][] t = {
                {"echo-reply", 0, 0}, {"pong", 0, 0}, {"network-unreachable", 3, 0}, {"host-unreachable", 3, 1},
                {"protocol-unreachable", 3, 2}, {"port-unreachable", 3, 3}, {"fragmentation-needed", 3, 4},
                {"source-route-failed", 3, 5}, {"network-unknown", 3, 6}, {"host-unknown", 3, 7},
                {"network-prohibited", 3, 9}, {"host-prohibited", 3, 10}, {"TOS-network-unreachable", 3, 11},
                {"TOS-host-unreachable", 3, 12}, {"communication-prohibited", 3, 13}, {"host-precedence-violation", 3, 14},
                {"precedence-cutoff", 3, 15}, {"source-quench", 4, 0}, {"network-redirect", 5, 0}, {"host-redirect", 5, 1},
                {"TOS-network-redirect", 5, 2}, {"TOS-host-redirect", 5, 3}, {"echo-request", 8, 0}, {"ping", 8, 0},
                {"router-advertisement", 9, 0}, {"router-solicitation", 10, 0}, {"ttl-zero-during-transit", 11, 0},
                {"ttl-zero-during-reassembly", 11, 1}, {"ip-header-bad", 12, 0}, {"required-option-missing", 12, 1},
                {"timestamp-request", 13, 0}, {"timestamp-reply", 14, 0}, {"address-mask-request", 17, 0},
                {"address-mask-reply", 18, 0}};
        Map<String, Integer> m = new java.util.LinkedHashMap<>();
        for (Object[] r : t) m.put((String) r[0], ((Integer) r[1] << 8) | (Integer) r[2]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
