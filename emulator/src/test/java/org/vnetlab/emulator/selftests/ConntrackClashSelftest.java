package org.vnetlab.emulator.selftests;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.conntrack.ConntrackTable;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.netfilter.hook.HostNetwork;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.SaveFile;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.oracle.ProbeResult;
import org.vnetlab.emulator.selftests.SelftestChecks.OnKernel;
import org.vnetlab.emulator.selftests.SelftestChecks.OnVnetlab;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.stack.FilterPacket;
import org.vnetlab.emulator.stack.FilterVerdict;
import org.vnetlab.emulator.stack.netfilter.NetfilterPacketFilter;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * tools/testing/selftests/net/netfilter/conntrack_clash.sh, UDP: udpclash sends the first datagrams of ONE
 * new flow from 128 threads at once, so on several CPUs they race to insert the same conntrack entry; the
 * selftest checks that every datagram is answered (from the address and port it was sent to) and that
 * {@code conntrack -S} counted a clash_resolve (or skips: "with right timing, xmit completed sequentially").
 * Once through a router that DNATs the flow (nft: numgen to one of three ports), once without NAT.
 *
 * <p>vnetlab runs one packet at a time, so the stack never builds that race: each datagram reaches the
 * confirm point before the next starts. The observable outcome is the same as a resolved clash: all
 * answered, one entry. Two things are checked here:
 * <ul>
 *   <li>the race itself, built at the engine's hooks as two CPUs interleave it (both packets through
 *       PREROUTING, each making its own unconfirmed entry, then both to the confirm point): the loser is
 *       kept, not dropped — merged into the winner when they agree (same DNAT choice, or no NAT), inserted
 *       under its reply tuple only when their DNAT choices differ — and {@code conntrack -L} shows one entry;
 *       a TCP SYN losing the same race is dropped (TCP allows no clash; it retransmits);</li>
 *   <li>the selftest's burst through the kernel and through vnetlab: the guest's 32 simultaneous datagrams to
 *       the host's 192.168.122.1:22111, DNATed to the internet's echo at 142.250.1.1:7 (iptables has no numgen;
 *       one target), and the internet's 32 to its own echo over lo with a conntrack rule loaded: every
 *       datagram answered from where it was sent, one entry. The kernel's clash_resolve is printed: it
 *       depends on timing, as in the selftest.</li>
 * </ul>
 */
class ConntrackClashSelftest {
    static final Scenario SCENARIO = new Scenario("conntrack_clash", s -> Scenario.quietTopology()
            .route("inet", "192.168.0.0/24 via 203.0.113.2")
            .route("inet", "192.168.122.0/24 via 203.0.113.2")
            .iptables(s.rules("router.rules", """
                    *nat
                    :PREROUTING ACCEPT [0:0]
                    :INPUT ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    :POSTROUTING ACCEPT [0:0]
                    -A PREROUTING -p udp -m udp --dport 22111 -j DNAT --to-destination 142.250.1.1:7
                    COMMIT
                    """))
            .iptables("inet", s.rules("simple.rules", """
                    *filter
                    :INPUT ACCEPT [0:0]
                    :FORWARD ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    -A FORWARD -m conntrack --ctstate NEW
                    COMMIT
                    """))
            .probe(Probe.udp("nat_burst", "192.168.122.1", 22111).with("sport", 40001).with("count", 32))
            .probe(Probe.udp("plain_burst", "142.250.1.1", 7).from("inet").with("sport", 40002).with("count", 32))
            .build());

    abstract static class Checks extends SelftestChecks {
        Checks() { super(SCENARIO); }

        @Test
        void everyDatagramOfTheNattedBurstIsAnsweredFromWhereItWasSentAndOneEntryTracksTheFlow() {
            ProbeResult p = run.probe("nat_burst");
            assertThat(p.outcome()).isEqualTo(Outcome.REPLY);
            assertThat(p.intDetail("replies")).isEqualTo(32);
            assertThat(p.detail("reply_from")).isEqualTo("192.168.122.1:22111");
            assertThat(Scenario.entries(run.conntrackAfter("nat_burst", "host"), "sport=40001")).singleElement().asString()
                    .contains("dst=192.168.122.1 sport=40001 dport=22111 src=142.250.1.1 dst=192.168.122.55 sport=7 dport=40001");
        }

