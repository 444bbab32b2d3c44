package org.vnetlab.protocols.icmp;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/**
 * Zero-copy view of an ICMPv4 message (the IPv4 payload): type, code, checksum, the 4-byte rest of header
 * and the data after it. The checksum covers the whole message, no pseudo-header.
 */
public final class IcmpPacket {
    static final String LAYER = "icmp";
    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int REST = 4;
    private static final int IDENTIFIER = 4;
    private static final int SEQUENCE = 6;
    private static final int NEXT_HOP_MTU = 6;
    public static final int HEADER_LENGTH = 8;

    private final ByteBuf buf;

    private IcmpPacket(ByteBuf buf) { this.buf = buf; }

    /** Validates the readable bytes of {@code buf} (the whole message, e.g. {@code Ipv4Packet.payload()}). */
    public static IcmpPacket checked(ByteBuf buf) throws ParseException {
        ByteBuf b = buf.slice();
        if (b.readableBytes() < HEADER_LENGTH) throw ParseException.truncated(LAYER, "header", 0, HEADER_LENGTH, b.readableBytes());
        return new IcmpPacket(b);
    }

    public int type() { return buf.getUnsignedByte(TYPE); }
    public int code() { return buf.getUnsignedByte(CODE); }
    public int checksum() { return buf.getUnsignedShort(CHECKSUM); }
    /** The 32 bits after the checksum, whose meaning depends on the type. */
    public int restOfHeader() { return buf.getInt(REST); }
    /** Echo / echo reply / timestamp identifier. */
    public int identifier() { return buf.getUnsignedShort(IDENTIFIER); }
    /** Echo / echo reply / timestamp sequence number. */
    public int sequence() { return buf.getUnsignedShort(SEQUENCE); }
    /** Destination unreachable, fragmentation needed: the next-hop MTU (RFC 1191). */
    public int nextHopMtu() { return buf.getUnsignedShort(NEXT_HOP_MTU); }

    public boolean isError() { return IcmpType.isError(type()); }
    public boolean isEcho() { return type() == IcmpType.ECHO_REQUEST || type() == IcmpType.ECHO_REPLY; }

    /** The bytes after the 8-byte header: echo data, or the quoted datagram of an error. */
    public ByteBuf data() { return buf.slice(HEADER_LENGTH, buf.readableBytes() - HEADER_LENGTH); }

    /**
     * The datagram quoted by an error message (which may be cut short, so its payload is what is present).
     * @throws ParseException if this is not an error message or the quote does not hold a whole IPv4 header
     */
    public Ipv4Packet quoted() throws ParseException {
        if (!isError()) throw new ParseException(LAYER, "type", TYPE, IcmpType.name(type()) + " quotes no datagram");
        return Ipv4Packet.checkedTruncated(data());
    }

    public int length() { return buf.readableBytes(); }

    public ByteBuf buffer() { return buf.slice(0, buf.readableBytes()); }

    public boolean verifyChecksum() { return InternetChecksum.verify(buf, 0, buf.readableBytes()); }

    public void fillChecksum() {
        buf.setShort(CHECKSUM, 0);
        buf.setShort(CHECKSUM, InternetChecksum.compute(buf, 0, buf.readableBytes()));
    }

    public void setType(int type) { buf.setByte(TYPE, checkByte(type)); }
    public void setCode(int code) { buf.setByte(CODE, checkByte(code)); }
    public void setChecksum(int checksum) { buf.setShort(CHECKSUM, check16(checksum)); }
    public void setRestOfHeader(int rest) { buf.setInt(REST, rest); }

    /** Rewrites the echo identifier (what NAT does to ICMP echo) and fixes the checksum incrementally. */
    public void setIdentifierWithChecksumUpdate(int identifier) {
        int old = identifier();
        buf.setShort(IDENTIFIER, check16(identifier));
        setChecksum(InternetChecksum.update16(checksum(), old, identifier));
    }

    public void setSequenceWithChecksumUpdate(int sequence) {
        int old = sequence();
        buf.setShort(SEQUENCE, check16(sequence));
        setChecksum(InternetChecksum.update16(checksum(), old, sequence));
    }

    private static int checkByte(int v) {
        if (v < 0 || v > 0xff) throw new IllegalArgumentException("out of 8 bits: " + v);
        return v;
    }

    private static int check16(int v) {
        if (v < 0 || v > 0xffff) throw new IllegalArgumentException("out of 16 bits: " + v);
        return v;
    }

    @Override
    public String toString() {
        return "IcmpPacket[" + IcmpType.name(type()) + ", code " + code() + ", " + length() + " bytes]";
    }
}
