package org.vnetlab.protocols.ipv4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * An IPv4 header as a value. The checksum is not held: {@link #emit} computes it. The fragment offset is in
 * bytes (a multiple of 8). {@code options} are the raw option bytes, a multiple of 4 long, at most 40.
 * The reserved ("evil") flag bit is not represented and is emitted as 0.
 */
public record Ipv4Header(int tos, int identification, boolean dontFragment, boolean moreFragments,
                         int fragmentOffset, int ttl, IpProtocol protocol, Ipv4Address source,
                         Ipv4Address destination, byte[] options, int payloadLength) {

    private static final byte[] NO_OPTIONS = new byte[0];
    /** Linux's default (sysctl net.ipv4.ip_default_ttl). */
    public static final int DEFAULT_TTL = 64;

    public Ipv4Header {
        if (protocol == null || source == null || destination == null || options == null) throw new NullPointerException("IPv4 field");
        if (tos < 0 || tos > 0xff) throw new IllegalArgumentException("TOS out of 8 bits: " + tos);
        if (identification < 0 || identification > 0xffff) throw new IllegalArgumentException("identification out of 16 bits: " + identification);
        if (fragmentOffset < 0 || fragmentOffset % 8 != 0 || fragmentOffset / 8 > Ipv4Packet.OFFSET_MASK) {
            throw new IllegalArgumentException("fragment offset must be a multiple of 8 below 65536: " + fragmentOffset);
        }
        if (ttl < 0 || ttl > 0xff) throw new IllegalArgumentException("TTL out of 8 bits: " + ttl);
        if (options.length % 4 != 0 || options.length > Ipv4Packet.MAX_HEADER_LENGTH - Ipv4Packet.MIN_HEADER_LENGTH) {
            throw new IllegalArgumentException("options must be a multiple of 4 bytes, at most 40: " + options.length);
        }
        if (payloadLength < 0 || Ipv4Packet.MIN_HEADER_LENGTH + options.length + payloadLength > 0xffff) {
            throw new IllegalArgumentException("payload length out of range: " + payloadLength);
        }
        options = options.clone();
    }

    /** A header without options, not fragmented, with a given DF flag. */
    public static Ipv4Header of(Ipv4Address source, Ipv4Address destination, IpProtocol protocol, int ttl,
                                int identification, boolean dontFragment, int payloadLength) {
        return new Ipv4Header(0, identification, dontFragment, false, 0, ttl, protocol, source, destination, NO_OPTIONS, payloadLength);
    }

    public static Ipv4Header parse(Ipv4Packet p) {
        byte[] options = ByteBufUtil.getBytes(p.options());
        return new Ipv4Header(p.tos(), p.identification(), p.dontFragment(), p.moreFragments(), p.fragmentOffset(),
                p.ttl(), p.protocol(), p.source(), p.destination(), options, p.totalLength() - p.headerLength());
    }

    @Override
    public byte[] options() { return options.clone(); }

    public int length() { return Ipv4Packet.MIN_HEADER_LENGTH + options.length; }

    public int totalLength() { return length() + payloadLength; }

    public Ipv4Header withPayloadLength(int length) {
        return new Ipv4Header(tos, identification, dontFragment, moreFragments, fragmentOffset, ttl, protocol, source, destination, options, length);
    }

    public Ipv4Header withProtocol(IpProtocol p) {
        return new Ipv4Header(tos, identification, dontFragment, moreFragments, fragmentOffset, ttl, p, source, destination, options, payloadLength);
    }

    public Ipv4Header withIdentification(int id) {
        return new Ipv4Header(tos, id, dontFragment, moreFragments, fragmentOffset, ttl, protocol, source, destination, options, payloadLength);
    }

    /** The same header as a fragment (or, with false and 0, as a whole datagram). */
    public Ipv4Header withFragment(boolean more, int offset) {
        return new Ipv4Header(tos, identification, dontFragment, more, offset, ttl, protocol, source, destination, options, payloadLength);
    }

    public Ipv4Header withTtl(int newTtl) {
        return new Ipv4Header(tos, identification, dontFragment, moreFragments, fragmentOffset, newTtl, protocol, source, destination, options, payloadLength);
    }

    public Ipv4Header withTos(int newTos) {
        return new Ipv4Header(newTos, identification, dontFragment, moreFragments, fragmentOffset, ttl, protocol, source, destination, options, payloadLength);
    }

    /** Writes {@link #length()} bytes at absolute {@code index}, checksum included. */
    public void emit(ByteBuf buf, int index) {
        int length = length();
        buf.setByte(index, 0x40 | (length / 4));
        buf.setByte(index + 1, tos);
        buf.setShort(index + 2, totalLength());
        buf.setShort(index + 4, identification);
        buf.setShort(index + 6, (dontFragment ? Ipv4Packet.FLAG_DF : 0) | (moreFragments ? Ipv4Packet.FLAG_MF : 0) | fragmentOffset / 8);
        buf.setByte(index + 8, ttl);
        buf.setByte(index + 9, protocol.value());
        buf.setShort(index + 10, 0);
        source.write(buf, index + 12);
        destination.write(buf, index + 16);
        buf.setBytes(index + 20, options);
        buf.setShort(index + 10, InternetChecksum.compute(buf, index, length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Header h && h.tos == tos && h.identification == identification
                && h.dontFragment == dontFragment && h.moreFragments == moreFragments
                && h.fragmentOffset == fragmentOffset && h.ttl == ttl && h.protocol.equals(protocol)
                && h.source.equals(source) && h.destination.equals(destination)
                && Arrays.equals(h.options, options) && h.payloadLength == payloadLength;
    }

    @Override
    public int hashCode() {
        return ((source.hashCode() * 31 + destination.hashCode()) * 31 + protocol.hashCode()) * 31 + identification * 7 + ttl;
    }

    @Override
    public String toString() {
        return "Ipv4Header[" + source + " > " + destination + ", " + protocol + ", tos 0x" + Integer.toHexString(tos)
                + ", ttl " + ttl + ", id " + identification + (dontFragment ? ", DF" : "") + (moreFragments ? ", MF" : "")
                + (fragmentOffset != 0 ? ", offset " + fragmentOffset : "")
                + (options.length > 0 ? ", options " + ByteBufUtil.hexDump(options) : "") + ", payload " + payloadLength + "]";
    }
}
