package org.vnetlab.protocols.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.ArpPacket;
import org.pcap4j.packet.Dot1qVlanTagPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IcmpV4CommonPacket;
import org.pcap4j.packet.IcmpV4DestinationUnreachablePacket;
import org.pcap4j.packet.IcmpV4EchoPacket;
import org.pcap4j.packet.IcmpV4EchoReplyPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpMaximumSegmentSizeOption;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.TcpSackOption;
import org.pcap4j.packet.TcpTimestampsOption;
import org.pcap4j.packet.TcpWindowScaleOption;
import org.pcap4j.packet.UdpPacket;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.arp.ArpMessage;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetFrame;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpErrors;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.icmp.IcmpPacket;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.tcp.TcpFlags;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.tcp.TcpOption;
import org.vnetlab.protocols.tcp.TcpSegment;
import org.vnetlab.protocols.udp.UdpDatagram;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * Every kind of frame {@link Frames} builds is read back by an independent decoder, pcap4j, into the same
 * layers and the same field values, and pcap4j agrees that every checksum is valid.
 */
class Pcap4jCrossParseTest {
    static final MacAddress GUEST_MAC = MacAddress.parse("52:54:00:aa:bb:01");
    static final MacAddress VIRBR0_MAC = MacAddress.parse("52:54:00:73:62:06");
    static final Ipv4Address GUEST = Ipv4Address.parse("192.168.122.55");
    static final Ipv4Address GW = Ipv4Address.parse("192.168.122.1");
    static final Ipv4Address GOOGLE = Ipv4Address.parse("8.8.8.8");
    static final EthernetHeader TO_GW = new EthernetHeader(VIRBR0_MAC, GUEST_MAC, EtherType.IPV4);

    @Test
    void arpFramesAgree() throws IllegalRawDataException, ParseException, UnknownHostException {
        for (ArpMessage m : List.of(ArpMessage.request(GUEST_MAC, GUEST, GW), ArpMessage.reply(VIRBR0_MAC, GW, GUEST_MAC, GUEST),
                ArpMessage.gratuitous(GUEST_MAC, GUEST))) {
            ByteBuf frame = Frames.arp(new EthernetHeader(MacAddress.BROADCAST, m.senderMac(), EtherType.ARP), m);
            EthernetPacket theirs = pcap4j(frame);
            assertEthernetAgrees(frame, theirs);
            ArpPacket.ArpHeader arp = theirs.get(ArpPacket.class).getHeader();
            assertThat(arp.getOperation().value()).isEqualTo((short) m.operation().value());
            assertThat(arp.getSrcHardwareAddr().getAddress()).isEqualTo(m.senderMac().toBytes());
            assertThat(arp.getSrcProtocolAddr()).isEqualTo(inet(m.senderIp()));
            assertThat(arp.getDstHardwareAddr().getAddress()).isEqualTo(m.targetMac().toBytes());
            assertThat(arp.getDstProtocolAddr()).isEqualTo(inet(m.targetIp()));
        }
    }

    @Test
    void echoRequestAndReplyAgree() throws IllegalRawDataException, ParseException, UnknownHostException {
        IcmpMessage.Echo request = new IcmpMessage.Echo(true, 4098, 1, bytes(56, 0x10));
        ByteBuf frame = Frames.ethernetIpv4(TO_GW, Ipv4Header.of(GUEST, GOOGLE, IpProtocol.ICMP, 64, 9620, true, 0), request);
        EthernetPacket theirs = pcap4j(frame);
        assertIpv4Agrees(frame, theirs);
        IcmpV4EchoPacket.IcmpV4EchoHeader echo = theirs.get(IcmpV4EchoPacket.class).getHeader();
        assertThat(echo.getIdentifierAsInt()).isEqualTo(4098);
        assertThat(echo.getSequenceNumberAsInt()).isEqualTo(1);

        ByteBuf reply = Frames.ethernetIpv4(TO_GW, Ipv4Header.of(GOOGLE, GUEST, IpProtocol.ICMP, 62, 59032, false, 0), request.reply());
        EthernetPacket theirReply = pcap4j(reply);
        assertIpv4Agrees(reply, theirReply);
        assertThat(theirReply.get(IcmpV4EchoReplyPacket.class).getHeader().getIdentifierAsInt()).isEqualTo(4098);
    }

