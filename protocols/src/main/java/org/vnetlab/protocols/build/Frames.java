package org.vnetlab.protocols.build;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.vnetlab.protocols.arp.ArpMessage;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * Whole frames from representations, for guests, tests and REJECT: every length and checksum is filled in
 * here, so callers state only what matters. The EtherType and IP protocol are set to match the content;
 * payload lengths given in the headers are replaced by the real ones. Frames are not padded to 60 bytes
 * (captures taken on the sending host do not show padding either).
 */
public final class Frames {
    private Frames() {}

    public static ByteBuf arp(EthernetHeader ethernet, ArpMessage arp) {
        EthernetHeader eth = ethernet.withEtherType(EtherType.ARP);
        ByteBuf buf = Unpooled.buffer(eth.length() + arp.length());
        eth.emit(buf, 0);
        arp.emit(buf, eth.length());
        buf.writerIndex(eth.length() + arp.length());
        return buf;
    }

    public static ByteBuf ethernetIpv4(EthernetHeader ethernet, Ipv4Header ip, IcmpMessage icmp) {
        Ipv4Header header = ip.withPayloadLength(icmp.length()).withProtocol(IpProtocol.ICMP);
        ByteBuf buf = allocate(ethernet, header);
        icmp.emit(buf, ethernet.length() + header.length());
        return buf;
    }

    public static ByteBuf ethernetIpv4(EthernetHeader ethernet, Ipv4Header ip, UdpHeader udp, byte[] payload) {
        UdpHeader u = udp.withPayloadLength(payload.length);
        Ipv4Header header = ip.withPayloadLength(u.length() + payload.length).withProtocol(IpProtocol.UDP);
        ByteBuf buf = allocate(ethernet, header);
        int at = ethernet.length() + header.length();
        buf.setBytes(at + u.length(), payload);
        u.emit(buf, at, header.source(), header.destination());
        return buf;
    }

    public static ByteBuf ethernetIpv4(EthernetHeader ethernet, Ipv4Header ip, TcpHeader tcp, byte[] payload) {
        Ipv4Header header = ip.withPayloadLength(tcp.length() + payload.length).withProtocol(IpProtocol.TCP);
        ByteBuf buf = allocate(ethernet, header);
        int at = ethernet.length() + header.length();
        buf.setBytes(at + tcp.length(), payload);
        tcp.emit(buf, at, payload.length, header.source(), header.destination());
        return buf;
    }

    /** An IPv4 datagram with an opaque payload of the header's protocol. */
    public static ByteBuf ethernetIpv4(EthernetHeader ethernet, Ipv4Header ip, byte[] payload) {
        Ipv4Header header = ip.withPayloadLength(payload.length);
        ByteBuf buf = allocate(ethernet, header);
        buf.setBytes(ethernet.length() + header.length(), payload);
        return buf;
    }

    /** An IPv4 datagram alone (no link layer), e.g. to quote it in an ICMP error. */
    public static ByteBuf ipv4(Ipv4Header ip, IcmpMessage icmp) {
        Ipv4Header header = ip.withPayloadLength(icmp.length()).withProtocol(IpProtocol.ICMP);
        ByteBuf buf = Unpooled.buffer(header.totalLength());
        header.emit(buf, 0);
        icmp.emit(buf, header.length());
        buf.writerIndex(header.totalLength());
        return buf;
    }

    /** A buffer holding the Ethernet and IPv4 headers, writer index at the end of the datagram. */
    private static ByteBuf allocate(EthernetHeader ethernet, Ipv4Header ip) {
        EthernetHeader eth = ethernet.withEtherType(EtherType.IPV4);
        int total = eth.length() + ip.totalLength();
        ByteBuf buf = Unpooled.buffer(total);
        eth.emit(buf, 0);
        ip.emit(buf, eth.length());
        buf.writerIndex(total);
        return buf;
    }
}
