package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vnetlab.emulator.testing.Packets.ip;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackEntry;
import org.vnetlab.emulator.conntrack.ConntrackEvent;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.ChainRef;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * The probes of /work/shared/ref/captures/article/summary.md run against the article's ruleset: each test
 * asserts what the real kernel (6.18, iptables-nft) did: dispositions, NAT tuples, decisive rules, reply
 * packets and exactly which counters moved.
 */
class ArticleProbesTest {
    static final MacAddress GUEST = MacAddress.parse("52:54:00:aa:bb:01");
    static final MacAddress VIRBR0 = MacAddress.parse("52:54:00:73:62:06");
    static final MacAddress ENP3S0 = MacAddress.parse("00:d8:61:0a:0b:10");
    static final MacAddress ROUTER = MacAddress.parse("00:00:5e:00:01:01");

    RuleCounters counters;
    PathRunner host;
    List<ConntrackEvent> events;
    long now = 1_000_000_000_000L;

    @BeforeEach
    void setUp() throws InputException {
        counters = new RuleCounters();
        ArticleHost h = new ArticleHost();
        Netfilter nf = Netfilter.iptables(Rulesets.article(), counters, h, ConntrackSettings.DEFAULTS, 42);
        events = new ArrayList<>();
        nf.conntrack().addListener(events::add);
        host = new PathRunner(nf, h, true);
    }

    PathRunner.Result fromGuest(ByteBuf p) {
        now += 1_000_000;
        return host.receive(p, "virbr0", GUEST, VIRBR0, now);
    }

    PathRunner.Result fromUplink(ByteBuf p) {
        now += 1_000_000;
        return host.receive(p, "enp3s0", ROUTER, ENP3S0, now);
    }

    long rule(TableName t, String chain, int n) { return counters.rule(new RuleRef(t, chain, n)).packets(); }

    long policy(TableName t, String chain) { return counters.policy(new ChainRef(t, chain)).packets(); }

    static Datagram dg(ByteBuf b) { return Datagram.read(b).orElseThrow(); }

