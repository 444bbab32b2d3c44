package org.vnetlab.emulator.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.icmp.IcmpPacket;
import org.vnetlab.protocols.icmp.IcmpType;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/** A — R — B: two subnets and a Linux router between them. */
class ForwardingTest {
    Net net;
    IpStack a;
    IpStack r;
    IpStack b;
    List<PingSocket.Reply> replies = new ArrayList<>();
    List<PingSocket.Failure> failures = new ArrayList<>();
    PingSocket ping;

    @BeforeEach
    void topology() {
        net = new Net();
        a = net.stack("a");
        r = net.stack("r");
        b = net.stack("b");
        net.wire(a, "eth0", "10.0.1.2/24", r, "eth0", "10.0.1.1/24");
        net.wire(r, "eth1", "10.0.2.1/24", b, "eth0", "10.0.2.2/24");
        a.addDefaultRoute(Net.ip("10.0.1.1"), "eth0", 0);
        b.addDefaultRoute(Net.ip("10.0.2.1"), "eth0", 0);
        r.setIpForward(true);
        ping = a.openPing(0x1001).onReply(replies::add).onFailure(failures::add);
    }

    @Test
    void the_router_decrements_ttl_with_a_valid_checksum_and_keeps_id_df_and_echo_id() throws Exception {
        ping.send(Net.ip("10.0.2.2"), 1, Net.pingData());
        net.lab.scheduler().runUntilIdle();

        assertThat(replies).extracting(PingSocket.Reply::ttl).containsExactly(63);
        Ipv4Packet sent = net.ipSentOn("a/eth0").get(0).ip();
        Ipv4Packet forwarded = net.ipSentOn("r/eth1").get(0).ip();
        assertThat(forwarded.ttl()).isEqualTo(63);
        assertThat(forwarded.verifyChecksum()).isTrue();
        assertThat(forwarded.identification()).isEqualTo(sent.identification());
        assertThat(forwarded.dontFragment()).isEqualTo(sent.dontFragment());
        assertThat(ByteBufUtil.getBytes(forwarded.payload())).isEqualTo(ByteBufUtil.getBytes(sent.payload()));
        assertThat(r.counter(Mib.IP_FORW_DATAGRAMS)).isEqualTo(2);
    }

    @Test
    void ttl_1_dies_at_the_router_with_time_exceeded_from_the_ingress_address_quoting_the_whole_datagram() throws Exception {
        ping.setTtl(1);
        ping.send(Net.ip("10.0.2.2"), 1, Net.pingData());
        net.lab.scheduler().runUntilIdle();

        assertThat(failures).hasSize(1);
        SocketError.Icmp icmp = failures.get(0).error().icmp().orElseThrow();
        assertThat(icmp.type()).isEqualTo(IcmpType.TIME_EXCEEDED);
        assertThat(icmp.from()).isEqualTo(Net.ip("10.0.1.1"));
        assertThat(failures.get(0).sequence()).isEqualTo(1);
        assertThat(net.ipSentOn("r/eth1")).isEmpty();

        Ipv4Packet original = net.ipSentOn("a/eth0").get(0).ip();
        Ipv4Packet error = net.ipSentOn("r/eth0").get(0).ip();
        assertThat(error.tos()).isEqualTo(0xc0);
        assertThat(error.ttl()).isEqualTo(64);
        assertThat(error.dontFragment()).isFalse();
        assertThat(error.source()).isEqualTo(Net.ip("10.0.1.1"));
        IcmpPacket te = IcmpPacket.checked(error.payload());
        assertThat(te.code()).isEqualTo(IcmpCode.TTL_EXCEEDED);
        assertThat(te.verifyChecksum()).isTrue();
        assertThat(ByteBufUtil.getBytes(te.data())).as("the quote is the datagram as received, TTL 1")
                .isEqualTo(ByteBufUtil.getBytes(original.buffer()));
        assertThat(r.counter(Mib.IP_IN_HDR_ERRORS)).isEqualTo(1);
    }

    @Test
    void with_ip_forward_0_a_transit_packet_is_dropped_silently_and_counted_as_an_address_error() throws Exception {
        r.setIpForward(false);
        ping.send(Net.ip("10.0.2.2"), 1, Net.pingData());
        net.lab.scheduler().runUntilIdle();

        assertThat(replies).isEmpty();
        assertThat(failures).isEmpty();
        assertThat(net.ipSentOn("r/eth0")).isEmpty();
        assertThat(net.ipSentOn("r/eth1")).isEmpty();
        assertThat(r.counter(Mib.IP_IN_ADDR_ERRORS)).isEqualTo(1);
        // the router itself still answers
        ping.send(Net.ip("10.0.1.1"), 2, Net.pingData());
        net.lab.scheduler().runUntilIdle();
        assertThat(replies).hasSize(1);
    }

