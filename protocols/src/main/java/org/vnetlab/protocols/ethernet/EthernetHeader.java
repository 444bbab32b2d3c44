package org.vnetlab.protocols.ethernet;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.MacAddress;

/**
 * An Ethernet header as a value: addresses, the type (or 802.3 length) and an optional 802.1Q tag
 * ({@code vlanTci} = PCP|DEI|VID, or -1 for an untagged frame).
 */
public record EthernetHeader(MacAddress destination, MacAddress source, EtherType etherType, int vlanTci) {
    public static final int NO_VLAN = -1;

    public EthernetHeader {
        if (destination == null || source == null || etherType == null) throw new NullPointerException("header field");
        if (vlanTci < -1 || vlanTci > 0xffff) throw new IllegalArgumentException("802.1Q TCI out of 16 bits: " + vlanTci);
    }

    /** An untagged Ethernet II header. */
    public EthernetHeader(MacAddress destination, MacAddress source, EtherType etherType) {
        this(destination, source, etherType, NO_VLAN);
    }

    public static EthernetHeader parse(EthernetFrame frame) {
        return new EthernetHeader(frame.destination(), frame.source(), frame.etherType(), frame.vlanTci());
    }

    public boolean isTagged() { return vlanTci != NO_VLAN; }

    /** The VLAN ID, or -1 when untagged. */
    public int vlanId() { return isTagged() ? vlanTci & 0x0fff : NO_VLAN; }

    public int length() { return isTagged() ? EthernetFrame.TAGGED_HEADER_LENGTH : EthernetFrame.HEADER_LENGTH; }

    public EthernetHeader withEtherType(EtherType type) { return new EthernetHeader(destination, source, type, vlanTci); }

    /** Writes {@link #length()} bytes at absolute {@code index}. */
    public void emit(ByteBuf buf, int index) {
        destination.write(buf, index);
        source.write(buf, index + 6);
        if (isTagged()) {
            buf.setShort(index + 12, EtherType.VLAN.value());
            buf.setShort(index + 14, vlanTci);
            buf.setShort(index + 16, etherType.value());
        } else {
            buf.setShort(index + 12, etherType.value());
        }
    }
}