        @Test
        void everyDatagramOfTheBurstWithoutNatIsAnsweredAndOneEntryTracksTheFlow() {
            ProbeResult p = run.probe("plain_burst");
            assertThat(p.intDetail("replies")).isEqualTo(32);
            assertThat(p.detail("reply_from")).isEqualTo("142.250.1.1:7");
            assertThat(Scenario.entries(run.conntrackAfter("plain_burst", "inet"), "sport=40002")).hasSize(1);
        }
    }

    @Nested
    class Vnetlab extends Checks implements OnVnetlab {}

    @Nested
    class Kernel extends Checks implements OnKernel {
        @Test
        void vnetlabAgrees() {
            Agreement.between(run, vnetlab()).probes("nat_burst", "plain_burst")
                    .counters("host", "inet").conntrack("host", "inet")
                    .except("nat_burst host counters", "when the kernel's first datagrams do race, each walks the nat "
                            + "chains with its own new entry (nat:PREROUTING #1 and nat:POSTROUTING's policy count 2 or "
                            + "more, clash_resolve > 0); vnetlab never races, so it counts 1. Timing, not semantics: "
                            + "the outcome checked above is the same")
                    .check();
        }
    }

    // ------------------------------------------------------------------ the race, built at the hooks

    /** The router of the selftest's first part: a flow from 10.0.1.1 to its 10.0.1.99:22111, DNATed to 10.0.2.1. */
    static final class Router {
        final Lab lab = new Lab(1);
        final Netfilter netfilter;
        final NetfilterPacketFilter filter;

        Router(String dnatTarget) throws InputException {
            SaveFile save = IptablesSaveParser.parse("""
                    *nat
                    :PREROUTING ACCEPT [0:0]
                    :INPUT ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    :POSTROUTING ACCEPT [0:0]
                    -A PREROUTING -p udp -m udp --dport 22111 -j DNAT --to-destination %s
                    -A PREROUTING -p tcp -m tcp --dport 22111 -j DNAT --to-destination %s
                    COMMIT
                    """.formatted(dnatTarget, dnatTarget), "router.rules");
            netfilter = Netfilter.iptables(save.ruleset(), save.counters(), new TwoNets(), ConntrackSettings.DEFAULTS, 11);
            filter = new NetfilterPacketFilter(netfilter, lab);
        }

        ConntrackTable conntrack() { return netfilter.conntrack(); }

        FilterPacket arrive(ByteBuf datagram) {
            FilterPacket p = FilterPacket.received(datagram, "veth0", MacAddress.parse("52:54:00:00:01:01"), MacAddress.parse("52:54:00:00:01:99"));
            assertThat(filter.hook(Hook.PREROUTING, p)).isInstanceOf(FilterVerdict.Accept.class);
            return p;
        }

        FilterVerdict leave(FilterPacket p) {
            p.setOut("veth1");
            p.setNextHop(p.destination());
            FilterVerdict v = filter.hook(Hook.FORWARD, p);
            return v instanceof FilterVerdict.Accept ? filter.hook(Hook.POSTROUTING, p) : v;
        }
    }

    /** 10.0.1.0/24 on veth0 and 10.0.2.0/24 on veth1, the router at .99 on both. */
    static final class TwoNets implements HostNetwork {
        public org.vnetlab.emulator.netfilter.AddressType addressType(Ipv4Address a, java.util.Optional<String> on) {
            return a.equals(Ipv4Address.parse("10.0.1.99")) || a.equals(Ipv4Address.parse("10.0.2.99"))
                    ? org.vnetlab.emulator.netfilter.AddressType.LOCAL : org.vnetlab.emulator.netfilter.AddressType.UNICAST;
        }

        public java.util.Optional<Ipv4Address> interfaceAddress(String out, Ipv4Address nextHop) {
            return java.util.Optional.of(Ipv4Address.parse(out.equals("veth0") ? "10.0.1.99" : "10.0.2.99"));
        }

