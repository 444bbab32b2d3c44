package org.vnetlab.emulator.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.tcp.TcpFlags;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * Each malformed datagram is dropped and counted where Linux 6.1 counts it: ip_rcv_core (InHdrErrors,
 * InCsumErrors, InTruncatedPkts), __udp4_lib_rcv (InErrors, InCsumErrors, IgnoredMulti), tcp_v4_rcv (InSegs
 * "even if it's bad", InErrs, InCsumErrors), icmp_rcv / icmp_unreach / icmp_socket_deliver (InErrors,
 * InCsumErrors). Only the counter named moves among the error counters, nothing is answered, and the counts
 * show in {@code /proc/net/snmp} and {@code /proc/net/netstat}.
 */
class MalformedCountersTest {
    static final List<String> ERROR_COUNTERS = List.of(Mib.IP_IN_HDR_ERRORS, Mib.IP_EXT_IN_CSUM_ERRORS,
            Mib.IP_EXT_IN_TRUNCATED_PKTS, Mib.IP_IN_ADDR_ERRORS, Mib.UDP_IN_ERRORS, Mib.UDP_IN_CSUM_ERRORS, Mib.UDP_NO_PORTS,
            Mib.UDP_IGNORED_MULTI, Mib.TCP_IN_ERRS, Mib.TCP_IN_CSUM_ERRORS, Mib.ICMP_IN_ERRORS, Mib.ICMP_IN_CSUM_ERRORS);

    Net net;
    IpStack a;
    IpStack b;
    LinkDevice[] wire;
    PacketSocket raw;

    @BeforeEach
    void setUp() {
        net = new Net();
        a = net.stack("a");
        b = net.stack("b");
        wire = net.wire(a, "eth0", "10.0.0.1/24", b, "eth0", "10.0.0.2/24");
        raw = a.openPacketSocket("eth0", f -> { });
    }

    ByteBuf frame(IpProtocol proto, byte[] l4) {
        return frame(wire[1].mac(), "10.0.0.2", proto, l4);
    }

    ByteBuf frame(MacAddress dst, String to, IpProtocol proto, byte[] l4) {
        return Frames.ethernetIpv4(new EthernetHeader(dst, wire[0].mac(), EtherType.IPV4),
                Ipv4Header.of(Net.ip("10.0.0.1"), Net.ip(to), proto, 64, 7, false, 0), l4);
    }

    static final EthernetHeader ANY_ETH = new EthernetHeader(MacAddress.BROADCAST, MacAddress.BROADCAST, EtherType.IPV4);
    static final Ipv4Header A_TO_B = Ipv4Header.of(Net.ip("10.0.0.1"), Net.ip("10.0.0.2"), IpProtocol.UDP, 64, 1, false, 0);

    static byte[] l4(ByteBuf frame) { return ByteBufUtil.getBytes(frame.slice(34, frame.readableBytes() - 34)); }

    /** The transport part of a well-formed datagram from a to b, its checksum right. */
    static byte[] udp(int sport, int dport, byte[] data) {
        return l4(Frames.ethernetIpv4(ANY_ETH, A_TO_B, new UdpHeader(sport, dport, 0), data));
    }

    static byte[] icmp(IcmpMessage m) { return l4(Frames.ethernetIpv4(ANY_ETH, A_TO_B, m)); }

    static byte[] tcp(int flags) {
        return l4(Frames.ethernetIpv4(ANY_ETH, A_TO_B, new TcpHeader(40000, 22, 1000, 0, flags, 64240, 0, List.of()), new byte[0]));
    }

    static byte[] flip(byte[] b, int at) {
        byte[] c = b.clone();
        c[at] ^= 0x5a;
        return c;
    }

    Map<String, Long> errors() {
        Map<String, Long> m = new TreeMap<>();
        for (String c : ERROR_COUNTERS) if (b.counter(c) != 0) m.put(c, b.counter(c));
        return m;
    }

    /** Sends the frames from a's packet socket and returns b's error counters that moved. */
    Map<String, Long> send(ByteBuf... frames) {
        for (ByteBuf f : frames) {
            try {
                raw.send(f);
            } catch (SocketException e) {
                throw new AssertionError(e);
            }
        }
        net.lab.scheduler().runUntilIdle();
        return errors();
    }

    void fixIpChecksum(ByteBuf f) {
        int ihl = (f.getUnsignedByte(14) & 0x0f) * 4;
        f.setShort(14 + 10, 0);
        f.setShort(14 + 10, InternetChecksum.compute(f, 14, Math.min(ihl, f.readableBytes() - 14)));
    }

