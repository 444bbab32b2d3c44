package org.vnetlab.protocols.udp;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.ipv4.IpProtocol;

/**
 * Zero-copy view of a UDP datagram, bounded by its length field. Checksum rules (RFC 768): it covers the
 * IPv4 pseudo-header; a transmitted 0 means "no checksum"; a computed 0 is sent as 0xffff. Port and
 * address rewrites update a present checksum incrementally and leave an absent (zero) one alone, as Linux's
 * NAT does (nf_nat_proto.c: after the update a 0 result becomes CSUM_MANGLED_0, 0xffff).
 */
public final class UdpDatagram {
    static final String LAYER = "udp";
    private static final int SOURCE_PORT = 0;
    private static final int DESTINATION_PORT = 2;
    private static final int LENGTH = 4;
    private static final int CHECKSUM = 6;
    public static final int HEADER_LENGTH = 8;

    private final ByteBuf buf;
    private final boolean truncated;

    private UdpDatagram(ByteBuf buf, boolean truncated) {
        this.buf = buf;
        this.truncated = truncated;
    }

    /** Validates the readable bytes (an IPv4 payload): 8 &le; length field &le; bytes available. */
    public static UdpDatagram checked(ByteBuf buf) throws ParseException {
        return check(buf.slice(), false);
    }

    /** For a datagram quoted in an ICMP error: the 8-byte header must be there, the payload may be cut short. */
    public static UdpDatagram checkedTruncated(ByteBuf buf) throws ParseException {
        return check(buf.slice(), true);
    }

    private static UdpDatagram check(ByteBuf b, boolean allowTruncated) throws ParseException {
        int available = b.readableBytes();
        if (available < HEADER_LENGTH) throw ParseException.truncated(LAYER, "header", 0, HEADER_LENGTH, available);
        int length = b.getUnsignedShort(LENGTH);
        if (length < HEADER_LENGTH) throw new ParseException(LAYER, "length", LENGTH, length + " is below the 8-byte header");
        boolean truncated = length > available;
        if (truncated && !allowTruncated) throw ParseException.truncated(LAYER, "datagram", 0, length, available);
        return new UdpDatagram(b.slice(0, Math.min(length, available)), truncated);
    }

    public int sourcePort() { return buf.getUnsignedShort(SOURCE_PORT); }
    public int destinationPort() { return buf.getUnsignedShort(DESTINATION_PORT); }
    /** The length field: header plus payload. */
    public int length() { return buf.getUnsignedShort(LENGTH); }
    public int checksum() { return buf.getUnsignedShort(CHECKSUM); }
    public boolean hasChecksum() { return checksum() != 0; }
    public boolean isTruncated() { return truncated; }

    public ByteBuf payload() { return buf.slice(HEADER_LENGTH, buf.readableBytes() - HEADER_LENGTH); }

    public ByteBuf buffer() { return buf.slice(0, buf.readableBytes()); }

    /** True for a correct checksum or none (0); a truncated quote cannot be verified and gives false. */
    public boolean verifyChecksum(Ipv4Address source, Ipv4Address destination) {
        if (!hasChecksum()) return true;
        if (truncated) return false;
        long sum = InternetChecksum.partialSum(buf, 0, length(),
                InternetChecksum.pseudoHeaderSum(source.bits(), destination.bits(), IpProtocol.UDP.value(), length()));
        return InternetChecksum.fold(sum) == 0xffff;
    }

    public void fillChecksum(Ipv4Address source, Ipv4Address destination) {
        if (truncated) throw new IllegalStateException("cannot checksum a truncated datagram");
        buf.setShort(CHECKSUM, 0);
        int sum = InternetChecksum.computeWithPseudoHeader(buf, 0, length(), source.bits(), destination.bits(), IpProtocol.UDP.value());
        buf.setShort(CHECKSUM, sum == 0 ? 0xffff : sum);
    }

    public void setSourcePort(int port) { buf.setShort(SOURCE_PORT, checkPort(port)); }
    public void setDestinationPort(int port) { buf.setShort(DESTINATION_PORT, checkPort(port)); }
    public void setChecksum(int checksum) { buf.setShort(CHECKSUM, checkPort(checksum)); }

    public void setSourcePortWithChecksumUpdate(int port) {
        int old = sourcePort();
        setSourcePort(port);
        update16(old, port);
    }

    public void setDestinationPortWithChecksumUpdate(int port) {
        int old = destinationPort();
        setDestinationPort(port);
        update16(old, port);
    }

    /** Fixes the checksum after the IPv4 source or destination changed from {@code old} to {@code now}. */
    public void updatePseudoHeaderAddress(Ipv4Address old, Ipv4Address now) {
        if (!hasChecksum()) return;
        int sum = InternetChecksum.update32(checksum(), old.bits(), now.bits());
        buf.setShort(CHECKSUM, sum == 0 ? 0xffff : sum);
    }

    private void update16(int oldWord, int newWord) {
        if (!hasChecksum()) return;
        int sum = InternetChecksum.update16(checksum(), oldWord, newWord);
        buf.setShort(CHECKSUM, sum == 0 ? 0xffff : sum);
    }

    private static int checkPort(int v) {
        if (v < 0 || v > 0xffff) throw new IllegalArgumentException("out of 16 bits: " + v);
        return v;
    }

    @Override
    public String toString() {
        return "UdpDatagram[" + sourcePort() + " > " + destinationPort() + ", length " + length() + String.format(", sum 0x%04x]", checksum());
    }
}
