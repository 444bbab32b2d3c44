package org.vnetlab.emulator.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.SaveFile;
import org.vnetlab.emulator.stack.netfilter.NetfilterPacketFilter;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpType;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * nf_defrag_ipv4 on the article's host (conntrack is in use: libvirt's MASQUERADE): a guest's fragmented
 * datagram is gathered at PREROUTING before raw, conntrack and NAT, tracked and masqueraded as one datagram,
 * and cut again on enp3s0 with the same IP ID, never into pieces bigger than the guest's; replies come back
 * the same way. An incomplete datagram is never forwarded and its queue expires after ipfrag_time without a
 * word to the sender, unless the datagram was for the host itself.
 */
class DefragTest {
    static final MacAddress GUEST_MAC = MacAddress.parse("52:54:00:aa:bb:01");
    static final MacAddress VIRBR0_MAC = MacAddress.parse("52:54:00:73:62:06");

    final ArticleHostTest a = new ArticleHostTest();
    Net net;
    final List<UdpSocket.Datagram> echoed = new ArrayList<>();
    final List<UdpSocket.Datagram> atGuest = new ArrayList<>();

    @BeforeEach
    void article_host_with_an_echo_service_on_8_8_8_8() throws Exception {
        a.article_host();
        net = a.net;
        UdpSocket echo = a.internet.openUdp().bind(Net.ip("8.8.8.8"), 7);
        echo.onReceive(d -> {
            echoed.add(d);
            try {
                echo.sendTo(d.source(), d.sourcePort(), d.data());
            } catch (SocketException e) {
                throw new AssertionError(e);
            }
        });
    }

    private UdpSocket guestSocket() throws SocketException {
        return a.guest.openUdp().bind(Net.ip("192.168.122.55"), 40000).onReceive(atGuest::add);
    }

    RuleCounters counters;

    private NetfilterPacketFilter rules(String save) throws Exception {
        SaveFile s = IptablesSaveParser.parse(save, "test.rules");
        counters = s.counters();
        Netfilter nf = Netfilter.iptables(s.ruleset(), s.counters(), a.host.hostNetwork(), ConntrackSettings.DEFAULTS, 7);
        NetfilterPacketFilter f = new NetfilterPacketFilter(nf, net.lab);
        a.host.setPacketFilter(f);
        return f;
    }

    /** The guest's UDP datagram of {@code size} bytes to 8.8.8.8:7, cut for MTU 1500 as the guest would. */
    private static List<ByteBuf> guestFragments(int size, int id) {
        EthernetHeader eth = new EthernetHeader(VIRBR0_MAC, GUEST_MAC, EtherType.IPV4);
        ByteBuf frame = Frames.ethernetIpv4(eth, Ipv4Header.of(Net.ip("192.168.122.55"), Net.ip("8.8.8.8"), IpProtocol.UDP, 64, id,
                false, 0), new UdpHeader(40000, 7, 0), new byte[size]);
        ByteBuf datagram = frame.copy(14, frame.readableBytes() - 14);
        List<ByteBuf> frames = new ArrayList<>();
        for (ByteBuf f : Fragmenter.fragment(datagram, 1500)) {
            ByteBuf out = Unpooled.buffer(14 + f.readableBytes());
            eth.emit(out, 0);
            out.writerIndex(14);
            out.writeBytes(f);
            frames.add(out);
        }
        return frames;
    }

    private void sendRaw(List<ByteBuf> frames) throws SocketException {
        PacketSocket raw = a.guest.openPacketSocket("eth0", f -> { });
        for (ByteBuf f : frames) raw.send(f);
    }

    private List<Ipv4Packet> ipOut(String path) { return net.ipSentOn(path).stream().map(Net.Captured::ip).toList(); }

