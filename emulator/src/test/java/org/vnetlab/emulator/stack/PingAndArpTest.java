package org.vnetlab.emulator.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.arp.ArpMessage;
import org.vnetlab.protocols.arp.ArpOperation;
import org.vnetlab.protocols.arp.ArpPacket;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpPacket;
import org.vnetlab.protocols.icmp.IcmpType;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

class PingAndArpTest {

    @Test
    void two_stacks_ping_each_other_after_arp_with_linux_header_fields() throws Exception {
        Net net = new Net();
        IpStack a = net.stack("a");
        IpStack b = net.stack("b");
        net.wire(a, "eth0", "10.0.0.1/24", b, "eth0", "10.0.0.2/24");
        List<PingSocket.Reply> replies = new ArrayList<>();
        PingSocket ping = a.openPing(4098).onReply(replies::add);

        ping.send(Net.ip("10.0.0.2"), 1, Net.pingData());
        net.lab.scheduler().runUntilIdle();

        assertThat(replies).hasSize(1);
        PingSocket.Reply r = replies.get(0);
        assertThat(r.from()).isEqualTo(Net.ip("10.0.0.2"));
        assertThat(r.ttl()).isEqualTo(64);
        assertThat(r.sequence()).isEqualTo(1);
        assertThat(r.data()).isEqualTo(Net.pingData());

        List<Net.Captured> fromA = net.sentOn("a/eth0");
        ArpMessage who = ArpMessage.parse(ArpPacket.checked(fromA.get(0).frame().payload()));
        assertThat(fromA.get(0).frame().destination().isBroadcast()).isTrue();
        assertThat(who.operation()).isEqualTo(ArpOperation.REQUEST);
        assertThat(who.senderIp()).isEqualTo(Net.ip("10.0.0.1"));
        assertThat(who.targetIp()).isEqualTo(Net.ip("10.0.0.2"));

        Ipv4Packet request = fromA.get(1).ip();
        assertThat(request.ttl()).isEqualTo(64);
        assertThat(request.dontFragment()).as("Linux ping: IP_PMTUDISC_WANT sets DF").isTrue();
        assertThat(request.verifyChecksum()).isTrue();

        // b learnt a from its request (STALE), so it answers without asking; the reply has no DF (icmp_reply)
        List<Net.Captured> fromB = net.sentOn("b/eth0");
        assertThat(fromB.get(0).isArp()).isTrue();
        Ipv4Packet reply = fromB.get(1).ip();
        IcmpPacket echo = IcmpPacket.checked(reply.payload());
        assertThat(echo.type()).isEqualTo(IcmpType.ECHO_REPLY);
        assertThat(echo.identifier()).isEqualTo(4098);
        assertThat(echo.sequence()).isEqualTo(1);
        assertThat(echo.verifyChecksum()).isTrue();
        assertThat(reply.dontFragment()).isFalse();
        assertThat(reply.ttl()).isEqualTo(64);
        // b used its STALE entry for a: DELAY, then 5 s later a unicast probe to a's MAC (Linux does the same)
        assertThat(fromB).hasSize(3);
        assertThat(fromB.get(2).time()).isEqualTo(Net.seconds(5));
        assertThat(fromB.get(2).isArp()).isTrue();
        assertThat(fromB.get(2).frame().destination()).isEqualTo(a.iface("eth0").orElseThrow().device().mac());

        assertThat(a.neighbours().lookup("eth0", Net.ip("10.0.0.2")).orElseThrow().state())
                .isEqualTo(NeighbourCache.State.REACHABLE);
        assertThat(b.neighbours().lookup("eth0", Net.ip("10.0.0.1")).orElseThrow().state())
                .as("learnt STALE from the request, confirmed by the probe's reply").isEqualTo(NeighbourCache.State.REACHABLE);
    }

