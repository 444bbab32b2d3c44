package org.vnetlab.protocols;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.arp.ArpMessage;
import org.vnetlab.protocols.arp.ArpPacket;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetFrame;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.icmp.IcmpPacket;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.tcp.TcpSegment;
import org.vnetlab.protocols.udp.UdpDatagram;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * Decodes a frame through every layer this module owns and touches every accessor and representation on
 * the way, the way a consumer would: used to show that malformed bytes only ever raise ParseException and
 * that a checked view never reads outside its bounds (netty would throw IndexOutOfBounds if it did).
 */
public final class Dissector {
    private Dissector() {}

    public static void dissect(ByteBuf bytes) throws ParseException {
        EthernetFrame frame = EthernetFrame.checked(bytes);
        EthernetHeader.parse(frame).toString();
        frame.toString();
        frame.payload().readableBytes();
        EtherType type = frame.etherType();
        if (type.equals(EtherType.ARP)) {
            ArpPacket arp = ArpPacket.checked(frame.payload());
            ArpMessage.parse(arp).toString();
        } else if (type.equals(EtherType.IPV4)) {
            ipv4(Ipv4Packet.checked(frame.payload()), false);
        }
    }

    public static void ipv4(Ipv4Packet ip, boolean quoted) throws ParseException {
        Ipv4Header.parse(ip).toString();
        ip.toString();
        ip.verifyChecksum();
        ip.reservedFlag();
        ip.isFragment();
        ByteBuf payload = ip.payload();
        if (ip.isFragment() && ip.fragmentOffset() != 0) return;
        IpProtocol p = ip.protocol();
        if (p.equals(IpProtocol.ICMP)) {
            IcmpPacket icmp = IcmpPacket.checked(payload);
            IcmpMessage.parse(icmp).toString();
            icmp.toString();
            icmp.verifyChecksum();
            icmp.identifier();
            icmp.sequence();
            icmp.nextHopMtu();
            if (icmp.isError() && !quoted) ipv4(icmp.quoted(), true);
        } else if (p.equals(IpProtocol.UDP)) {
            UdpDatagram udp = quoted ? UdpDatagram.checkedTruncated(payload) : UdpDatagram.checked(payload);
            UdpHeader.parse(udp).toString();
            udp.toString();
            udp.verifyChecksum(ip.source(), ip.destination());
            udp.payload().readableBytes();
        } else if (p.equals(IpProtocol.TCP)) {
            TcpSegment tcp = quoted ? TcpSegment.checkedTruncated(payload) : TcpSegment.checked(payload);
            TcpHeader.parse(tcp).toString();
            tcp.toString();
            tcp.verifyChecksum(ip.source(), ip.destination());
            tcp.options().readableBytes();
            tcp.payload().readableBytes();
        }
    }
}
