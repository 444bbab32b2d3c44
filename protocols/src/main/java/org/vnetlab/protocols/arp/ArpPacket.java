package org.vnetlab.protocols.arp;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;

/**
 * Zero-copy view of an ARP packet for Ethernet hardware and IPv4 protocol addresses: the only kind an IPv4
 * host on a bridge sees. Any other hardware/protocol type or address length is refused with a
 * {@link ParseException} rather than misread.
 */
public final class ArpPacket {
    static final String LAYER = "arp";
    private static final int HARDWARE_TYPE = 0;
    private static final int PROTOCOL_TYPE = 2;
    private static final int HARDWARE_LENGTH = 4;
    private static final int PROTOCOL_LENGTH = 5;
    private static final int OPERATION = 6;
    private static final int SENDER_MAC = 8;
    private static final int SENDER_IP = 14;
    private static final int TARGET_MAC = 18;
    private static final int TARGET_IP = 24;
    public static final int LENGTH = 28;
    public static final int HARDWARE_ETHERNET = 1;
    public static final int PROTOCOL_IPV4 = 0x0800;

    private final ByteBuf buf;

    private ArpPacket(ByteBuf buf) { this.buf = buf; }

    /** Validates the readable bytes of {@code buf}; bytes past the 28 of the packet (Ethernet padding) are ignored. */
    public static ArpPacket checked(ByteBuf buf) throws ParseException {
        ByteBuf b = buf.slice();
        int available = b.readableBytes();
        if (available < 8) throw ParseException.truncated(LAYER, "fixed header", 0, 8, available);
        if (b.getUnsignedShort(HARDWARE_TYPE) != HARDWARE_ETHERNET) {
            throw new ParseException(LAYER, "hardware type", HARDWARE_TYPE,
                    "unsupported: " + b.getUnsignedShort(HARDWARE_TYPE) + " (only Ethernet, 1)");
        }
        if (b.getUnsignedShort(PROTOCOL_TYPE) != PROTOCOL_IPV4) {
            throw new ParseException(LAYER, "protocol type", PROTOCOL_TYPE,
                    String.format("unsupported: 0x%04x (only IPv4, 0x0800)", b.getUnsignedShort(PROTOCOL_TYPE)));
        }
        if (b.getUnsignedByte(HARDWARE_LENGTH) != MacAddress.LENGTH) {
            throw new ParseException(LAYER, "hardware length", HARDWARE_LENGTH, "must be 6 for Ethernet, is " + b.getUnsignedByte(HARDWARE_LENGTH));
        }
        if (b.getUnsignedByte(PROTOCOL_LENGTH) != Ipv4Address.LENGTH) {
            throw new ParseException(LAYER, "protocol length", PROTOCOL_LENGTH, "must be 4 for IPv4, is " + b.getUnsignedByte(PROTOCOL_LENGTH));
        }
        if (available < LENGTH) throw ParseException.truncated(LAYER, "addresses", SENDER_MAC, LENGTH - SENDER_MAC, available - SENDER_MAC);
        return new ArpPacket(b.slice(0, LENGTH));
    }

    public int hardwareType() { return buf.getUnsignedShort(HARDWARE_TYPE); }
    public int protocolType() { return buf.getUnsignedShort(PROTOCOL_TYPE); }
    public ArpOperation operation() { return ArpOperation.of(buf.getUnsignedShort(OPERATION)); }
    public MacAddress senderMac() { return MacAddress.read(buf, SENDER_MAC); }
    public Ipv4Address senderIp() { return Ipv4Address.read(buf, SENDER_IP); }
    public MacAddress targetMac() { return MacAddress.read(buf, TARGET_MAC); }
    public Ipv4Address targetIp() { return Ipv4Address.read(buf, TARGET_IP); }

    public void setOperation(ArpOperation op) { buf.setShort(OPERATION, op.value()); }
    public void setSenderMac(MacAddress mac) { mac.write(buf, SENDER_MAC); }
    public void setSenderIp(Ipv4Address ip) { ip.write(buf, SENDER_IP); }
    public void setTargetMac(MacAddress mac) { mac.write(buf, TARGET_MAC); }
    public void setTargetIp(Ipv4Address ip) { ip.write(buf, TARGET_IP); }

    /** The 28 bytes of the packet. */
    public ByteBuf buffer() { return buf.slice(0, LENGTH); }

    @Override
    public String toString() { return ArpMessage.parse(this).toString(); }
}