    @Test
    void a_3000_byte_udp_datagram_is_one_masqueraded_connection_and_leaves_enp3s0_in_the_guests_fragments_from_192_168_0_10()
            throws Exception {
        guestSocket().sendTo(Net.ip("8.8.8.8"), 7, new byte[3000]);
        net.lab.scheduler().runUntilIdle();

        List<Ipv4Packet> fromGuest = ipOut("guest/eth0");
        List<Ipv4Packet> out = ipOut("host/enp3s0");
        assertThat(fromGuest).hasSize(3);
        assertThat(out).extracting(Ipv4Packet::totalLength).containsExactly(1500, 1500, 68);
        assertThat(out).extracting(Ipv4Packet::fragmentOffset).containsExactly(0, 1480, 2960);
        assertThat(out).extracting(Ipv4Packet::moreFragments).containsExactly(true, true, false);
        assertThat(out).allSatisfy(p -> {
            assertThat(p.source()).as("SNAT in every fragment").isEqualTo(Net.ip("192.168.0.10"));
            assertThat(p.identification()).as("IP ID of the guest's datagram").isEqualTo(fromGuest.get(0).identification());
            assertThat(p.ttl()).isEqualTo(63);
            assertThat(p.dontFragment()).isFalse();
            assertThat(p.verifyChecksum()).isTrue();
        });
        assertThat(echoed).hasSize(1);
        assertThat(echoed.get(0).source()).isEqualTo(Net.ip("192.168.0.10"));
        assertThat(echoed.get(0).data()).hasSize(3000);

        assertThat(a.netfilter.netfilter().conntrack().count()).as("one connection for the whole datagram").isEqualTo(1);
        assertThat(a.netfilter.netfilter().conntrack().list(net.lab.now())).contains("udp").contains("src=192.168.122.55")
                .contains("dport=40000").contains("dst=192.168.0.10");

        // the echo comes back in fragments, gathered, de-NATed and cut again for virbr0
        assertThat(atGuest).hasSize(1);
        assertThat(atGuest.get(0).source()).isEqualTo(Net.ip("8.8.8.8"));
        assertThat(atGuest.get(0).data()).hasSize(3000);
        List<Ipv4Packet> toGuest = ipOut("host/vnet0");
        assertThat(toGuest).hasSize(3).allSatisfy(p -> {
            assertThat(p.destination()).isEqualTo(Net.ip("192.168.122.55"));
            assertThat(p.verifyChecksum()).isTrue();
        });
        assertThat(toGuest).extracting(Ipv4Packet::fragmentOffset).containsExactly(0, 1480, 2960);

        List<String> traces = a.netfilter.traces().stream().map(t -> t.render()).toList();
        assertThat(traces).filteredOn(t -> t.contains("defrag: defragmented 3 fragments")).hasSize(2);
        assertThat(a.netfilter.traces()).filteredOn(t -> t.disposition() == Disposition.STOLEN).hasSize(4);
        assertThat(a.host.counter(Mib.IP_REASM_OKS)).isEqualTo(2);
        assertThat(a.host.counter(Mib.IP_FRAG_CREATES)).isEqualTo(6);
    }

    @Test
    void fragments_never_leave_bigger_than_the_largest_one_that_came_even_through_a_wider_mtu() throws Exception {
        a.guest.iface("eth0").orElseThrow().device().setMtu(1000);
        guestSocket().sendTo(Net.ip("8.8.8.8"), 7, new byte[3000]);
        net.lab.scheduler().runUntilIdle();

        assertThat(ipOut("guest/eth0")).extracting(Ipv4Packet::totalLength).containsExactly(996, 996, 996, 100);
        List<Ipv4Packet> out = ipOut("host/enp3s0");
        assertThat(out).extracting(Ipv4Packet::totalLength).as("frag_max_size 996, not enp3s0's 1500").containsExactly(996, 996, 996, 100);
        assertThat(out).extracting(Ipv4Packet::fragmentOffset).containsExactly(0, 976, 1952, 2928);
        assertThat(echoed).hasSize(1);
    }