    @Test
    void guestPingToTheInternetIsMasqueradedWithItsEchoIdKeptAndTheReplyComesBack() {
        PathRunner.Result out = fromGuest(Packets.ping("192.168.122.55", "8.8.8.8", 64, 4099, 1));

        assertThat(out.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(out.outInterface()).contains("enp3s0");
        Datagram sent = dg(out.packet().get());
        assertThat(sent.source()).isEqualTo(ip("192.168.0.10"));
        assertThat(sent.ttl()).isEqualTo(63);
        assertThat(sent.tuple().get().icmpId()).isEqualTo(4099);
        assertThat(InternetChecksum.verify(sent.buf(), 0, 20)).isTrue();
        assertThat(out.trace().matchedRules()).extracting(TraceStep.RuleEvaluated::ref)
                .contains("nat:LIBVIRT_PRT #5", "filter:LIBVIRT_FWO #1");

        PathRunner.Result back = fromUplink(Packets.pong("8.8.8.8", "192.168.0.10", 62, 4099, 1));
        assertThat(back.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(back.outInterface()).contains("virbr0");
        assertThat(dg(back.packet().get()).destination()).isEqualTo(ip("192.168.122.55"));
        assertThat(back.trace().matchedRules()).extracting(TraceStep.RuleEvaluated::ref).contains("filter:LIBVIRT_FWI #1");

        // summary.md 04-ping_8888: exactly these counters moved
        assertThat(policy(TableName.NAT, "PREROUTING")).isEqualTo(1);
        assertThat(rule(TableName.NAT, "POSTROUTING", 1)).isEqualTo(1);
        assertThat(rule(TableName.NAT, "LIBVIRT_PRT", 5)).isEqualTo(1);
        assertThat(rule(TableName.FILTER, "FORWARD", 1)).isEqualTo(2);
        assertThat(rule(TableName.FILTER, "FORWARD", 2)).isEqualTo(2);
        assertThat(rule(TableName.FILTER, "FORWARD", 3)).isEqualTo(1);
        assertThat(rule(TableName.FILTER, "LIBVIRT_FWI", 1)).isEqualTo(1);
        assertThat(rule(TableName.FILTER, "LIBVIRT_FWO", 1)).isEqualTo(1);
        assertThat(policy(TableName.NAT, "POSTROUTING")).isZero();
        assertThat(policy(TableName.FILTER, "FORWARD")).isZero();

        assertThat(events).extracting(e -> e.text().replaceAll(" id=\\d+$", "")).containsExactly(
                "    [NEW] icmp     1 30 src=192.168.122.55 dst=8.8.8.8 type=8 code=0 id=4099 [UNREPLIED] src=8.8.8.8 dst=192.168.0.10 type=0 code=0 id=4099",
                " [UPDATE] icmp     1 30 src=192.168.122.55 dst=8.8.8.8 type=8 code=0 id=4099 src=8.8.8.8 dst=192.168.0.10 type=0 code=0 id=4099");
    }

    @Test
    void tcpFromALowSourcePortIsRemappedIntoTheMasqueradePortRange() {
        PathRunner.Result out = fromGuest(Packets.tcp("192.168.122.55", 700, "142.250.1.1", 80, 64, 1000, 0, 0x02, 0));

        assertThat(out.disposition()).isEqualTo(Disposition.FORWARDED);
        int port = dg(out.packet().get()).tuple().get().sourcePort();
        assertThat(port).isBetween(1024, 65535);
        assertThat(rule(TableName.NAT, "LIBVIRT_PRT", 3)).isEqualTo(1);
        ByteBuf p = out.packet().get();
        assertThat(InternetChecksum.fold(InternetChecksum.partialSum(p, 20, p.readableBytes() - 20,
                InternetChecksum.pseudoHeaderSum(dg(p).source().bits(), dg(p).destination().bits(), 6, p.readableBytes() - 20))))
                .isEqualTo(0xffff);
        assertThat(events.get(0).text()).contains("tcp      6 120 SYN_SENT src=192.168.122.55 dst=142.250.1.1 sport=700 dport=80 [UNREPLIED] src=142.250.1.1 dst=192.168.0.10 sport=80 dport=" + port);
    }

    @Test
    void udpKeepsAFreeSourcePort() {
        PathRunner.Result out = fromGuest(Packets.udp("192.168.122.55", 40002, "8.8.8.8", 53, 64, 30));
        assertThat(dg(out.packet().get()).tuple().get().sourcePort()).isEqualTo(40002);
        assertThat(rule(TableName.NAT, "LIBVIRT_PRT", 4)).isEqualTo(1);
    }

    @Test
    void inboundPingFromTheLanIsRejectedWithPortUnreachableFromTheUplinkAddress() {
        PathRunner.Result r = fromUplink(Packets.ping("192.168.0.5", "192.168.122.55", 64, 7, 1));

        assertThat(r.disposition()).isEqualTo(Disposition.REJECTED);
        assertThat(r.trace().reason()).contains("filter:LIBVIRT_FWI #2");
        assertThat(r.replies()).hasSize(1);
        PathRunner.Result reply = r.replies().get(0);
        assertThat(reply.disposition()).isEqualTo(Disposition.SENT);
        Datagram d = dg(reply.packet().get());
        assertThat(d.source()).isEqualTo(ip("192.168.0.10"));
        assertThat(d.destination()).isEqualTo(ip("192.168.0.5"));
        assertThat(d.ttl()).isEqualTo(64);
        ByteBuf b = d.buf();
        assertThat((int) b.getUnsignedByte(1)).isEqualTo(0xc0);
        assertThat(b.getUnsignedShort(6) & 0x4000).isZero();
        assertThat((int) b.getUnsignedByte(20)).isEqualTo(3);
        assertThat((int) b.getUnsignedByte(21)).isEqualTo(3);
        assertThat((int) b.getUnsignedByte(28 + 8)).as("quoted TTL: the packet after the forward decrement").isEqualTo(63);
        assertThat(d.totalLength()).isEqualTo(20 + 8 + 84);
        assertThat(InternetChecksum.verify(b, 20, d.totalLength() - 20)).isTrue();
        // summary.md 15-in_ping
        assertThat(policy(TableName.NAT, "PREROUTING")).isEqualTo(1);
        assertThat(rule(TableName.FILTER, "FORWARD", 1)).isEqualTo(1);
        assertThat(rule(TableName.FILTER, "FORWARD", 2)).isEqualTo(1);
        assertThat(rule(TableName.FILTER, "FORWARD", 3)).isZero();
        assertThat(rule(TableName.FILTER, "LIBVIRT_FWI", 2)).isEqualTo(1);
        assertThat(policy(TableName.FILTER, "OUTPUT")).isEqualTo(1);
        assertThat(rule(TableName.FILTER, "OUTPUT", 1)).isEqualTo(1);
        assertThat(policy(TableName.NAT, "OUTPUT")).isZero();
        assertThat(rule(TableName.NAT, "POSTROUTING", 1)).isZero();
        assertThat(host.netfilter().conntrack().entries()).isEmpty();
        assertThat(events).isEmpty();
    }

    @Test
    void theInternetsPortUnreachableIsRelatedAndDeNattedInsideAndOut() {
        PathRunner.Result out = fromGuest(Packets.udp("192.168.122.55", 40004, "8.8.8.8", 5353, 64, 30));
        ByteBuf upstream = out.packet().get().copy();
        upstream.setByte(8, 62); // the internet host saw TTL 62
        upstream.setShort(10, 0);
        upstream.setShort(10, InternetChecksum.compute(upstream, 0, 20));

        PathRunner.Result err = fromUplink(Packets.icmpError("8.8.8.8", "192.168.0.10", 3, 3, upstream));

        assertThat(err.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(err.trace().steps(TraceStep.Conntrack.class).get(0).state()).startsWith("RELATED");
        assertThat(err.trace().matchedRules()).extracting(TraceStep.RuleEvaluated::ref).contains("filter:LIBVIRT_FWI #1");
        Datagram d = dg(err.packet().get());
        assertThat(d.destination()).isEqualTo(ip("192.168.122.55"));
        Datagram quoted = Datagram.read(d.buf(), 28, d.totalLength() - 28).orElseThrow();
        assertThat(quoted.source()).isEqualTo(ip("192.168.122.55"));
        assertThat(quoted.tuple().get().sourcePort()).isEqualTo(40004);
        assertThat(quoted.ttl()).as("the quoted TTL stays as upstream saw it").isEqualTo(62);
        assertThat(InternetChecksum.verify(d.buf(), 28, 20)).as("quoted IP checksum rewritten").isTrue();
        int l4 = quoted.l4Offset();
        long sum = InternetChecksum.partialSum(d.buf(), l4, quoted.l4Length(), InternetChecksum.pseudoHeaderSum(
                quoted.source().bits(), quoted.destination().bits(), 17, quoted.l4Length()));
        assertThat(InternetChecksum.fold(sum)).as("quoted UDP checksum rewritten").isEqualTo(0xffff);
        assertThat(InternetChecksum.verify(d.buf(), 20, d.totalLength() - 20)).as("ICMP checksum").isTrue();
    }

    @Test
    void aHostFlowCollidingWithANattedTupleGetsItsOwnPortRemapped() {
        fromGuest(Packets.udp("192.168.122.55", 40002, "8.8.8.8", 53, 64, 30));
        now += 1_000_000;
        PathRunner.Result mine = host.send(Packets.udp("192.168.0.10", 40002, "8.8.8.8", 53, 64, 30), now);

        assertThat(mine.disposition()).isEqualTo(Disposition.SENT);
        int port = dg(mine.packet().get()).tuple().get().sourcePort();
        assertThat(port).isNotEqualTo(40002).isBetween(1024, 65535);
        assertThat(rule(TableName.NAT, "POSTROUTING", 2)).isEqualTo(1);
        assertThat(policy(TableName.NAT, "OUTPUT")).isEqualTo(1);
    }

    @Test
    void pingWithTtlOneDiesAtTheHostWithTimeExceededFromVirbr0AndNoConnection() {
        PathRunner.Result r = fromGuest(Packets.ping("192.168.122.55", "8.8.8.8", 1, 4100, 1));

        assertThat(r.disposition()).isEqualTo(Disposition.TTL_EXCEEDED);
        assertThat(r.replies()).hasSize(1);
        Datagram d = dg(r.replies().get(0).packet().get());
        assertThat(d.source()).isEqualTo(ip("192.168.122.1"));
        assertThat((int) d.buf().getUnsignedByte(20)).isEqualTo(11);
        assertThat(host.netfilter().conntrack().entries()).isEmpty();
        assertThat(host.netfilter().conntrack().count()).isZero();
        assertThat(events).isEmpty();
        // summary.md 12-ping_ttl1
        assertThat(policy(TableName.NAT, "PREROUTING")).isEqualTo(1);
        assertThat(policy(TableName.FILTER, "OUTPUT")).isEqualTo(1);
        assertThat(rule(TableName.FILTER, "OUTPUT", 1)).isEqualTo(1);
        assertThat(rule(TableName.FILTER, "FORWARD", 1)).isZero();
    }

    @Test
    void aResetAnsweringASynDestroysTheEntryAtOnce() {
        PathRunner.Result syn = fromGuest(Packets.tcp("192.168.122.55", 40005, "142.250.1.1", 81, 64, 5000, 0, 0x02, 0));
        assertThat(syn.disposition()).isEqualTo(Disposition.FORWARDED);
        // the capture's RST came 37 us after the SYN (same jiffy: the DESTROY event still shows 120)
        PathRunner.Result rst = host.receive(Packets.tcp("142.250.1.1", 81, "192.168.0.10", 40005, 62, 0, 5001, 0x14, 0),
                "enp3s0", ROUTER, ENP3S0, now + 37_000);

        assertThat(rst.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(dg(rst.packet().get()).destination()).isEqualTo(ip("192.168.122.55"));
        assertThat(rule(TableName.FILTER, "LIBVIRT_FWI", 1)).isEqualTo(1);
        assertThat(host.netfilter().conntrack().entries()).isEmpty();
        assertThat(events).extracting(e -> e.text().replaceAll(" id=\\d+$", "")).containsExactly(
                "    [NEW] tcp      6 120 SYN_SENT src=192.168.122.55 dst=142.250.1.1 sport=40005 dport=81 [UNREPLIED] src=142.250.1.1 dst=192.168.0.10 sport=81 dport=40005",
                "[DESTROY] tcp      6 120 CLOSE src=192.168.122.55 dst=142.250.1.1 sport=40005 dport=81 [UNREPLIED] src=142.250.1.1 dst=192.168.0.10 sport=81 dport=40005");
    }

    @Test
    void aGuestDnsQueryToTheGatewayIsDeliveredThroughNatInputAndLibvirtInp() {
        PathRunner.Result r = fromGuest(Packets.udp("192.168.122.55", 40001, "192.168.122.1", 53, 64, 30));
        assertThat(r.disposition()).isEqualTo(Disposition.DELIVERED_LOCALLY);
        assertThat(policy(TableName.NAT, "PREROUTING")).isEqualTo(1);
        assertThat(policy(TableName.NAT, "INPUT")).isEqualTo(1);
        assertThat(rule(TableName.FILTER, "INPUT", 1)).isEqualTo(1);
        assertThat(rule(TableName.FILTER, "LIBVIRT_INP", 1)).isEqualTo(1);
        assertThat(policy(TableName.FILTER, "INPUT")).isZero();
        ConntrackEntry e = host.netfilter().conntrack().entries().get(0);
        assertThat(e.format(now, false)).isEqualTo(
                "udp      17 30 src=192.168.122.55 dst=192.168.122.1 sport=40001 dport=53 [UNREPLIED] src=192.168.122.1 dst=192.168.122.55 sport=53 dport=40001");
    }

    @Test
    void theTraceReadsLikeABetterNftMonitorTrace() {
        PathRunner.Result out = fromGuest(Packets.ping("192.168.122.55", "8.8.8.8", 64, 4099, 1));
        String text = out.trace().render();
        assertThat(text).contains("hook PREROUTING: icmp src=192.168.122.55 dst=8.8.8.8 type=8 code=0 id=4099")
                .contains("conntrack: NEW (new, new entry)")
                .contains("nat:LIBVIRT_PRT #5 -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE  => match")
                .contains("nat: binding SNAT src=192.168.122.55 dst=8.8.8.8 type=8 code=0 id=4099 reply src=8.8.8.8 dst=192.168.0.10 type=0 code=0 id=4099")
                .contains("filter:LIBVIRT_FWX #1 -i virbr0 -o virbr0 -j ACCEPT  -- no match")
                .contains("=> forwarded (out enp3s0)");
    }
}
