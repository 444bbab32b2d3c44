package org.vnetlab.emulator.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.hostconf.sysctl.SysctlCommand;
import org.vnetlab.emulator.hostconf.sysctl.SysctlRun;
import org.vnetlab.emulator.hostconf.sysctl.Sysctls;
import org.vnetlab.emulator.lab.StackSysctls;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * The ipfrag sysctls on the article's host, with a guest sending fragments of UDP datagrams to the host's
 * own address 192.168.122.1 (gathered at PREROUTING by nf_defrag_ipv4, conntrack being in use): ipfrag_time
 * bounds a queue's life, ipfrag_high_thresh refuses fragments while the queues' memory (200 bytes a queue,
 * 2944 per 1500-byte fragment) is above it, ipfrag_max_dist restarts a queue that fell too far behind its
 * source's other fragments.
 */
class FragmentLimitsTest {
    static final MacAddress GUEST_MAC = MacAddress.parse("52:54:00:aa:bb:01");
    static final MacAddress VIRBR0_MAC = MacAddress.parse("52:54:00:73:62:06");

    final ArticleHostTest a = new ArticleHostTest();
    Net net;
    PacketSocket raw;

    @BeforeEach
    void article_host() throws Exception {
        a.article_host();
        net = a.net;
        raw = a.guest.openPacketSocket("eth0", f -> { });
    }

    /** The guest's 3000-byte UDP datagram with IP ID {@code id} to the host, as three frames of 1514, 1514 and 82 bytes. */
    private static List<ByteBuf> fragments(int id) {
        EthernetHeader eth = new EthernetHeader(VIRBR0_MAC, GUEST_MAC, EtherType.IPV4);
        ByteBuf frame = Frames.ethernetIpv4(eth, Ipv4Header.of(Net.ip("192.168.122.55"), Net.ip("192.168.122.1"), IpProtocol.UDP, 64, id,
                false, 0), new UdpHeader(40000, 9, 0), new byte[3000]);
        List<ByteBuf> frames = new ArrayList<>();
        for (ByteBuf f : Fragmenter.fragment(frame.copy(14, frame.readableBytes() - 14), 1500)) {
            ByteBuf out = Unpooled.buffer(14 + f.readableBytes());
            eth.emit(out, 0);
            out.writerIndex(14);
            out.writeBytes(f);
            frames.add(out);
        }
        return frames;
    }

    private void send(ByteBuf frame) throws SocketException {
        raw.send(frame);
        net.lab.scheduler().runFor(SimTime.millis(1));
    }

    private long count(String mib) { return a.host.counter(mib); }

    @Test
    void a_queue_lives_ipfrag_time_from_its_first_fragment() throws Exception {
        a.host.setFragmentLimits(FragmentLimits.KERNEL_DEFAULT.withTimeoutSeconds(5));
        send(fragments(1).get(0));
        net.lab.scheduler().runFor(SimTime.millis(4900));
        assertThat(count(Mib.IP_REASM_TIMEOUT)).isZero();
        net.lab.scheduler().runFor(SimTime.millis(200));
        assertThat(count(Mib.IP_REASM_TIMEOUT)).as("expired after 5 s, not 30").isEqualTo(1);
        assertThat(count(Mib.IP_REASM_FAILS)).isEqualTo(1);
        assertThat(a.host.fragmentMemory()).isZero();
    }

