package org.vnetlab.emulator.conntrack;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The few IPv4 header facts conntrack and NAT read, taken once from the bytes of a datagram (which may be
 * the truncated copy quoted inside an ICMP error). Offsets are relative to {@code offset} in {@code buf}.
 */
public record Datagram(ByteBuf buf, int offset, int available, int headerLength, int totalLength, int protocol,
                       Ipv4Address source, Ipv4Address destination, int fragmentOffset, boolean moreFragments) {
    static final int TOTAL_LENGTH = 2, FLAGS_FRAGMENT = 6, TTL = 8, PROTOCOL = 9, CHECKSUM = 10, SOURCE = 12,
            DESTINATION = 16;

    /**
     * Reads the header at {@code offset}; {@code available} is how many bytes of the datagram are present
     * (less than the total length for a quoted datagram). Empty when not even a valid IPv4 header is there.
     */
    public static Optional<Datagram> read(ByteBuf buf, int offset, int available) {
        if (available < 20 || offset + available > buf.writerIndex()) return Optional.empty();
        int vihl = buf.getUnsignedByte(offset);
        int ihl = (vihl & 0x0f) * 4;
        if ((vihl >>> 4) != 4 || ihl < 20 || ihl > available) return Optional.empty();
        int total = buf.getUnsignedShort(offset + TOTAL_LENGTH);
        if (total < ihl) return Optional.empty();
        int ff = buf.getUnsignedShort(offset + FLAGS_FRAGMENT);
        return Optional.of(new Datagram(buf, offset, Math.min(available, total), ihl, total,
                buf.getUnsignedByte(offset + PROTOCOL), Ipv4Address.read(buf, offset + SOURCE),
                Ipv4Address.read(buf, offset + DESTINATION), (ff & 0x1fff) * 8, (ff & 0x2000) != 0));
    }

    /** A whole datagram: the buffer's readable bytes from its reader index. */
    public static Optional<Datagram> read(ByteBuf buf) {
        return read(buf, buf.readerIndex(), buf.readableBytes());
    }

    public int l4Offset() { return offset + headerLength; }

    /** Transport bytes present (header and payload, up to what is available). */
    public int l4Available() { return available - headerLength; }

    /** Transport length as the IP header declares it. */
    public int l4Length() { return totalLength - headerLength; }

    public boolean isLaterFragment() { return fragmentOffset != 0; }

    public int ttl() { return buf.getUnsignedByte(offset + TTL); }

    /**
     * The tuple of this datagram (nf_ct_get_tuple), or empty when the transport header needed for it is not
     * there. Non-first fragments carry no ports; the caller handles those (conntrack reassembles first).
     */
    public Optional<ConntrackTuple> tuple() {
        int l4 = l4Offset();
        int have = l4Available();
        if (protocol == ConntrackTuple.ICMP) {
            if (have < 8) return Optional.empty();
            int type = buf.getUnsignedByte(l4);
            int code = buf.getUnsignedByte(l4 + 1);
            int id = buf.getUnsignedShort(l4 + 4);
            return Optional.of(ConntrackTuple.icmp(source, destination, type, code, id));
        }
        if (ConntrackTuple.hasPorts(protocol)) {
            if (have < 4) return Optional.empty();
            return Optional.of(ConntrackTuple.ports(protocol, source, buf.getUnsignedShort(l4), destination,
                    buf.getUnsignedShort(l4 + 2)));
        }
        return Optional.of(ConntrackTuple.generic(protocol, source, destination));
    }
}
