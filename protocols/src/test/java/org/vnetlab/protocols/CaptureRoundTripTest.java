package org.vnetlab.protocols;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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
 * Every frame a real Linux host put on the wire (shared/ref/captures/article/*.pcap) parses at every layer
 * this module owns, its checksums verify, and re-emitting it from the representations gives the identical
 * bytes. DHCP, DNS and LLC/STP payloads are carried as opaque bytes here (other packages own them).
 */
class CaptureRoundTripTest {

    static List<Captures.Frame> frames() { return Captures.all(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void everyRealFrameReEmitsToIdenticalBytes(Captures.Frame frame) throws ParseException {
        byte[] original = frame.bytes();
        ByteBuf out = Captures.poisoned(original.length);
        reEmitFrame(frame.buf(), out);
        assertThat(ByteBufUtil.hexDump(out)).as(frame.toString()).isEqualTo(ByteBufUtil.hexDump(original));
    }

    @Test
    void theCapturesCoverEveryLayerThisModuleOwns() throws ParseException {
        Map<String, Integer> seen = new TreeMap<>();
        for (Captures.Frame f : Captures.all()) {
            for (String layer : layers(f.buf())) seen.merge(layer, 1, Integer::sum);
        }
        assertThat(seen).containsKeys("arp", "802.3", "ipv4", "icmp echo", "icmp destination-unreachable",
                "icmp time-exceeded", "quoted ipv4", "quoted udp", "quoted tcp", "quoted icmp", "udp", "tcp");
        assertThat(Captures.all()).hasSizeGreaterThan(150);
    }

    /** Parses {@code in} layer by layer, emitting each representation into {@code out} at the same offsets. */
    static void reEmitFrame(ByteBuf in, ByteBuf out) throws ParseException {
        EthernetFrame frame = EthernetFrame.checked(in);
        EthernetHeader eth = EthernetHeader.parse(frame);
        eth.emit(out, 0);
        int at = frame.headerLength();
        EtherType type = frame.etherType();
        int end = at;
        if (type.equals(EtherType.ARP)) {
            ArpMessage arp = ArpMessage.parse(ArpPacket.checked(frame.payload()));
            arp.emit(out, at);
            end = at + arp.length();
        } else if (type.equals(EtherType.IPV4)) {
            end = at + reEmitIpv4(frame.payload(), out, at);
        } else {
            assertThat(type.isLength()).as("only ARP, IPv4 and 802.3/LLC frames in the captures").isTrue();
        }
        // Opaque bytes: LLC payloads and any link-layer padding after the datagram.
        out.setBytes(end, in, in.readerIndex() + end, in.readableBytes() - end);
    }

    /** Returns the datagram length. */
    static int reEmitIpv4(ByteBuf bytes, ByteBuf out, int at) throws ParseException {
        Ipv4Packet ip = Ipv4Packet.checked(bytes);
        assertThat(ip.verifyChecksum()).as("IPv4 header checksum").isTrue();
        Ipv4Header header = Ipv4Header.parse(ip);
        header.emit(out, at);
        int l4 = at + header.length();
        ByteBuf payload = ip.payload();
        IpProtocol protocol = ip.protocol();
        if (protocol.equals(IpProtocol.ICMP)) {
            IcmpPacket icmp = IcmpPacket.checked(payload);
            assertThat(icmp.verifyChecksum()).as("ICMP checksum").isTrue();
            if (icmp.isError()) reEmitQuote(icmp.quoted());
            IcmpMessage.parse(icmp).emit(out, l4);
        } else if (protocol.equals(IpProtocol.UDP)) {
            UdpDatagram udp = UdpDatagram.checked(payload);
            assertThat(udp.hasChecksum()).isTrue();
            assertThat(udp.verifyChecksum(ip.source(), ip.destination())).as("UDP checksum").isTrue();
            UdpHeader u = UdpHeader.parse(udp);
            out.setBytes(l4 + u.length(), udp.payload());
            u.emit(out, l4, ip.source(), ip.destination());
        } else if (protocol.equals(IpProtocol.TCP)) {
            TcpSegment tcp = TcpSegment.checked(payload);
            assertThat(tcp.verifyChecksum(ip.source(), ip.destination())).as("TCP checksum").isTrue();
            TcpHeader t = TcpHeader.parse(tcp);
            out.setBytes(l4 + t.length(), tcp.payload());
            t.emit(out, l4, tcp.payload().readableBytes(), ip.source(), ip.destination());
        } else {
            throw new AssertionError("unexpected protocol " + protocol);
        }
        return ip.totalLength();
    }

    /** The datagram an ICMP error quotes parses too, its header checksum verifies, and it re-emits as quoted. */
    static void reEmitQuote(Ipv4Packet quoted) throws ParseException {
        assertThat(quoted.verifyChecksum()).as("quoted IPv4 header checksum").isTrue();
        ByteBuf original = quoted.buffer();
        ByteBuf out = Captures.poisoned(original.readableBytes());
        Ipv4Header header = Ipv4Header.parse(quoted);
        header.emit(out, 0);
        int l4 = header.length();
        ByteBuf payload = quoted.payload();
        if (quoted.protocol().equals(IpProtocol.UDP)) {
            UdpDatagram udp = UdpDatagram.checkedTruncated(payload);
            if (!udp.isTruncated()) {
                // The de-NAT of a RELATED error rewrites the quoted UDP checksum too: it must still be right.
                assertThat(udp.verifyChecksum(quoted.source(), quoted.destination())).as("quoted UDP checksum").isTrue();
            }
            UdpHeader u = UdpHeader.parse(udp);
            out.setBytes(l4 + u.length(), udp.payload());
            u.emit(out, l4);
            out.setShort(l4 + 6, udp.checksum());
        } else if (quoted.protocol().equals(IpProtocol.TCP)) {
            TcpSegment tcp = TcpSegment.checkedTruncated(payload);
            TcpHeader t = TcpHeader.parse(tcp);
            out.setBytes(l4 + t.length(), tcp.payload());
            t.emit(out, l4);
            out.setShort(l4 + 16, tcp.checksum());
        } else if (quoted.protocol().equals(IpProtocol.ICMP)) {
            IcmpPacket icmp = IcmpPacket.checked(payload);
            if (!quoted.isTruncated()) assertThat(icmp.verifyChecksum()).as("quoted ICMP checksum").isTrue();
            IcmpMessage.parse(icmp).emit(out, l4);
            out.setShort(l4 + 2, icmp.checksum());
        } else {
            out.setBytes(l4, payload);
        }
        assertThat(ByteBufUtil.hexDump(out)).as("quoted datagram").isEqualTo(ByteBufUtil.hexDump(original));
    }

    private static List<String> layers(ByteBuf in) throws ParseException {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        EthernetFrame frame = EthernetFrame.checked(in);
        if (frame.etherType().isLength()) out.add("802.3");
        if (frame.etherType().equals(EtherType.ARP)) out.add("arp");
        if (!frame.etherType().equals(EtherType.IPV4)) return out;
        Ipv4Packet ip = Ipv4Packet.checked(frame.payload());
        out.add("ipv4");
        if (ip.protocol().equals(IpProtocol.UDP)) out.add("udp");
        if (ip.protocol().equals(IpProtocol.TCP)) out.add("tcp");
        if (ip.protocol().equals(IpProtocol.ICMP)) {
            IcmpPacket icmp = IcmpPacket.checked(ip.payload());
            IcmpMessage m = IcmpMessage.parse(icmp);
            if (m instanceof IcmpMessage.Echo) out.add("icmp echo");
            if (m instanceof IcmpMessage.DestinationUnreachable) out.add("icmp destination-unreachable");
            if (m instanceof IcmpMessage.TimeExceeded) out.add("icmp time-exceeded");
            if (icmp.isError()) {
                out.add("quoted ipv4");
                out.add("quoted " + icmp.quoted().protocol());
            }
        }
        return out;
    }
}