        public java.util.Optional<Ipv4Address> sourceAddressTowards(Ipv4Address d) {
            return interfaceAddress(d.inPrefix(Ipv4Address.parse("10.0.1.0"), 24) ? "veth0" : "veth1", d);
        }
    }

    static ByteBuf datagram(int protocol) {
        return protocol == 17
                ? Packets.udp("10.0.1.1", 50001, "10.0.1.99", 22111)
                : Packets.syn("10.0.1.1", 50001, "10.0.1.99", 22111);
    }

    static int destinationPort(FilterPacket p) {
        return Datagram.read(p.datagram()).orElseThrow().tuple().orElseThrow().destinationPort();
    }

    @Test
    void twoFirstDatagramsRacingToTheSameDnatTargetBothPassAndShareOneEntry() throws InputException {
        Router r = new Router("10.0.2.1:9000");
        FilterPacket cpu0 = r.arrive(datagram(17));
        FilterPacket cpu1 = r.arrive(datagram(17)); // the entry of cpu0 is not confirmed yet: cpu1 makes its own

        assertThat(r.leave(cpu0)).isInstanceOf(FilterVerdict.Accept.class);
        assertThat(r.leave(cpu1)).as("the loser is kept: same tuples, it joins the winner").isInstanceOf(FilterVerdict.Accept.class);

        assertThat(List.of(destinationPort(cpu0), destinationPort(cpu1))).containsOnly(9000);
        assertThat(r.conntrack().entries()).hasSize(1);
        assertThat(r.conntrack().clashResolve()).isEqualTo(1);
        assertThat(r.conntrack().insertFailed()).isZero();
    }

    @Test
    void racingDatagramsWithDifferentDnatChoicesBothPassTheLoserUnderItsReplyTupleOnly() throws InputException {
        // --random: each racer picks its port on its own, as the selftest's numgen does
        Router r = new Router("10.0.2.1:9000-9002 --random");
        FilterPacket cpu0 = null;
        FilterPacket cpu1 = null;
        for (int i = 0; i < 20; i++) { // a few tries until the two choices differ (the choice is random)
            Router attempt = i == 0 ? r : new Router("10.0.2.1:9000-9002 --random");
            cpu0 = attempt.arrive(datagram(17));
            cpu1 = attempt.arrive(datagram(17));
            r = attempt;
            if (destinationPort(cpu0) != destinationPort(cpu1)) break;
        }
        assertThat(destinationPort(cpu0)).isNotEqualTo(destinationPort(cpu1));

        assertThat(r.leave(cpu0)).isInstanceOf(FilterVerdict.Accept.class);
        assertThat(r.leave(cpu1)).isInstanceOf(FilterVerdict.Accept.class);

        assertThat(r.conntrack().entries()).as("conntrack -L shows the winner only").hasSize(1);
        assertThat(r.conntrack().count()).as("the loser exists, hidden").isEqualTo(2);
        assertThat(r.conntrack().clashResolve()).isEqualTo(1);
        // the loser's answer finds its way back through the loser's own binding
        int loserPort = destinationPort(cpu1);
        assertThat(r.conntrack().find(org.vnetlab.emulator.conntrack.ConntrackTuple.ports(17, Ipv4Address.parse("10.0.2.1"), loserPort,
                Ipv4Address.parse("10.0.1.1"), 50001))).isPresent();
        // and it is gone a second later
        r.conntrack().expire(r.lab.now() + 1_000_000_001L);
        assertThat(r.conntrack().count()).isEqualTo(1);
    }

    @Test
    void aTcpSynLosingTheSameRaceIsDropped() throws InputException {
        Router r = new Router("10.0.2.1:9000");
        FilterPacket cpu0 = r.arrive(datagram(6));
        FilterPacket cpu1 = r.arrive(datagram(6));

        assertThat(r.leave(cpu0)).isInstanceOf(FilterVerdict.Accept.class);
        assertThat(r.leave(cpu1)).isInstanceOf(FilterVerdict.Drop.class);
        assertThat(r.conntrack().insertFailed()).isEqualTo(1);
        assertThat(r.conntrack().clashResolve()).isZero();
    }
}
