package org.vnetlab.protocols.arp;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/** An Ethernet/IPv4 ARP message as a value. */
public record ArpMessage(ArpOperation operation, MacAddress senderMac, Ipv4Address senderIp,
                         MacAddress targetMac, Ipv4Address targetIp) {

    public ArpMessage {
        if (operation == null || senderMac == null || senderIp == null || targetMac == null || targetIp == null) {
            throw new NullPointerException("ARP field");
        }
    }

    /** "who-has targetIp tell senderIp": the target MAC is unknown, so zero (as Linux sends it). */
    public static ArpMessage request(MacAddress senderMac, Ipv4Address senderIp, Ipv4Address targetIp) {
        return new ArpMessage(ArpOperation.REQUEST, senderMac, senderIp, MacAddress.ZERO, targetIp);
    }

    /** "senderIp is-at senderMac", addressed to the asker. */
    public static ArpMessage reply(MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp) {
        return new ArpMessage(ArpOperation.REPLY, senderMac, senderIp, targetMac, targetIp);
    }

    /**
     * A gratuitous ARP announcing {@code ip} at {@code mac}: a request whose sender and target IP are the
     * same and whose target MAC is zero, as Linux's arp_send does when an address comes up.
     */
    public static ArpMessage gratuitous(MacAddress mac, Ipv4Address ip) {
        return new ArpMessage(ArpOperation.REQUEST, mac, ip, MacAddress.ZERO, ip);
    }

    public static ArpMessage parse(ArpPacket packet) {
        return new ArpMessage(packet.operation(), packet.senderMac(), packet.senderIp(), packet.targetMac(), packet.targetIp());
    }

    /** Sender and target protocol addresses equal (RFC 5227 announcement), whatever the opcode. */
    public boolean isGratuitous() { return senderIp.equals(targetIp); }

    public int length() { return ArpPacket.LENGTH; }

    /** Writes the 28 bytes at absolute {@code index}. */
    public void emit(ByteBuf buf, int index) {
        buf.setShort(index, ArpPacket.HARDWARE_ETHERNET);
        buf.setShort(index + 2, ArpPacket.PROTOCOL_IPV4);
        buf.setByte(index + 4, MacAddress.LENGTH);
        buf.setByte(index + 5, Ipv4Address.LENGTH);
        buf.setShort(index + 6, operation.value());
        senderMac.write(buf, index + 8);
        senderIp.write(buf, index + 14);
        targetMac.write(buf, index + 18);
        targetIp.write(buf, index + 24);
    }

    @Override
    public String toString() {
        if (operation.equals(ArpOperation.REQUEST)) return "ARP who-has " + targetIp + " tell " + senderIp + " (" + senderMac + ")";
        if (operation.equals(ArpOperation.REPLY)) return "ARP " + senderIp + " is-at " + senderMac + " to " + targetIp + " (" + targetMac + ")";
        return "ARP " + operation + " " + senderIp + "/" + senderMac + " -> " + targetIp + "/" + targetMac;
    }
}