    @Test
    void ipHeaderErrorsAreInHdrErrorsAChecksumAlsoInCsumErrorsAShortFrameInTruncatedPkts() {
        ByteBuf version6 = frame(IpProtocol.UDP, udp(1, 53, new byte[4]));
        version6.setByte(14, 0x65);
        fixIpChecksum(version6);
        ByteBuf ihl4 = frame(IpProtocol.UDP, udp(1, 53, new byte[4]));
        ihl4.setByte(14, 0x44);
        fixIpChecksum(ihl4);
        ByteBuf ihlPastFrame = frame(IpProtocol.UDP, new byte[0]);
        ihlPastFrame.setByte(14, 0x4f); // 60-byte header in a 20-byte datagram
        assertThat(send(version6, ihl4, ihlPastFrame)).containsExactly(Map.entry(Mib.IP_IN_HDR_ERRORS, 3L));

        ByteBuf badSum = frame(IpProtocol.UDP, udp(1, 53, new byte[4]));
        badSum.setShort(14 + 10, badSum.getUnsignedShort(14 + 10) ^ 0xffff);
        assertThat(send(badSum)).containsOnly(Map.entry(Mib.IP_IN_HDR_ERRORS, 4L), Map.entry(Mib.IP_EXT_IN_CSUM_ERRORS, 1L));

        ByteBuf longerThanFrame = frame(IpProtocol.UDP, udp(1, 53, new byte[4]));
        longerThanFrame.setShort(14 + 2, 1000);
        fixIpChecksum(longerThanFrame);
        ByteBuf shorterThanHeader = frame(IpProtocol.UDP, udp(1, 53, new byte[4]));
        shorterThanHeader.setShort(14 + 2, 12);
        fixIpChecksum(shorterThanHeader);
        assertThat(send(longerThanFrame, shorterThanHeader)).containsOnly(Map.entry(Mib.IP_IN_HDR_ERRORS, 5L),
                Map.entry(Mib.IP_EXT_IN_CSUM_ERRORS, 1L), Map.entry(Mib.IP_EXT_IN_TRUNCATED_PKTS, 1L));
        assertThat(b.counter(Mib.IP_IN_RECEIVES)).as("every one was received first").isEqualTo(6);
        assertThat(b.counter(Mib.IP_IN_DELIVERS)).isZero();
        assertThat(wire[1].counters().rxErrors()).as("the device saw good frames: ip_rcv counts, not the driver").isZero();
        assertThat(ProcNetSnmp.render(b)).contains("Ip: 2 64 6 5 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
        assertThat(ProcNetSnmp.netstatIpExt(b)).contains("IpExt: 0 1 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0\n");
    }

    @Test
    void udpLengthErrorsAndChecksumsAreCountedWhereTheKernelChecksThem() throws Exception {
        UdpSocket dns = b.openUdp();
        dns.bind(Net.ip("0.0.0.0"), 53);
        List<UdpSocket.Datagram> got = new ArrayList<>();
        dns.onReceive(got::add);
        byte[] good = udp(1000, 53, new byte[] {1, 2, 3, 4});
        byte[] lengthBelow8 = good.clone();
        lengthBelow8[5] = 4;
        byte[] lengthPastData = good.clone();
        lengthPastData[5] = 40;
        assertThat(send(frame(IpProtocol.UDP, lengthBelow8), frame(IpProtocol.UDP, lengthPastData),
                frame(IpProtocol.UDP, new byte[] {0, 1, 0, 53})))
                .as("short packets").containsExactly(Map.entry(Mib.UDP_IN_ERRORS, 3L));

        assertThat(send(frame(IpProtocol.UDP, flip(good, 9)))).as("bad checksum at the socket")
                .containsOnly(Map.entry(Mib.UDP_IN_ERRORS, 4L), Map.entry(Mib.UDP_IN_CSUM_ERRORS, 1L));
        assertThat(got).isEmpty();
        assertThat(send(frame(IpProtocol.UDP, flip(udp(1000, 54, new byte[] {1, 2, 3, 4}), 9))))
                .as("bad checksum to a closed port: no NoPorts, no port unreachable")
                .containsOnly(Map.entry(Mib.UDP_IN_ERRORS, 5L), Map.entry(Mib.UDP_IN_CSUM_ERRORS, 2L));
        assertThat(net.ipSentOn("b/eth0")).isEmpty();

        assertThat(send(frame(MacAddress.BROADCAST, "10.0.0.255", IpProtocol.UDP, udp(1000, 9999, new byte[4]))))
                .as("a broadcast nobody listens to is IgnoredMulti, not NoPorts").containsEntry(Mib.UDP_IGNORED_MULTI, 1L)
                .doesNotContainKey(Mib.UDP_NO_PORTS);

        send(frame(IpProtocol.UDP, good));
        assertThat(got).hasSize(1);
        assertThat(b.counter(Mib.UDP_IN_DATAGRAMS)).isEqualTo(1);
        assertThat(ProcNetSnmp.render(b)).contains("Udp: 1 0 5 0 0 0 2 1 0\n");
    }

    @Test
    void tcpCountsEverySegmentInInSegsAndOnlyBadOffsetsAndChecksumsAsErrors() {
        byte[] syn = tcp(TcpFlags.SYN);
        byte[] offset4 = syn.clone();
        offset4[12] = 0x40;
        byte[] offsetPastData = syn.clone();
        offsetPastData[12] = (byte) 0xf0;
        byte[] cut = java.util.Arrays.copyOf(syn, 12);
        assertThat(send(frame(IpProtocol.TCP, flip(syn, 4)), frame(IpProtocol.TCP, offset4),
                frame(IpProtocol.TCP, offsetPastData), frame(IpProtocol.TCP, cut)))
                .containsOnly(Map.entry(Mib.TCP_IN_ERRS, 2L), Map.entry(Mib.TCP_IN_CSUM_ERRORS, 1L));
        assertThat(b.counter(Mib.TCP_IN_SEGS)).as("\"Count it even if it's bad\"").isEqualTo(4);
        assertThat(b.counter(Mib.TCP_OUT_RSTS)).as("no reset for a segment the kernel cannot trust").isZero();
        assertThat(net.ipSentOn("b/eth0")).isEmpty();

        send(frame(IpProtocol.TCP, syn)); // a good SYN to a closed port gets its RST
        assertThat(b.counter(Mib.TCP_OUT_RSTS)).isEqualTo(1);
        assertThat(ProcNetSnmp.render(b)).contains("Tcp: 1 200 120000 -1 0 0 0 0 0 5 1 0 2 1 1\n");
    }

    @Test
    void icmpChecksumLengthTypeAndQuotedHeaderErrorsAreInErrors() {
        byte[] echo = icmp(new IcmpMessage.Echo(true, 9, 1, Net.pingData()));
        assertThat(send(frame(IpProtocol.ICMP, flip(echo, 10)))).containsOnly(
                Map.entry(Mib.ICMP_IN_ERRORS, 1L), Map.entry(Mib.ICMP_IN_CSUM_ERRORS, 1L));
        byte[] four = {8, 0, 0, 0};
        ByteBuf fourBytes = Unpooled.wrappedBuffer(four);
        int sum = InternetChecksum.compute(fourBytes, 0, 4);
        four[2] = (byte) (sum >> 8);
        four[3] = (byte) sum;
        assertThat(send(frame(IpProtocol.ICMP, four))).as("checksum right, header cut: InErrors only")
                .containsOnly(Map.entry(Mib.ICMP_IN_ERRORS, 2L), Map.entry(Mib.ICMP_IN_CSUM_ERRORS, 1L));
        assertThat(send(frame(IpProtocol.ICMP, icmp(new IcmpMessage.Other(99, 0, 0, new byte[4])))))
                .as("type 99 is past NR_ICMP_TYPES").containsEntry(Mib.ICMP_IN_ERRORS, 3L);
        assertThat(b.counter(Mib.icmpMsgIn(99))).as("IcmpMsg counts it first").isEqualTo(1);

        byte[] quote10 = new byte[10];
        byte[] quoteIhl3 = quoted(0x43, 28);
        byte[] quoteWithoutPorts = quoted(0x45, 24);
        assertThat(send(frame(IpProtocol.ICMP, icmp(new IcmpMessage.DestinationUnreachable(3, quote10))),
                frame(IpProtocol.ICMP, icmp(new IcmpMessage.DestinationUnreachable(3, quoteIhl3))),
                frame(IpProtocol.ICMP, icmp(new IcmpMessage.TimeExceeded(0, quoteWithoutPorts)))))
                .containsEntry(Mib.ICMP_IN_ERRORS, 6L);
        assertThat(send(frame(IpProtocol.ICMP, icmp(new IcmpMessage.DestinationUnreachable(20, quoted(0x45, 28))))))
                .as("an unreachable code above 15 is ignored, not an error").containsEntry(Mib.ICMP_IN_ERRORS, 6L);
        assertThat(send(frame(MacAddress.BROADCAST, "10.0.0.255", IpProtocol.ICMP, icmp(new IcmpMessage.Echo(false, 9, 1, new byte[8])))))
                .as("an echo reply to a broadcast address").containsEntry(Mib.ICMP_IN_ERRORS, 7L);
        assertThat(b.counter(Mib.ICMP_IN_MSGS)).isEqualTo(8);
        assertThat(net.ipSentOn("b/eth0")).as("no ICMP error answers an ICMP error or garbage").isEmpty();
        assertThat(ProcNetSnmp.render(b)).startsWith("Ip: Forwarding DefaultTTL InReceives InHdrErrors")
                .as("neither the bad-checksum echo nor the cut one reached the per-type count")
                .contains("Icmp: 8 7 1 ").contains("IcmpMsg: InType0 InType3 InType11 InType99\nIcmpMsg: 1 3 1 1\n");
    }

    /** A quoted IPv4 header with the given version/IHL byte, {@code length} bytes in all, UDP, from b to a. */
    static byte[] quoted(int versionIhl, int length) {
        byte[] q = new byte[length];
        q[0] = (byte) versionIhl;
        q[2] = 0;
        q[3] = (byte) length;
        q[8] = 64;
        q[9] = 17;
        byte[] src = {10, 0, 0, 2};
        byte[] dst = {10, 0, 0, 1};
        System.arraycopy(src, 0, q, 12, 4);
        System.arraycopy(dst, 0, q, 16, 4);
        return q;
    }
}
