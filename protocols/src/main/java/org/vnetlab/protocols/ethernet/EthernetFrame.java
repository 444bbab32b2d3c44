package org.vnetlab.protocols.ethernet;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;

/**
 * Zero-copy view of an Ethernet II / 802.3 frame (without FCS), index 0 being the destination address.
 * At most one 802.1Q tag is skipped: {@link #etherType()} is the type after it and {@link #vlanId()} its VID.
 * Setters write through to the underlying buffer.
 */
public final class EthernetFrame {
    static final String LAYER = "ethernet";
    private static final int DESTINATION = 0;
    private static final int SOURCE = 6;
    private static final int TYPE = 12;
    private static final int TAG_CONTROL = 14;
    private static final int TAGGED_TYPE = 16;
    public static final int HEADER_LENGTH = 14;
    public static final int TAGGED_HEADER_LENGTH = 18;

    private final ByteBuf buf;
    private final int headerLength;
    private final int payloadEnd;

    private EthernetFrame(ByteBuf buf, int headerLength, int payloadEnd) {
        this.buf = buf;
        this.headerLength = headerLength;
        this.payloadEnd = payloadEnd;
    }

    /** Validates the readable bytes of {@code buf} once; the view then never reads outside them. */
    public static EthernetFrame checked(ByteBuf buf) throws ParseException {
        ByteBuf frame = buf.slice();
        int length = frame.readableBytes();
        if (length < HEADER_LENGTH) throw ParseException.truncated(LAYER, "header", 0, HEADER_LENGTH, length);
        int header = HEADER_LENGTH;
        if (frame.getUnsignedShort(TYPE) == EtherType.VLAN.value()) {
            if (length < TAGGED_HEADER_LENGTH) {
                throw ParseException.truncated(LAYER, "802.1Q tag", TAG_CONTROL, TAGGED_HEADER_LENGTH - TAG_CONTROL, length - TAG_CONTROL);
            }
            header = TAGGED_HEADER_LENGTH;
        }
        int typeOrLength = frame.getUnsignedShort(header - 2);
        int payloadEnd = length;
        if (typeOrLength < EtherType.MIN_ETHERTYPE) {
            // 802.3: the field is the LLC payload length; what follows it is padding.
            if (typeOrLength > length - header) {
                throw new ParseException(LAYER, "802.3 length", header - 2,
                        "says " + typeOrLength + " bytes, only " + (length - header) + " follow");
            }
            payloadEnd = header + typeOrLength;
        }
        return new EthernetFrame(frame, header, payloadEnd);
    }

    public MacAddress destination() { return MacAddress.read(buf, DESTINATION); }
    public MacAddress source() { return MacAddress.read(buf, SOURCE); }

    /** The type (or 802.3 length) after skipping one 802.1Q tag if present. */
    public EtherType etherType() { return EtherType.of(buf.getUnsignedShort(headerLength - 2)); }

    public boolean isTagged() { return headerLength == TAGGED_HEADER_LENGTH; }

    /** The full 802.1Q tag control information (PCP, DEI, VID), or -1 when untagged. */
    public int vlanTci() { return isTagged() ? buf.getUnsignedShort(TAG_CONTROL) : -1; }

    /** The 802.1Q VLAN ID, or -1 when untagged. */
    public int vlanId() { return isTagged() ? buf.getUnsignedShort(TAG_CONTROL) & 0x0fff : -1; }

    public int headerLength() { return headerLength; }

    /** The frame's length as captured (padding included, FCS excluded). */
    public int length() { return buf.readableBytes(); }

    /** Bytes after the header; for an 802.3 frame, bounded by its length field. */
    public ByteBuf payload() { return buf.slice(headerLength, payloadEnd - headerLength); }

    /** The whole frame. */
    public ByteBuf buffer() { return buf.slice(0, buf.readableBytes()); }

    public void setDestination(MacAddress mac) { mac.write(buf, DESTINATION); }
    public void setSource(MacAddress mac) { mac.write(buf, SOURCE); }

    /** Rewrites the type after the tag; an 802.3 length is not accepted here (it would move the payload end). */
    public void setEtherType(EtherType type) {
        if (type.isLength()) throw new IllegalArgumentException("an 802.3 length cannot be set on a checked frame");
        if (etherType().isLength()) throw new IllegalStateException("an 802.3 frame cannot become Ethernet II in place");
        buf.setShort(headerLength - 2, type.value());
    }

    /** Rewrites the 802.1Q VID of a tagged frame, keeping PCP and DEI. */
    public void setVlanId(int vid) {
        if (!isTagged()) throw new IllegalStateException("frame carries no 802.1Q tag");
        if (vid < 0 || vid > 0x0fff) throw new IllegalArgumentException("VLAN ID out of 12 bits: " + vid);
        buf.setShort(TAG_CONTROL, (buf.getUnsignedShort(TAG_CONTROL) & 0xf000) | vid);
    }

    @Override
    public String toString() {
        return "EthernetFrame[" + source() + " > " + destination() + ", " + etherType()
                + (isTagged() ? ", vlan " + vlanId() : "") + ", " + length() + " bytes]";
    }
}
