package org.vnetlab.protocols.icmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/**
 * How Linux builds an ICMP error about a datagram (net/ipv4/icmp.c, __icmp_send), for REJECT, TTL expiry
 * and unreachable routes:
 * <ul>
 *   <li>quote as much of the offending datagram as fits so that the error's IP packet is at most
 *       min(route MTU, 576) bytes: room = min(mtu, 576) − 20 − reply options − 8; no error at all when the
 *       room would not hold more than an IP header;</li>
 *   <li>TOS = (original TOS &amp; IPTOS_TOS_MASK 0x1e) | IPTOS_PREC_INTERNETCONTROL 0xc0;</li>
 *   <li>TTL from the sender's default (64), DF clear (the ICMP socket does not do path-MTU discovery);</li>
 *   <li>never about a non-first fragment, nor about an ICMP error or an ICMP type the kernel does not know.</li>
 * </ul>
 * IP options of the original are not echoed into the reply (Linux echoes record-route/timestamp/source-route
 * options): errors are built without options and the room is computed for a 20-byte header.
 */
public final class IcmpErrors {
    /** RFC 1812 4.3.2.3 / RFC 791 minimum reassembly size: the cap on an ICMP error's IP length. */
    public static final int MAX_ERROR_LENGTH = 576;
    /** Linux's NR_ICMP_TYPES: an error is not sent about an ICMP message of a higher type. */
    static final int HIGHEST_KNOWN_TYPE = 18;
    private static final int TOS_MASK = 0x1e;
    private static final int PREC_INTERNETCONTROL = 0xc0;

    private IcmpErrors() {}

    /** The TOS byte Linux gives an ICMP error about a datagram carrying {@code originalTos}. */
    public static int tos(int originalTos) { return (originalTos & TOS_MASK) | PREC_INTERNETCONTROL; }

    /**
     * Bytes of the original datagram an error quotes, or -1 when the route's MTU leaves no room for more than
     * an IP header (Linux then sends nothing).
     */
    public static int quoteLength(int originalLength, int routeMtu) {
        int room = Math.min(routeMtu, MAX_ERROR_LENGTH) - Ipv4Packet.MIN_HEADER_LENGTH - IcmpPacket.HEADER_LENGTH;
        if (room <= Ipv4Packet.MIN_HEADER_LENGTH) return -1;
        return Math.min(originalLength, room);
    }

    /** The quote from {@code originalIpDatagram}'s readable bytes (IP header first, no link-layer padding). */
    public static byte[] quote(ByteBuf originalIpDatagram, int routeMtu) {
        int length = quoteLength(originalIpDatagram.readableBytes(), routeMtu);
        if (length < 0) throw new IllegalArgumentException("route MTU " + routeMtu + " leaves no room to quote an IP header");
        return ByteBufUtil.getBytes(originalIpDatagram, originalIpDatagram.readerIndex(), length);
    }

    public static byte[] quote(Ipv4Packet original, int routeMtu) { return quote(original.buffer(), routeMtu); }

    /**
     * Whether Linux would answer this datagram with an ICMP error at all: not for a non-first fragment, and
     * not for an ICMP error or unknown ICMP type (RFC 1122 3.2.2). Destination broadcast/multicast, also
     * excluded by the kernel, depends on routing and is the caller's check.
     */
    public static boolean mayAnswerWithError(Ipv4Packet original) {
        if (original.fragmentOffset() != 0) return false;
        if (original.protocol().equals(IpProtocol.ICMP)) {
            ByteBuf inner = original.payload();
            if (inner.readableBytes() < 1) return false;
            int type = inner.getUnsignedByte(inner.readerIndex());
            return type <= HIGHEST_KNOWN_TYPE && !IcmpType.isError(type);
        }
        return true;
    }

    /** A destination-unreachable error quoting {@code original} as Linux does. */
    public static IcmpMessage.DestinationUnreachable destinationUnreachable(int code, Ipv4Packet original, int routeMtu) {
        return new IcmpMessage.DestinationUnreachable(code, quote(original, routeMtu));
    }

    /** A fragmentation-needed error announcing {@code nextHopMtu}. */
    public static IcmpMessage.DestinationUnreachable fragmentationNeeded(int nextHopMtu, Ipv4Packet original, int routeMtu) {
        return new IcmpMessage.DestinationUnreachable(IcmpCode.FRAGMENTATION_NEEDED, nextHopMtu, quote(original, routeMtu));
    }

    public static IcmpMessage.TimeExceeded timeExceeded(int code, Ipv4Packet original, int routeMtu) {
        return new IcmpMessage.TimeExceeded(code, quote(original, routeMtu));
    }

    /**
     * The IP header of an error from {@code source} back to the original's sender: TOS per {@link #tos},
     * {@code ttl} (64 by Linux's default), the given identification, DF clear, no options.
     */
    public static Ipv4Header header(Ipv4Address source, Ipv4Packet original, int identification, int ttl, IcmpMessage error) {
        return new Ipv4Header(tos(original.tos()), identification, false, false, 0, ttl, IpProtocol.ICMP, source,
                original.source(), new byte[0], error.length());
    }
}