    @Test
    void errorsWithTheirQuotedDatagramsAgree() throws IllegalRawDataException, ParseException, UnknownHostException {
        ByteBuf query = Frames.ethernetIpv4(TO_GW, Ipv4Header.of(GUEST, GOOGLE, IpProtocol.UDP, 64, 16456, false, 0),
                new UdpHeader(40004, 5353, 0), bytes(51, 0x30));
        Ipv4Packet queryIp = Ipv4Packet.checked(EthernetFrame.checked(query).payload());
        IcmpMessage unreachable = IcmpErrors.destinationUnreachable(IcmpCode.PORT_UNREACHABLE, queryIp, 1500);
        IcmpMessage exceeded = IcmpErrors.timeExceeded(IcmpCode.TTL_EXCEEDED, queryIp, 1500);
        IcmpMessage fragNeeded = IcmpErrors.fragmentationNeeded(1400, queryIp, 1500);
        for (IcmpMessage error : List.of(unreachable, exceeded, fragNeeded)) {
            ByteBuf frame = Frames.ethernetIpv4(TO_GW.withEtherType(EtherType.IPV4),
                    IcmpErrors.header(GW, queryIp, 50941, 64, error), error);
            EthernetPacket theirs = pcap4j(frame);
            assertIpv4Agrees(frame, theirs);
        }
        EthernetPacket theirs = pcap4j(Frames.ethernetIpv4(TO_GW, IcmpErrors.header(GW, queryIp, 1, 64, fragNeeded), fragNeeded));
        assertThat(theirs.get(IcmpV4DestinationUnreachablePacket.class).getHeader().getUnused() & 0xffff).isEqualTo(1400);
    }

    @Test
    void udpDatagramsAgree() throws IllegalRawDataException, ParseException, UnknownHostException {
        ByteBuf frame = Frames.ethernetIpv4(TO_GW, Ipv4Header.of(GUEST, GOOGLE, IpProtocol.UDP, 64, 12412, false, 0),
                new UdpHeader(40002, 53, 0), bytes(51, 0x41));
        assertIpv4Agrees(frame, pcap4j(frame));
        ByteBuf odd = Frames.ethernetIpv4(TO_GW, Ipv4Header.of(GUEST, GOOGLE, IpProtocol.UDP, 64, 1, false, 0),
                new UdpHeader(700, 53, 0), bytes(7, 0xfe));
        assertIpv4Agrees(odd, pcap4j(odd));
    }

