package org.vnetlab.protocols.ipv4;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * Zero-copy view of an IPv4 datagram, index 0 being the version/IHL byte. The view is bounded by the total
 * length field, not by the buffer, so Ethernet padding after a short datagram never leaks into
 * {@link #payload()}. Fragment offsets are in bytes (the field's 8-byte units times 8).
 *
 * <p>The {@code ...WithChecksumUpdate} mutators keep the header checksum right by RFC 1624 incremental update,
 * as Linux's csum_replace does; they never re-sum the header. L4 checksums that cover the addresses through
 * the pseudo-header are the L4 view's business (e.g. {@code TcpSegment.updatePseudoHeaderAddress}).
 */
public final class Ipv4Packet {
    static final String LAYER = "ipv4";
    private static final int VERSION_IHL = 0;
    private static final int TOS = 1;
    private static final int TOTAL_LENGTH = 2;
    private static final int IDENTIFICATION = 4;
    private static final int FLAGS_FRAGMENT = 6;
    private static final int TTL = 8;
    private static final int PROTOCOL = 9;
    private static final int CHECKSUM = 10;
    private static final int SOURCE = 12;
    private static final int DESTINATION = 16;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;
    static final int FLAG_RESERVED = 0x8000;
    static final int FLAG_DF = 0x4000;
    static final int FLAG_MF = 0x2000;
    static final int OFFSET_MASK = 0x1fff;

    private final ByteBuf buf;
    private final int headerLength;
    private final boolean truncated;

    private Ipv4Packet(ByteBuf buf, int headerLength, boolean truncated) {
        this.buf = buf;
        this.headerLength = headerLength;
        this.truncated = truncated;
    }

    /**
     * Validates the readable bytes of {@code buf} as a whole datagram: version 4, IHL at least 5,
     * IHL*4 &le; total length &le; bytes available, options well-formed enough to walk.
     */
    public static Ipv4Packet checked(ByteBuf buf) throws ParseException {
        return check(buf.slice(), false);
    }

    /**
     * Validates a datagram quoted in an ICMP error, which may be cut short: the header must be whole, the
     * total length may exceed the bytes present; {@link #payload()} is then what is there.
     */
    public static Ipv4Packet checkedTruncated(ByteBuf buf) throws ParseException {
        return check(buf.slice(), true);
    }

    private static Ipv4Packet check(ByteBuf b, boolean allowTruncated) throws ParseException {
        int available = b.readableBytes();
        if (available < MIN_HEADER_LENGTH) throw ParseException.truncated(LAYER, "header", 0, MIN_HEADER_LENGTH, available);
        int versionIhl = b.getUnsignedByte(VERSION_IHL);
        if (versionIhl >>> 4 != 4) throw new ParseException(LAYER, "version", VERSION_IHL, "is " + (versionIhl >>> 4) + ", not 4");
        int headerLength = (versionIhl & 0x0f) * 4;
        if (headerLength < MIN_HEADER_LENGTH) {
            throw new ParseException(LAYER, "IHL", VERSION_IHL, "header length " + headerLength + " below 20");
        }
        int totalLength = b.getUnsignedShort(TOTAL_LENGTH);
        if (totalLength < headerLength) {
            throw new ParseException(LAYER, "total length", TOTAL_LENGTH, totalLength + " is less than the header length " + headerLength);
        }
        if (headerLength > available) throw ParseException.truncated(LAYER, "options", MIN_HEADER_LENGTH, headerLength - MIN_HEADER_LENGTH, available - MIN_HEADER_LENGTH);
        boolean truncated = totalLength > available;
        if (truncated && !allowTruncated) {
            throw ParseException.truncated(LAYER, "datagram", 0, totalLength, available);
        }
        checkOptions(b, headerLength);
        return new Ipv4Packet(b.slice(0, Math.min(totalLength, available)), headerLength, truncated);
    }

    /** Walks the options TLVs: each must fit inside the header (RFC 791 option format). */
    private static void checkOptions(ByteBuf b, int headerLength) throws ParseException {
        int i = MIN_HEADER_LENGTH;
        while (i < headerLength) {
            int type = b.getUnsignedByte(i);
            if (type == Ipv4Options.END_OF_LIST) return;
            if (type == Ipv4Options.NO_OPERATION) {
                i++;
                continue;
            }
            if (i + 1 >= headerLength) throw new ParseException(LAYER, "option length", i + 1, "option " + type + " has no length byte");
            int length = b.getUnsignedByte(i + 1);
            if (length < 2) throw new ParseException(LAYER, "option length", i + 1, "length " + length + " of option " + type + " is below 2");
            if (i + length > headerLength) {
                throw new ParseException(LAYER, "option length", i + 1, "option " + type + " of " + length + " bytes runs past the header end " + headerLength);
            }
            i += length;
        }
    }

    public int version() { return buf.getUnsignedByte(VERSION_IHL) >>> 4; }
    /** IHL * 4, in bytes. */
    public int headerLength() { return headerLength; }
    public int tos() { return buf.getUnsignedByte(TOS); }
    public int dscp() { return tos() >>> 2; }
    public int ecn() { return tos() & 3; }
    public int totalLength() { return buf.getUnsignedShort(TOTAL_LENGTH); }
    public int identification() { return buf.getUnsignedShort(IDENTIFICATION); }
    public boolean reservedFlag() { return (buf.getUnsignedShort(FLAGS_FRAGMENT) & FLAG_RESERVED) != 0; }
    public boolean dontFragment() { return (buf.getUnsignedShort(FLAGS_FRAGMENT) & FLAG_DF) != 0; }
    public boolean moreFragments() { return (buf.getUnsignedShort(FLAGS_FRAGMENT) & FLAG_MF) != 0; }
    /** The fragment offset in bytes (the header field counts 8-byte units). */
    public int fragmentOffset() { return (buf.getUnsignedShort(FLAGS_FRAGMENT) & OFFSET_MASK) * 8; }
    /** A fragment other than a whole datagram: MF set or a non-zero offset. */
    public boolean isFragment() { return (buf.getUnsignedShort(FLAGS_FRAGMENT) & (FLAG_MF | OFFSET_MASK)) != 0; }
    public int ttl() { return buf.getUnsignedByte(TTL); }
    public IpProtocol protocol() { return IpProtocol.of(buf.getUnsignedByte(PROTOCOL)); }
    public int headerChecksum() { return buf.getUnsignedShort(CHECKSUM); }
    public Ipv4Address source() { return Ipv4Address.read(buf, SOURCE); }
    public Ipv4Address destination() { return Ipv4Address.read(buf, DESTINATION); }

    /** True when this view was checked as a quote and the datagram is cut short. */
    public boolean isTruncated() { return truncated; }

    public ByteBuf options() { return buf.slice(MIN_HEADER_LENGTH, headerLength - MIN_HEADER_LENGTH); }

    /** The bytes after the header up to the total length (or, for a truncated quote, up to what is present). */
    public ByteBuf payload() { return buf.slice(headerLength, buf.readableBytes() - headerLength); }

    /** The header and payload, without any link-layer padding. */
    public ByteBuf buffer() { return buf.slice(0, buf.readableBytes()); }

    public boolean verifyChecksum() { return InternetChecksum.verify(buf, 0, headerLength); }

    public void fillChecksum() {
        buf.setShort(CHECKSUM, 0);
        buf.setShort(CHECKSUM, InternetChecksum.compute(buf, 0, headerLength));
    }

    public void setTos(int tos) { buf.setByte(TOS, checkByte(tos, "TOS")); }
    public void setIdentification(int id) { buf.setShort(IDENTIFICATION, check16(id, "identification")); }
    public void setTtl(int ttl) { buf.setByte(TTL, checkByte(ttl, "TTL")); }
    public void setProtocol(IpProtocol protocol) { buf.setByte(PROTOCOL, protocol.value()); }
    public void setHeaderChecksum(int checksum) { buf.setShort(CHECKSUM, check16(checksum, "checksum")); }
    public void setSource(Ipv4Address a) { a.write(buf, SOURCE); }
    public void setDestination(Ipv4Address a) { a.write(buf, DESTINATION); }

    public void setDontFragment(boolean df) {
        int word = buf.getUnsignedShort(FLAGS_FRAGMENT);
        buf.setShort(FLAGS_FRAGMENT, df ? word | FLAG_DF : word & ~FLAG_DF);
    }

    public void setSourceWithChecksumUpdate(Ipv4Address a) {
        int old = buf.getInt(SOURCE);
        a.write(buf, SOURCE);
        setHeaderChecksum(InternetChecksum.update32(headerChecksum(), old, a.bits()));
    }

    public void setDestinationWithChecksumUpdate(Ipv4Address a) {
        int old = buf.getInt(DESTINATION);
        a.write(buf, DESTINATION);
        setHeaderChecksum(InternetChecksum.update32(headerChecksum(), old, a.bits()));
    }

    public void setTtlWithChecksumUpdate(int ttl) {
        int oldWord = buf.getUnsignedShort(TTL);
        setTtl(ttl);
        setHeaderChecksum(InternetChecksum.update16(headerChecksum(), oldWord, buf.getUnsignedShort(TTL)));
    }

    public void setTosWithChecksumUpdate(int tos) {
        int oldWord = buf.getUnsignedShort(VERSION_IHL);
        setTos(tos);
        setHeaderChecksum(InternetChecksum.update16(headerChecksum(), oldWord, buf.getUnsignedShort(VERSION_IHL)));
    }

    /**
     * What a forwarding router does: TTL − 1 and the checksum fixed up incrementally (Linux ip_decrease_ttl
     * adds 0x0100 with end-around carry, which is the same as RFC 1624 here). Returns the new TTL.
     */
    public int decrementTtlWithChecksumUpdate() {
        int ttl = ttl();
        if (ttl == 0) throw new IllegalStateException("TTL already 0");
        setTtlWithChecksumUpdate(ttl - 1);
        return ttl - 1;
    }

    private static int checkByte(int v, String what) {
        if (v < 0 || v > 0xff) throw new IllegalArgumentException(what + " out of 8 bits: " + v);
        return v;
    }

    private static int check16(int v, String what) {
        if (v < 0 || v > 0xffff) throw new IllegalArgumentException(what + " out of 16 bits: " + v);
        return v;
    }

    @Override
    public String toString() {
        return "Ipv4Packet[" + source() + " > " + destination() + ", " + protocol() + ", ttl " + ttl()
                + ", id " + identification() + (dontFragment() ? ", DF" : "") + ", length " + totalLength() + "]";
    }
}