    @Test
    void a_datagram_missing_a_fragment_is_never_forwarded_and_expires_after_30_s_without_icmp_to_the_guest() throws Exception {
        List<ByteBuf> frames = guestFragments(3000, 0x1234);
        sendRaw(List.of(frames.get(0), frames.get(2)));
        net.lab.scheduler().runFor(Net.seconds(29));
        assertThat(ipOut("host/enp3s0")).isEmpty();
        assertThat(a.netfilter.netfilter().conntrack().count()).isZero();
        assertThat(a.host.counter(Mib.IP_REASM_TIMEOUT)).isZero();

        net.lab.scheduler().runFor(Net.seconds(2));
        assertThat(a.host.counter(Mib.IP_REASM_TIMEOUT)).isEqualTo(1);
        assertThat(a.host.counter(Mib.IP_REASM_FAILS)).isEqualTo(1);
        assertThat(ipOut("host/vnet0")).as("only an end host says 'reassembly time exceeded'").isEmpty();
        assertThat(ipOut("host/enp3s0")).isEmpty();

        // the missing piece now starts a new queue of its own: still nothing goes out
        sendRaw(List.of(frames.get(1)));
        net.lab.scheduler().runFor(Net.seconds(1));
        assertThat(ipOut("host/enp3s0")).isEmpty();
    }