    @Test
    void tcpSegmentsWithOptionsAgree() throws IllegalRawDataException, ParseException, UnknownHostException {
        TcpHeader syn = new TcpHeader(40003, 80, 2848270126L, 0, TcpFlags.SYN, 64240, 0, List.of(new TcpOption.Mss(1460),
                new TcpOption.SackPermitted(), new TcpOption.Timestamps(1061223623L, 0), new TcpOption.NoOp(), new TcpOption.WindowScale(10)));
        TcpHeader push = new TcpHeader(40003, 80, 2848270127L, 1765742022L, TcpFlags.PSH | TcpFlags.ACK, 63, 0,
                List.of(new TcpOption.NoOp(), new TcpOption.NoOp(), new TcpOption.Timestamps(1061223623L, 1286277321L)));
        TcpHeader sack = new TcpHeader(40003, 80, 1, 2, TcpFlags.ACK | TcpFlags.ECE | TcpFlags.CWR, 500, 0, List.of(new TcpOption.NoOp(),
                new TcpOption.NoOp(), new TcpOption.Sack(List.of(new TcpOption.SackBlock(100, 200), new TcpOption.SackBlock(300, 400)))));
        TcpHeader rst = new TcpHeader(81, 40005, 0, 2353056439L, TcpFlags.RST | TcpFlags.ACK, 0, 0, List.of());
        TcpHeader odd = new TcpHeader(1, 2, 3, 4, TcpFlags.FIN | TcpFlags.URG | TcpFlags.ACK, 5, 6, List.of(new TcpOption.Mss(536)));
        for (TcpHeader h : List.of(syn, push, sack, rst, odd)) {
            ByteBuf frame = Frames.ethernetIpv4(TO_GW, Ipv4Header.of(GUEST, Ipv4Address.parse("142.250.1.1"), IpProtocol.TCP, 64, 21234, true, 0),
                    h, h == push ? "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII) : new byte[0]);
            assertIpv4Agrees(frame, pcap4j(frame));
        }
    }

    @Test
    void vlanTaggedFramesAgree() throws IllegalRawDataException, ParseException, UnknownHostException {
        EthernetHeader tagged = new EthernetHeader(VIRBR0_MAC, GUEST_MAC, EtherType.IPV4, 0x2000 | 42);
        ByteBuf frame = Frames.ethernetIpv4(tagged, Ipv4Header.of(GUEST, GOOGLE, IpProtocol.UDP, 64, 7, false, 0),
                new UdpHeader(5000, 53, 0), bytes(20, 1));
        EthernetPacket theirs = pcap4j(frame);
        Dot1qVlanTagPacket.Dot1qVlanTagHeader tag = theirs.get(Dot1qVlanTagPacket.class).getHeader();
        assertThat(tag.getVidAsInt()).isEqualTo(42);
        assertThat(tag.getPriority()).isEqualTo((byte) 1);
        assertThat(tag.getType().value()).isEqualTo((short) 0x0800);
        assertIpv4Agrees(frame, theirs);
    }

    @Test
    void fragmentsAndOptionsAgreeAtTheIpLayer() throws IllegalRawDataException, ParseException, UnknownHostException {
        Ipv4Header fragment = new Ipv4Header(0x10, 77, false, true, 1480, 64, IpProtocol.UDP, GUEST, GOOGLE, new byte[0], 0);
        ByteBuf frame = Frames.ethernetIpv4(TO_GW, fragment, bytes(64, 3));
        assertIpv4Agrees(frame, pcap4j(frame));
        Ipv4Header withOptions = new Ipv4Header(0, 78, true, false, 0, 1, IpProtocol.UDP, GUEST, GOOGLE,
                new byte[] {1, 1, 1, 0}, 0);
        ByteBuf frame2 = Frames.ethernetIpv4(TO_GW, withOptions, new UdpHeader(1, 2, 0), bytes(4, 9));
        assertIpv4Agrees(frame2, pcap4j(frame2));
    }

    // ---- comparison of our views with pcap4j's decode, layer by layer ----

    private static void assertEthernetAgrees(ByteBuf frame, EthernetPacket theirs) throws ParseException {
        EthernetFrame ours = EthernetFrame.checked(frame);
        assertThat(theirs.getHeader().getDstAddr().getAddress()).isEqualTo(ours.destination().toBytes());
        assertThat(theirs.getHeader().getSrcAddr().getAddress()).isEqualTo(ours.source().toBytes());
        assertThat(theirs.getHeader().getType().value()).isEqualTo((short) (ours.isTagged() ? 0x8100 : ours.etherType().value()));
    }

    private static void assertIpv4Agrees(ByteBuf frame, EthernetPacket theirs) throws ParseException, UnknownHostException {
        assertEthernetAgrees(frame, theirs);
        Ipv4Packet ours = Ipv4Packet.checked(EthernetFrame.checked(frame).payload());
        IpV4Packet ip = theirs.get(IpV4Packet.class);
        assertThat(ip).as("pcap4j sees IPv4").isNotNull();
        assertIpv4Agrees(ours, ip, true);
    }

    private static void assertIpv4Agrees(Ipv4Packet ours, IpV4Packet ip, boolean whole) throws ParseException, UnknownHostException {
        IpV4Packet.IpV4Header h = ip.getHeader();
        assertThat(h.getIhlAsInt() * 4).isEqualTo(ours.headerLength());
        assertThat(h.getTos().value() & 0xff).isEqualTo(ours.tos());
        assertThat(h.getTotalLengthAsInt()).isEqualTo(ours.totalLength());
        assertThat(h.getIdentificationAsInt()).isEqualTo(ours.identification());
        assertThat(h.getDontFragmentFlag()).isEqualTo(ours.dontFragment());
        assertThat(h.getMoreFragmentFlag()).isEqualTo(ours.moreFragments());
        assertThat(h.getFragmentOffset() * 8).isEqualTo(ours.fragmentOffset());
        assertThat(h.getTtlAsInt()).isEqualTo(ours.ttl());
        assertThat(h.getProtocol().value() & 0xff).isEqualTo(ours.protocol().value());
        assertThat(h.getHeaderChecksum() & 0xffff).isEqualTo(ours.headerChecksum());
        assertThat(h.hasValidChecksum(false)).as("pcap4j: IPv4 header checksum valid").isTrue();
        assertThat(h.getSrcAddr()).isEqualTo(inet(ours.source()));
        assertThat(h.getDstAddr()).isEqualTo(inet(ours.destination()));
        if (ours.isFragment()) return;
        Packet l4 = ip.getPayload();
        if (ours.protocol().equals(IpProtocol.UDP)) {
            UdpDatagram u = UdpDatagram.checkedTruncated(ours.payload());
            UdpPacket theirs = (UdpPacket) l4;
            assertThat(theirs.getHeader().getSrcPort().valueAsInt()).isEqualTo(u.sourcePort());
            assertThat(theirs.getHeader().getDstPort().valueAsInt()).isEqualTo(u.destinationPort());
            assertThat(theirs.getHeader().getLengthAsInt()).isEqualTo(u.length());
            assertThat(theirs.getHeader().getChecksum() & 0xffff).isEqualTo(u.checksum());
            if (whole) assertThat(theirs.hasValidChecksum(inet(ours.source()), inet(ours.destination()), false)).as("pcap4j: UDP checksum").isTrue();
        } else if (ours.protocol().equals(IpProtocol.TCP)) {
            TcpSegment t = TcpSegment.checked(ours.payload());
            TcpPacket.TcpHeader theirs = ((TcpPacket) l4).getHeader();
            assertThat(theirs.getSrcPort().valueAsInt()).isEqualTo(t.sourcePort());
            assertThat(theirs.getDstPort().valueAsInt()).isEqualTo(t.destinationPort());
            assertThat(theirs.getSequenceNumberAsLong()).isEqualTo(t.sequence());
            assertThat(theirs.getAcknowledgmentNumberAsLong()).isEqualTo(t.acknowledgment());
            assertThat(theirs.getDataOffsetAsInt()).isEqualTo(t.dataOffset());
            assertThat(List.of(theirs.getFin(), theirs.getSyn(), theirs.getRst(), theirs.getPsh(), theirs.getAck(), theirs.getUrg()))
                    .isEqualTo(List.of(t.has(TcpFlags.FIN), t.has(TcpFlags.SYN), t.has(TcpFlags.RST), t.has(TcpFlags.PSH),
                            t.has(TcpFlags.ACK), t.has(TcpFlags.URG)));
            assertThat(theirs.getWindowAsInt()).isEqualTo(t.window());
            assertThat(theirs.getChecksum() & 0xffff).isEqualTo(t.checksum());
            assertThat(theirs.getUrgentPointerAsInt()).isEqualTo(t.urgentPointer());
            assertThat(((TcpPacket) l4).hasValidChecksum(inet(ours.source()), inet(ours.destination()), false)).as("pcap4j: TCP checksum").isTrue();
            assertThat(describe(theirs.getOptions())).isEqualTo(describeOurs(t.optionList()));
        } else if (ours.protocol().equals(IpProtocol.ICMP)) {
            IcmpPacket i = IcmpPacket.checked(ours.payload());
            IcmpV4CommonPacket theirs = (IcmpV4CommonPacket) l4;
            assertThat(theirs.getHeader().getType().value() & 0xff).isEqualTo(i.type());
            assertThat(theirs.getHeader().getCode().value() & 0xff).isEqualTo(i.code());
            assertThat(theirs.getHeader().getChecksum() & 0xffff).isEqualTo(i.checksum());
            if (whole) assertThat(theirs.hasValidChecksum(false)).as("pcap4j: ICMP checksum").isTrue();
            if (i.isError()) {
                Packet quoted = theirs.getPayload().getPayload();
                assertThat(quoted).as("pcap4j decodes the quoted datagram").isInstanceOf(IpV4Packet.class);
                assertIpv4Agrees(i.quoted(), (IpV4Packet) quoted, !i.quoted().isTruncated());
            }
        }
    }

    private static List<String> describe(List<TcpPacket.TcpOption> options) {
        List<String> out = new ArrayList<>();
        for (TcpPacket.TcpOption o : options) {
            if (o instanceof TcpMaximumSegmentSizeOption m) out.add("mss " + m.getMaxSegSizeAsInt());
            else if (o instanceof TcpWindowScaleOption w) out.add("wscale " + w.getShiftCountAsInt());
            else if (o instanceof TcpTimestampsOption t) out.add("ts " + t.getTsValueAsLong() + " " + t.getTsEchoReplyAsLong());
            else if (o instanceof TcpSackOption s) out.add("sack " + (s.getLengthAsInt() - 2) / 8);
            else out.add("kind " + (o.getKind().value() & 0xff));
        }
        return out;
    }

    private static List<String> describeOurs(List<TcpOption> options) {
        List<String> out = new ArrayList<>();
        for (TcpOption o : options) {
            if (o instanceof TcpOption.Mss m) out.add("mss " + m.value());
            else if (o instanceof TcpOption.WindowScale w) out.add("wscale " + w.shift());
            else if (o instanceof TcpOption.Timestamps t) out.add("ts " + t.value() + " " + t.echoReply());
            else if (o instanceof TcpOption.Sack s) out.add("sack " + s.blocks().size());
            else out.add("kind " + o.kind());
        }
        return out;
    }

    private static EthernetPacket pcap4j(ByteBuf frame) throws IllegalRawDataException {
        byte[] b = ByteBufUtil.getBytes(frame);
        return EthernetPacket.newPacket(b, 0, b.length);
    }

    private static InetAddress inet(Ipv4Address a) throws UnknownHostException {
        return Inet4Address.getByAddress(a.toBytes());
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (seed + i);
        return b;
    }
}
