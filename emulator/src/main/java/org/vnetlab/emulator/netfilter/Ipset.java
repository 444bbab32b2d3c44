package org.vnetlab.emulator.netfilter;

import java.util.List;
import org.vnetlab.protocols.Ipv4Address;

/**
 * One ipset as {@code ipset save} describes it: name, type and members. Only the types a packet can be tested
 * against here exist (hash:ip, hash:net, hash:ip,port); bitmap and list types are refused where the set is read.
 */
public record Ipset(String name, Type type, List<Member> members) {

    public Ipset { members = List.copyOf(members); }

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
    }

    /**
     * One member: an address with a prefix length (32 for hash:ip and hash:ip,port), for hash:ip,port a protocol
     * number and port, and hash:net's {@code nomatch} flag (an exception carved out of a larger net).
     */
    public record Member(Ipv4Address address, int prefixLength, int protocol, int port, boolean nomatch) {
        public boolean contains(Ipv4Address a) { return a.inPrefix(address, prefixLength); }
    }
}
