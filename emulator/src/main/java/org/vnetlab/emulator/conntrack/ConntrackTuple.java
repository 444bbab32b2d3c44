package org.vnetlab.emulator.conntrack;

import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/**
 * One direction of a connection as the kernel keys it (struct nf_conntrack_tuple): protocol, addresses and
 * the protocol's "ports". TCP/UDP/SCTP/UDPLITE/DCCP: the ports. ICMP: the echo identifier is the source key
 * and {@code type << 8 | code} the destination key (the kernel keeps type and code in the tuple, so a
 * request and its reply have different tuples: type 8 and type 0). Other protocols: addresses only.
 */
public record ConntrackTuple(int protocol, Ipv4Address source, Ipv4Address destination, int sourceKey,
                             int destinationKey) {
    public static final int ICMP = 1, TCP = 6, UDP = 17, DCCP = 33, SCTP = 132, UDPLITE = 136;

    public ConntrackTuple {
        if (protocol < 0 || protocol > 255) throw new IllegalArgumentException("protocol " + protocol);
        if (sourceKey < 0 || sourceKey > 0xffff || destinationKey < 0 || destinationKey > 0xffff) {
            throw new IllegalArgumentException("tuple keys are 16 bit");
        }
    }

    public static ConntrackTuple ports(int protocol, Ipv4Address source, int sourcePort, Ipv4Address destination,
                                       int destinationPort) {
        return new ConntrackTuple(protocol, source, destination, sourcePort, destinationPort);
    }

    public static ConntrackTuple icmp(Ipv4Address source, Ipv4Address destination, int type, int code, int id) {
        return new ConntrackTuple(ICMP, source, destination, id, (type << 8) | code);
    }

    public static ConntrackTuple generic(int protocol, Ipv4Address source, Ipv4Address destination) {
        return new ConntrackTuple(protocol, source, destination, 0, 0);
    }

    /** Protocols whose tuple carries 16-bit ports (nf_ct_port_tuple). */
    public static boolean hasPorts(int protocol) {
        return protocol == TCP || protocol == UDP || protocol == SCTP || protocol == UDPLITE || protocol == DCCP;
    }

    public boolean hasPorts() { return hasPorts(protocol); }

    public int sourcePort() { return sourceKey; }

    public int destinationPort() { return destinationKey; }

    public int icmpId() { return sourceKey; }

    public int icmpType() { return destinationKey >>> 8; }

    public int icmpCode() { return destinationKey & 0xff; }

    /**
     * The tuple of the other direction (nf_ct_invert_tuple). Empty for an ICMP type that has no reply type
     * (only echo, timestamp, info request and address mask requests/replies invert).
     */
    public Optional<ConntrackTuple> invert() {
        return invertible() ? Optional.of(inverted()) : Optional.empty();
    }

    /** Whether {@link #invert()} has a tuple: always, except ICMP types without a reply type. */
    public boolean invertible() { return protocol != ICMP || IcmpTypes.inverse(icmpType()) >= 0; }

    /** Like {@link #invert()} for a tuple known to be invertible (an entry's own tuples). */
    public ConntrackTuple inverted() {
        if (protocol == ICMP) {
            int replyType = IcmpTypes.inverse(icmpType());
            if (replyType < 0) throw new IllegalStateException("tuple has no inverse: " + this);
            return icmp(destination, source, replyType, icmpCode(), icmpId());
        }
        if (hasPorts()) return new ConntrackTuple(protocol, destination, source, destinationKey, sourceKey);
        return new ConntrackTuple(protocol, destination, source, 0, 0);
    }

    public ConntrackTuple withSource(Ipv4Address a, int key) {
        return new ConntrackTuple(protocol, a, destination, key, destinationKey);
    }

    public ConntrackTuple withDestination(Ipv4Address a, int key) {
        return new ConntrackTuple(protocol, source, a, sourceKey, key);
    }

    /** {@code src=… dst=… sport=… dport=…} as conntrack(8) prints one direction. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("src=").append(source).append(" dst=").append(destination);
        if (protocol == ICMP) {
            sb.append(" type=").append(icmpType()).append(" code=").append(icmpCode()).append(" id=").append(icmpId());
        } else if (hasPorts()) {
            sb.append(" sport=").append(sourceKey).append(" dport=").append(destinationKey);
        }
        return sb.toString();
    }

    @Override
    public String toString() { return ConntrackProtocols.name(protocol) + " " + format(); }
}