    @Test
    void unanswered_arp_fails_after_three_requests_one_second_apart_with_host_unreachable_to_the_pinger() throws Exception {
        Net net = new Net();
        IpStack a = net.stack("a");
        IpStack b = net.stack("b");
        net.wire(a, "eth0", "10.0.0.1/24", b, "eth0", "10.0.0.2/24");
        List<PingSocket.Failure> failures = new ArrayList<>();
        List<Long> when = new ArrayList<>();
        PingSocket ping = a.openPing(7).onFailure(f -> {
            failures.add(f);
            when.add(net.lab.now());
        });

        ping.send(Net.ip("10.0.0.99"), 1, Net.pingData());
        net.lab.scheduler().runUntilIdle();

        List<Net.Captured> arps = net.sentOn("a/eth0").stream().filter(Net.Captured::isArp).toList();
        assertThat(arps).extracting(Net.Captured::time).containsExactly(0L, Net.seconds(1), Net.seconds(2));
        assertThat(failures).hasSize(1);
        assertThat(when).containsExactly(Net.seconds(3));
        SocketError e = failures.get(0).error();
        assertThat(e.errno()).isEqualTo(Errno.EHOSTUNREACH);
        assertThat(e.icmp().orElseThrow().type()).isEqualTo(IcmpType.DESTINATION_UNREACHABLE);
        assertThat(e.icmp().orElseThrow().code()).isEqualTo(IcmpCode.HOST_UNREACHABLE);
        assertThat(e.icmp().orElseThrow().from()).isEqualTo(Net.ip("10.0.0.1"));
        assertThat(a.neighbours().lookup("eth0", Net.ip("10.0.0.99")).orElseThrow().state()).isEqualTo(NeighbourCache.State.FAILED);
        assertThat(a.neighbours().show()).contains("10.0.0.99 dev eth0 FAILED");
    }

    @Test
    void reachable_entry_goes_stale_after_reachable_time_then_delay_and_unicast_probe_when_used() throws Exception {
        Net net = new Net();
        IpStack a = net.stack("a");
        IpStack b = net.stack("b");
        net.wire(a, "eth0", "10.0.0.1/24", b, "eth0", "10.0.0.2/24");
        PingSocket ping = a.openPing(1);
        ping.send(Net.ip("10.0.0.2"), 1, Net.pingData());
        net.lab.scheduler().runFor(Net.seconds(46)); // beyond 3/2 x base_reachable_time
        assertThat(a.neighbours().lookup("eth0", Net.ip("10.0.0.2")).orElseThrow().state()).isEqualTo(NeighbourCache.State.STALE);

        int before = net.sentOn("a/eth0").size();
        ping.send(Net.ip("10.0.0.2"), 2, Net.pingData());
        net.lab.scheduler().runFor(Net.seconds(1));
        assertThat(a.neighbours().lookup("eth0", Net.ip("10.0.0.2")).orElseThrow().state()).isEqualTo(NeighbourCache.State.DELAY);
        assertThat(net.sentOn("a/eth0").subList(before, net.sentOn("a/eth0").size())).noneMatch(Net.Captured::isArp);
        net.lab.scheduler().runFor(Net.seconds(5));
        List<Net.Captured> probes = net.sentOn("a/eth0").subList(before, net.sentOn("a/eth0").size()).stream()
                .filter(Net.Captured::isArp)
                .filter(c -> c.frame().payload().getUnsignedShort(6) == ArpOperation.REQUEST.value()).toList();
        assertThat(probes).hasSize(1);
        assertThat(probes.get(0).frame().destination()).as("PROBE asks the cached MAC directly").isEqualTo(b.iface("eth0").orElseThrow().device().mac());
        assertThat(a.neighbours().lookup("eth0", Net.ip("10.0.0.2")).orElseThrow().state()).isEqualTo(NeighbourCache.State.REACHABLE);
    }

    @Test
    void gratuitous_arp_updates_an_existing_entry_but_creates_none() throws Exception {
        Net net = new Net();
        IpStack a = net.stack("a");
        IpStack b = net.stack("b");
        net.wire(a, "eth0", "10.0.0.1/24", b, "eth0", "10.0.0.2/24");
        a.openPing(1).send(Net.ip("10.0.0.2"), 1, Net.pingData());
        net.lab.scheduler().runUntilIdle();
        PacketSocket raw = b.openPacketSocket("eth0", f -> { });
        org.vnetlab.protocols.MacAddress moved = org.vnetlab.protocols.MacAddress.parse("52:54:00:99:99:99");
        raw.send(org.vnetlab.protocols.build.Frames.arp(new org.vnetlab.protocols.ethernet.EthernetHeader(
                org.vnetlab.protocols.MacAddress.BROADCAST, moved, org.vnetlab.protocols.ethernet.EtherType.ARP),
                ArpMessage.gratuitous(moved, Net.ip("10.0.0.2"))));
        raw.send(org.vnetlab.protocols.build.Frames.arp(new org.vnetlab.protocols.ethernet.EthernetHeader(
                org.vnetlab.protocols.MacAddress.BROADCAST, moved, org.vnetlab.protocols.ethernet.EtherType.ARP),
                ArpMessage.gratuitous(moved, Net.ip("10.0.0.77"))));
        net.lab.scheduler().runUntilIdle();
        assertThat(a.neighbours().lookup("eth0", Net.ip("10.0.0.2")).orElseThrow().mac()).contains(moved);
        assertThat(a.neighbours().lookup("eth0", Net.ip("10.0.0.77"))).isEmpty();
    }
}