    @Test
    void over_ipfrag_high_thresh_new_fragments_are_refused_and_counted_until_memory_is_given_back() throws Exception {
        a.host.setFragmentLimits(FragmentLimits.KERNEL_DEFAULT.withThresholds(6000, 0));
        send(fragments(1).get(0));
        assertThat(a.host.fragmentMemory()).as("a queue and one 1500-byte fragment").isEqualTo(200 + 2944);
        send(fragments(2).get(0));
        assertThat(a.host.fragmentMemory()).as("3144 was not above 6000: taken").isEqualTo(2 * 3144);
        send(fragments(3).get(0));
        assertThat(count(Mib.IP_REASM_FAILS)).as("6288 is above 6000: refused").isEqualTo(1);
        List<ByteBuf> rest = fragments(1);
        send(rest.get(1));
        assertThat(count(Mib.IP_REASM_FAILS)).as("even for a queue that exists").isEqualTo(2);
        assertThat(count(Mib.IP_REASM_OKS)).isZero();

        a.host.setFragmentLimits(FragmentLimits.KERNEL_DEFAULT);
        send(fragments(1).get(1));
        send(fragments(1).get(2));
        assertThat(count(Mib.IP_REASM_OKS)).isEqualTo(1);
        assertThat(a.host.fragmentMemory()).as("datagram 1's queue gave everything back").isEqualTo(3144);
    }

    @Test
    void ipfrag_high_thresh_0_refuses_every_fragment() throws Exception {
        a.host.setFragmentLimits(FragmentLimits.KERNEL_DEFAULT.withThresholds(0, 0));
        for (ByteBuf f : fragments(1)) send(f);
        assertThat(count(Mib.IP_REASM_FAILS)).isEqualTo(3);
        assertThat(count(Mib.IP_REASM_OKS)).isZero();
        assertThat(a.host.fragmentMemory()).isZero();
    }

    /** Datagram 1's first fragment, then the first fragments of datagrams 2, 3 and 4, then the rest of 1. */
    private void interleaved() throws SocketException {
        List<ByteBuf> one = fragments(1);
        send(one.get(0));
        for (int id = 2; id <= 4; id++) send(fragments(id).get(0));
        send(one.get(1));
        send(one.get(2));
    }

    @Test
    void a_queue_more_than_ipfrag_max_dist_fragments_behind_its_source_starts_again_and_loses_what_it_had() throws Exception {
        a.host.setFragmentLimits(FragmentLimits.KERNEL_DEFAULT.withMaxDist(2));
        interleaved();
        assertThat(count(Mib.IP_REASM_FAILS)).as("4 fragments from 192.168.122.55 since its last: more than 2").isEqualTo(1);
        assertThat(count(Mib.IP_REASM_OKS)).as("the first fragment was thrown away").isZero();
    }

    @Test
    void within_ipfrag_max_dist_or_with_it_off_the_same_fragments_make_the_datagram() throws Exception {
        interleaved(); // default 64
        assertThat(count(Mib.IP_REASM_OKS)).isEqualTo(1);
        a.host.setFragmentLimits(FragmentLimits.KERNEL_DEFAULT.withMaxDist(0));
        interleaved();
        assertThat(count(Mib.IP_REASM_FAILS)).isZero();
    }

    @Test
    void the_sysctls_are_read_from_the_hosts_values_and_sysctl_w_keeps_high_above_low() {
        Sysctls s = Sysctls.kernelDefaults(List.of(), false);
        assertThat(StackSysctls.fragmentLimits(FragmentLimits.KERNEL_DEFAULT, s)).isEqualTo(FragmentLimits.KERNEL_DEFAULT);
        SysctlRun refused = SysctlCommand.run(s, List.of("-w", "net.ipv4.ipfrag_high_thresh=1000"), java.util.Map.of());
        assertThat(refused.exitStatus()).as("below ipfrag_low_thresh").isNotZero();
        SysctlRun r = SysctlCommand.run(s, List.of("-w", "net.ipv4.ipfrag_low_thresh=0", "net.ipv4.ipfrag_high_thresh=1000",
                "net.ipv4.ipfrag_time=5", "net.ipv4.ipfrag_max_dist=0"), java.util.Map.of());
        assertThat(StackSysctls.fragmentLimits(FragmentLimits.KERNEL_DEFAULT, r.state())).isEqualTo(new FragmentLimits(5, 1000, 0, 0));
    }
}