    @Test
    void an_incomplete_datagram_for_the_host_itself_expires_with_time_exceeded_fragment_reassembly() throws Exception {
        EthernetHeader eth = new EthernetHeader(VIRBR0_MAC, GUEST_MAC, EtherType.IPV4);
        ByteBuf frame = Frames.ethernetIpv4(eth, Ipv4Header.of(Net.ip("192.168.122.55"), Net.ip("192.168.122.1"), IpProtocol.UDP, 64,
                0x4321, false, 0), new UdpHeader(40000, 5000, 0), new byte[2000]);
        ByteBuf first = Fragmenter.fragment(frame.copy(14, frame.readableBytes() - 14), 1500).get(0);
        ByteBuf out = Unpooled.buffer(14 + first.readableBytes());
        eth.emit(out, 0);
        out.writerIndex(14);
        out.writeBytes(first);
        sendRaw(List.of(out));
        net.lab.scheduler().runFor(Net.seconds(31));

        List<Ipv4Packet> toGuest = ipOut("host/vnet0");
        assertThat(toGuest).hasSize(1);
        Ipv4Packet icmp = toGuest.get(0);
        assertThat(icmp.source()).isEqualTo(Net.ip("192.168.122.1"));
        assertThat(icmp.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat((int) icmp.payload().getUnsignedByte(icmp.payload().readerIndex())).isEqualTo(IcmpType.TIME_EXCEEDED);
        assertThat((int) icmp.payload().getUnsignedByte(icmp.payload().readerIndex() + 1)).isEqualTo(IcmpCode.REASSEMBLY_TIME_EXCEEDED);
    }

    @Test
    void an_overlapping_fragment_kills_the_whole_queue() throws Exception {
        List<ByteBuf> frames = guestFragments(3000, 0x2222);
        ByteBuf overlapping = frames.get(1).copy();
        overlapping.setShort(14 + 6, 0x2000 | (1472 / 8)); // starts 8 bytes inside the first fragment
        overlapping.setShort(14 + 10, 0);
        overlapping.setShort(14 + 10, org.vnetlab.protocols.checksum.InternetChecksum.compute(overlapping, 14, 20));
        sendRaw(List.of(frames.get(0), overlapping, frames.get(1), frames.get(2)));
        net.lab.scheduler().runFor(Net.seconds(1));

        assertThat(a.host.counter(Mib.IP_EXT_REASM_OVERLAPS)).isEqualTo(1);
        assertThat(ipOut("host/enp3s0")).as("the queue was dropped; the two last fragments wait in a new one").isEmpty();
    }

    @Test
    void an_exact_duplicate_is_dropped_alone_and_the_datagram_still_completes() throws Exception {
        List<ByteBuf> frames = guestFragments(3000, 0x3333);
        guestSocket();
        sendRaw(List.of(frames.get(0), frames.get(1).copy(), frames.get(1), frames.get(2)));
        net.lab.scheduler().runUntilIdle();

        assertThat(ipOut("host/enp3s0")).extracting(Ipv4Packet::totalLength).containsExactly(1500, 1500, 68);
        assertThat(echoed).hasSize(1);
        assertThat(atGuest).hasSize(1);
    }

    static final String MASQUERADE_AND_DASH_F = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -s 192.168.122.0/24 -o enp3s0 -j MASQUERADE
            COMMIT
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A FORWARD -f -j ACCEPT
            -A FORWARD -s 192.168.122.0/24 -j ACCEPT
            COMMIT
            """;

    private org.vnetlab.emulator.netfilter.Counter forward(int n) {
        return counters.rule(new org.vnetlab.emulator.netfilter.RuleRef(org.vnetlab.emulator.netfilter.TableName.FILTER, "FORWARD", n));
    }

    @Test
    void with_conntrack_in_use_a_dash_f_rule_never_sees_a_fragment_in_forward() throws Exception {
        NetfilterPacketFilter f = rules(MASQUERADE_AND_DASH_F);
        guestSocket().sendTo(Net.ip("8.8.8.8"), 7, new byte[3000]);
        net.lab.scheduler().runUntilIdle();

        assertThat(forward(1).packets()).as("-f").isZero();
        assertThat(forward(2).packets()).as("the whole datagram, once each way out").isEqualTo(1);
        assertThat(forward(2).bytes()).isEqualTo(3028);
        assertThat(ipOut("host/enp3s0")).hasSize(3).allSatisfy(p -> assertThat(p.source()).isEqualTo(Net.ip("192.168.0.10")));
    }

    @Test
    void without_conntrack_fragments_cross_the_hooks_one_by_one_and_dash_f_matches_the_later_ones() throws Exception {
        NetfilterPacketFilter f = rules(MASQUERADE_AND_DASH_F.substring(MASQUERADE_AND_DASH_F.indexOf("*filter")));
        guestSocket().sendTo(Net.ip("8.8.8.8"), 7, new byte[3000]);
        net.lab.scheduler().runUntilIdle();

        List<String> traces = f.traces().stream().map(t -> t.render()).toList();
        assertThat(traces).noneMatch(t -> t.contains("defrag"));
        assertThat(forward(1).packets()).as("-f: the later fragments, out and back").isEqualTo(2 + 2);
        assertThat(forward(2).packets()).as("the first fragment out").isEqualTo(1);
        assertThat(ipOut("host/enp3s0")).hasSize(3).allSatisfy(p -> assertThat(p.source()).isEqualTo(Net.ip("192.168.122.55")));
    }

    @Test
    void notrack_in_raw_cannot_keep_a_fragment_from_defrag_which_runs_before_it() throws Exception {
        NetfilterPacketFilter f = rules("""
                *raw
                :PREROUTING ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                -A PREROUTING -i virbr0 -j NOTRACK
                COMMIT
                """ + MASQUERADE_AND_DASH_F);
        guestSocket().sendTo(Net.ip("8.8.8.8"), 7, new byte[3000]);
        net.lab.scheduler().runUntilIdle();

        List<String> traces = f.traces().stream().map(t -> t.render()).toList();
        assertThat(traces).anyMatch(t -> t.contains("defrag: defragmented 3 fragments") && t.contains("UNTRACKED"));
        assertThat(ipOut("host/enp3s0")).as("untracked: not masqueraded, still cut as it came")
                .extracting(Ipv4Packet::source).containsExactly(Net.ip("192.168.122.55"), Net.ip("192.168.122.55"), Net.ip("192.168.122.55"));
    }
}
