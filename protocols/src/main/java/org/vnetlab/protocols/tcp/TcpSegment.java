package org.vnetlab.protocols.tcp;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.ipv4.IpProtocol;

/**
 * Zero-copy view of a TCP segment (the whole IPv4 payload: TCP has no length field of its own). The
 * checksum covers the IPv4 pseudo-header. Port and address rewrites fix it incrementally (RFC 1624).
 */
public final class TcpSegment {
    static final String LAYER = "tcp";
    private static final int SOURCE_PORT = 0;
    private static final int DESTINATION_PORT = 2;
    private static final int SEQUENCE = 4;
    private static final int ACKNOWLEDGMENT = 8;
    private static final int OFFSET_FLAGS = 12;
    private static final int WINDOW = 14;
    private static final int CHECKSUM = 16;
    private static final int URGENT = 18;
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;

    private final ByteBuf buf;
    private final int headerLength;
    private final boolean truncated;

    private TcpSegment(ByteBuf buf, int headerLength, boolean truncated) {
        this.buf = buf;
        this.headerLength = headerLength;
        this.truncated = truncated;
    }

    /** Validates the readable bytes (an IPv4 payload): data offset &ge; 5, header present, options walkable. */
    public static TcpSegment checked(ByteBuf buf) throws ParseException {
        return check(buf.slice(), false);
    }

    /**
     * For a segment quoted in an ICMP error: the header (with options) must be whole; the payload may be cut
     * short, so the checksum cannot be verified.
     */
    public static TcpSegment checkedTruncated(ByteBuf buf) throws ParseException {
        return check(buf.slice(), true);
    }

    private static TcpSegment check(ByteBuf b, boolean truncated) throws ParseException {
        int available = b.readableBytes();
        if (available < MIN_HEADER_LENGTH) throw ParseException.truncated(LAYER, "header", 0, MIN_HEADER_LENGTH, available);
        int headerLength = (b.getUnsignedByte(OFFSET_FLAGS) >>> 4) * 4;
        if (headerLength < MIN_HEADER_LENGTH) {
            throw new ParseException(LAYER, "data offset", OFFSET_FLAGS, "header length " + headerLength + " below 20");
        }
        if (headerLength > available) {
            throw ParseException.truncated(LAYER, "options", MIN_HEADER_LENGTH, headerLength - MIN_HEADER_LENGTH, available - MIN_HEADER_LENGTH);
        }
        TcpOption.parseAll(b, MIN_HEADER_LENGTH, headerLength);
        return new TcpSegment(b, headerLength, truncated);
    }

    public int sourcePort() { return buf.getUnsignedShort(SOURCE_PORT); }
    public int destinationPort() { return buf.getUnsignedShort(DESTINATION_PORT); }
    public long sequence() { return buf.getUnsignedInt(SEQUENCE); }
    public long acknowledgment() { return buf.getUnsignedInt(ACKNOWLEDGMENT); }
    /** Data offset in 32-bit words. */
    public int dataOffset() { return headerLength / 4; }
    public int headerLength() { return headerLength; }
    /** The 12 bits after the data offset; see {@link TcpFlags}. */
    public int flags() { return buf.getUnsignedShort(OFFSET_FLAGS) & TcpFlags.MASK; }
    public boolean has(int flag) { return (flags() & flag) != 0; }
    public int window() { return buf.getUnsignedShort(WINDOW); }
    public int checksum() { return buf.getUnsignedShort(CHECKSUM); }
    public int urgentPointer() { return buf.getUnsignedShort(URGENT); }
    public boolean isTruncated() { return truncated; }

    public ByteBuf options() { return buf.slice(MIN_HEADER_LENGTH, headerLength - MIN_HEADER_LENGTH); }

    /** The options, already validated by {@link #checked}. */
    public List<TcpOption> optionList() {
        try {
            return TcpOption.parseAll(buf, MIN_HEADER_LENGTH, headerLength);
        } catch (ParseException e) {
            throw new IllegalStateException("options were validated when the view was checked", e);
        }
    }

    public ByteBuf payload() { return buf.slice(headerLength, buf.readableBytes() - headerLength); }

    public int length() { return buf.readableBytes(); }

    public ByteBuf buffer() { return buf.slice(0, buf.readableBytes()); }

    public boolean verifyChecksum(Ipv4Address source, Ipv4Address destination) {
        if (truncated) return false;
        long sum = InternetChecksum.partialSum(buf, 0, length(),
                InternetChecksum.pseudoHeaderSum(source.bits(), destination.bits(), IpProtocol.TCP.value(), length()));
        return InternetChecksum.fold(sum) == 0xffff;
    }

    public void fillChecksum(Ipv4Address source, Ipv4Address destination) {
        if (truncated) throw new IllegalStateException("cannot checksum a truncated segment");
        buf.setShort(CHECKSUM, 0);
        buf.setShort(CHECKSUM, InternetChecksum.computeWithPseudoHeader(buf, 0, length(), source.bits(), destination.bits(), IpProtocol.TCP.value()));
    }

    public void setSourcePort(int port) { buf.setShort(SOURCE_PORT, check16(port)); }
    public void setDestinationPort(int port) { buf.setShort(DESTINATION_PORT, check16(port)); }
    public void setSequence(long seq) { buf.setInt(SEQUENCE, (int) check32(seq)); }
    public void setAcknowledgment(long ack) { buf.setInt(ACKNOWLEDGMENT, (int) check32(ack)); }
    public void setWindow(int window) { buf.setShort(WINDOW, check16(window)); }
    public void setChecksum(int checksum) { buf.setShort(CHECKSUM, check16(checksum)); }
    public void setUrgentPointer(int urgent) { buf.setShort(URGENT, check16(urgent)); }

    public void setFlags(int flags) {
        if ((flags & ~TcpFlags.MASK) != 0) throw new IllegalArgumentException("flags out of 12 bits: " + flags);
        buf.setShort(OFFSET_FLAGS, (buf.getUnsignedShort(OFFSET_FLAGS) & 0xf000) | flags);
    }

    public void setSourcePortWithChecksumUpdate(int port) {
        int old = sourcePort();
        setSourcePort(port);
        setChecksum(InternetChecksum.update16(checksum(), old, port));
    }

    public void setDestinationPortWithChecksumUpdate(int port) {
        int old = destinationPort();
        setDestinationPort(port);
        setChecksum(InternetChecksum.update16(checksum(), old, port));
    }

    /** Fixes the checksum after the IPv4 source or destination changed from {@code old} to {@code now}. */
    public void updatePseudoHeaderAddress(Ipv4Address old, Ipv4Address now) {
        setChecksum(InternetChecksum.update32(checksum(), old.bits(), now.bits()));
    }

    private static int check16(int v) {
        if (v < 0 || v > 0xffff) throw new IllegalArgumentException("out of 16 bits: " + v);
        return v;
    }

    private static long check32(long v) {
        if (v < 0 || v > 0xffff_ffffL) throw new IllegalArgumentException("out of 32 bits: " + v);
        return v;
    }

    @Override
    public String toString() {
        return "TcpSegment[" + sourcePort() + " > " + destinationPort() + " [" + TcpFlags.toString(flags()) + "], seq " + sequence()
                + ", ack " + acknowledgment() + ", win " + window() + ", " + (length() - headerLength) + " bytes]";
    }
}
