package org.vnetlab.emulator.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.icmp.IcmpType;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.udp.UdpHeader;

/** Malformed input is counted and dropped; ICMP errors obey the kernel's rate limits. */
class RobustnessTest {
    Net net;
    IpStack a;
    IpStack b;
    LinkDevice[] wire;
    PacketSocket raw;
    MacAddress aMac;
    MacAddress bMac;

    @BeforeEach
    void setUp() {
        net = new Net();
        a = net.stack("a");
        b = net.stack("b");
        wire = net.wire(a, "eth0", "10.0.0.1/24", b, "eth0", "10.0.0.2/24");
        raw = a.openPacketSocket("eth0", f -> { });
        aMac = wire[0].mac();
        bMac = wire[1].mac();
    }

    private ByteBuf echo(MacAddress dst, int ttl) {
        return Frames.ethernetIpv4(new EthernetHeader(dst, aMac, EtherType.IPV4),
                Ipv4Header.of(Net.ip("10.0.0.1"), Net.ip("10.0.0.2"), IpProtocol.ICMP, ttl, 1, false, 0),
                new IcmpMessage.Echo(true, 1, 1, Net.pingData()));
    }

    @Test
    void malformed_frames_are_counted_and_dropped_and_a_good_packet_still_gets_through() throws Exception {
        ByteBuf badChecksum = echo(bMac, 64);
        badChecksum.setShort(14 + 10, badChecksum.getUnsignedShort(14 + 10) ^ 0x0101);
        ByteBuf truncatedHeader = Unpooled.copiedBuffer(echo(bMac, 64).slice(0, 14 + 12));
        ByteBuf shortDatagram = echo(bMac, 64);
        shortDatagram.setShort(14 + 2, 200); // claims more than the frame holds (header checksum fixed: it is checked first)
        shortDatagram.setShort(14 + 10, 0);
        shortDatagram.setShort(14 + 10, org.vnetlab.protocols.checksum.InternetChecksum.compute(shortDatagram, 14, 20));
        ByteBuf notOurs = echo(MacAddress.parse("52:54:00:de:ad:00"), 64);
        ByteBuf badUdp = Frames.ethernetIpv4(new EthernetHeader(bMac, aMac, EtherType.IPV4),
                Ipv4Header.of(Net.ip("10.0.0.1"), Net.ip("10.0.0.2"), IpProtocol.UDP, 64, 2, false, 0),
                new UdpHeader(1000, 53, 0), new byte[] {1, 2, 3, 4});
        badUdp.setShort(14 + 20 + 6, badUdp.getUnsignedShort(14 + 20 + 6) ^ 0x00ff);
        for (ByteBuf f : List.of(badChecksum, truncatedHeader, shortDatagram, notOurs, badUdp)) raw.send(f);
        b.receive(wire[1], Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})); // a runt no link would carry
        net.lab.scheduler().runUntilIdle();

        assertThat(b.counter(Mib.IP_EXT_IN_CSUM_ERRORS)).isEqualTo(1);
        assertThat(b.counter(Mib.IP_IN_HDR_ERRORS)).isEqualTo(2);
        assertThat(b.counter(Mib.IP_EXT_IN_TRUNCATED_PKTS)).isEqualTo(1);
        assertThat(b.counter(Mib.STACK_OTHERHOST)).isEqualTo(1);
        assertThat(b.counter(Mib.UDP_IN_CSUM_ERRORS)).isEqualTo(1);
        assertThat(b.counter(Mib.UDP_NO_PORTS)).as("a bad checksum is not a closed port").isZero();
        assertThat(wire[1].counters().rxLengthErrors()).isEqualTo(1);
        assertThat(net.ipSentOn("b/eth0")).as("nothing answered").isEmpty();

        List<PingSocket.Reply> replies = new ArrayList<>();
        a.openPing(1).onReply(replies::add).send(Net.ip("10.0.0.2"), 1, Net.pingData());
        net.lab.scheduler().runUntilIdle();
        assertThat(replies).hasSize(1);
    }

    @Test
    void time_exceeded_errors_to_one_host_come_in_a_burst_of_six_then_one_per_icmp_ratelimit() throws Exception {
        IpStack r = net.stack("r");
        net.wire(b, "eth1", "10.0.9.1/24", r, "eth0", "10.0.9.2/24");
        b.setIpForward(true);
        a.addDefaultRoute(Net.ip("10.0.0.2"), "eth0", 0);
        PingSocket ping = a.openPing(3).setTtl(1);
        ping.send(Net.ip("10.0.9.2"), 0, Net.pingData()); // resolve ARP first
        net.lab.scheduler().runUntilIdle();
        net.lab.scheduler().runFor(Net.seconds(10)); // tokens refill to the 6 s burst
        List<PingSocket.Failure> failures = new ArrayList<>();
        ping.onFailure(failures::add);
        for (int i = 1; i <= 10; i++) ping.send(Net.ip("10.0.9.2"), i, Net.pingData());
        net.lab.scheduler().runUntilIdle();
        assertThat(failures).extracting(PingSocket.Failure::sequence).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(b.counter(Mib.ICMP_OUT_RATE_LIMIT_HOST)).isEqualTo(4);

        net.lab.scheduler().runFor(Net.seconds(1));
        for (int i = 11; i <= 12; i++) ping.send(Net.ip("10.0.9.2"), i, Net.pingData());
        net.lab.scheduler().runUntilIdle();
        assertThat(failures).extracting(PingSocket.Failure::sequence).endsWith(6, 11);
        assertThat(failures).hasSize(7);

        // echo replies are not in icmp_ratemask: never limited
        List<PingSocket.Reply> replies = new ArrayList<>();
        PingSocket fast = a.openPing(4).onReply(replies::add);
        for (int i = 0; i < 20; i++) fast.send(Net.ip("10.0.0.2"), i, Net.pingData());
        net.lab.scheduler().runUntilIdle();
        assertThat(replies).hasSize(20);
        assertThat(a.counter(Mib.icmpMsgIn(IcmpType.TIME_EXCEEDED))).isEqualTo(8);
    }
}