    @Test
    void no_route_at_the_router_answers_net_unreachable_and_a_local_send_fails_with_enetunreach() throws Exception {
        ping.send(Net.ip("192.0.2.9"), 1, Net.pingData());
        net.lab.scheduler().runUntilIdle();
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).error().errno()).isEqualTo(Errno.ENETUNREACH);
        assertThat(failures.get(0).error().icmp().orElseThrow().code()).isEqualTo(IcmpCode.NET_UNREACHABLE);
        assertThat(failures.get(0).error().icmp().orElseThrow().from()).isEqualTo(Net.ip("10.0.1.1"));

        PingSocket own = r.openPing(5);
        try {
            own.send(Net.ip("192.0.2.9"), 1, Net.pingData());
            throw new AssertionError("sendto should fail");
        } catch (SocketException e) {
            assertThat(e.errno()).isEqualTo(Errno.ENETUNREACH);
        }
    }

    @Test
    void strict_rp_filter_drops_a_spoofed_source_that_loose_mode_forwards() throws Exception {
        r.setSettings(r.settings().withAll(r.settings().all().withRpFilter(1)));
        a.openPing(1).send(Net.ip("10.0.1.1"), 1, Net.pingData()); // learn r's MAC
        net.lab.scheduler().runUntilIdle();
        MacAddress rMac = r.iface("eth0").orElseThrow().device().mac();
        PacketSocket raw = a.openPacketSocket("eth0", f -> { });
        IcmpMessage echo = new IcmpMessage.Echo(true, 9, 1, Net.pingData());
        // a source from B's subnet arriving on eth0: the route back to it uses eth1
        Ipv4Header spoofed = Ipv4Header.of(Net.ip("10.0.2.77"), Net.ip("10.0.2.2"), IpProtocol.ICMP, 64, 1234, true, 0);
        ByteBuf frame = Frames.ethernetIpv4(new EthernetHeader(rMac, a.iface("eth0").orElseThrow().device().mac(), EtherType.IPV4), spoofed, echo);

        raw.send(frame);
        net.lab.scheduler().runUntilIdle();
        assertThat(net.ipSentOn("r/eth1")).isEmpty();
        assertThat(r.counter(Mib.TCP_EXT_IP_REVERSE_PATH_FILTER)).isEqualTo(1);

        r.setSettings(r.settings().withAll(r.settings().all().withRpFilter(2)));
        raw.send(frame);
        net.lab.scheduler().runUntilIdle();
        assertThat(net.ipSentOn("r/eth1")).hasSize(1);
    }

    @Test
    void a_df_packet_too_big_for_the_next_hop_gets_fragmentation_needed_with_the_mtu() throws Exception {
        r.iface("eth1").orElseThrow().device().setMtu(1400);
        ping.send(Net.ip("10.0.2.2"), 1, new byte[1450]);
        net.lab.scheduler().runUntilIdle();
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).error().errno()).isEqualTo(Errno.EMSGSIZE);
        assertThat(failures.get(0).error().icmp().orElseThrow().info()).isEqualTo(1400);
    }

    @Test
    void a_non_df_packet_too_big_is_fragmented_and_reassembled_by_the_receiver() throws Exception {
        r.iface("eth1").orElseThrow().device().setMtu(1000);
        b.iface("eth0").orElseThrow().device().setMtu(1000); // both ends of a link share its MTU
        ping.setOptions(SendOptions.defaults(SendOptions.Pmtu.DONT));
        byte[] big = new byte[1800];
        for (int i = 0; i < big.length; i++) big[i] = (byte) i;
        ping.send(Net.ip("10.0.2.2"), 1, big);
        net.lab.scheduler().runUntilIdle();
        // a fragments to its own MTU (1480 + 328 bytes of payload); r cuts the first piece again for MTU 1000
        assertThat(net.ipSentOn("a/eth0").stream().filter(c -> c.ip().protocol().equals(IpProtocol.ICMP)).count()).isEqualTo(2);
        assertThat(net.ipSentOn("r/eth1")).extracting(c -> c.ip().fragmentOffset()).containsExactly(0, 976, 1480);
        assertThat(net.ipSentOn("r/eth1")).extracting(c -> c.ip().moreFragments()).containsExactly(true, true, false);
        assertThat(b.counter(Mib.IP_REASM_OKS)).isEqualTo(1);
        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).data()).isEqualTo(big);
    }

    @Test
    void forwarding_back_out_the_ingress_interface_sends_a_host_redirect() throws Exception {
        // a second router on A's subnet is the better next hop for 10.0.3.0/24
        IpStack r2 = net.stack("r2");
        net.device(r2, "eth0", "10.0.1.3/24");
        r.addRoute(org.vnetlab.emulator.hostconf.route.Route.unicast(
                org.vnetlab.emulator.hostconf.route.Ipv4Prefix.parse("10.0.3.0/24"),
                org.vnetlab.emulator.hostconf.route.Nexthop.via(Net.ip("10.0.1.3"), "eth0"), 0));
        ping.send(Net.ip("10.0.3.3"), 1, Net.pingData());
        net.lab.scheduler().runFor(Net.seconds(1));
        Ipv4Packet redirect = net.ipSentOn("r/eth0").stream().map(Net.Captured::ip)
                .filter(p -> p.protocol().equals(IpProtocol.ICMP)).findFirst().orElseThrow();
        IcmpPacket icmp = IcmpPacket.checked(redirect.payload());
        assertThat(icmp.type()).isEqualTo(IcmpType.REDIRECT);
        assertThat(icmp.code()).isEqualTo(IcmpCode.REDIRECT_HOST);
        assertThat(icmp.restOfHeader()).isEqualTo(Net.ip("10.0.1.3").bits());
    }
}
