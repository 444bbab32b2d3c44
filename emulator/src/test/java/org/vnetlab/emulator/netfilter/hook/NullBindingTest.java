package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.conntrack.ConntrackTuple;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.MacAddress;

/** nf_nat_alloc_null_binding: a flow no NAT rule touched still gets a unique tuple. */
class NullBindingTest {
    @Test
    void aHostFlowCollidingWithANattedTupleIsRemappedWithoutAnyNatRuleMatching() throws InputException {
        Ruleset article = Rulesets.article();
        Table nat = article.table(TableName.NAT).orElseThrow();
        Chain post = nat.chain("POSTROUTING").orElseThrow();
        Table onlyLibvirt = nat.with(post.withRules(List.of(post.rule(1))));
        RuleCounters counters = new RuleCounters();
        ArticleHost h = new ArticleHost();
        PathRunner host = new PathRunner(Netfilter.iptables(article.with(onlyLibvirt), counters, h,
                ConntrackSettings.DEFAULTS, 3), h, true);
        MacAddress m = MacAddress.parse("52:54:00:aa:bb:01");

        host.receive(Packets.udp("192.168.122.55", 40002, "8.8.8.8", 53, 64, 30), "virbr0", m, m, 1_000_000);
        PathRunner.Result mine = host.send(Packets.udp("192.168.0.10", 40002, "8.8.8.8", 53, 64, 30), 2_000_000);

        assertThat(mine.disposition()).isEqualTo(Disposition.SENT);
        assertThat(mine.trace().matchedRules()).extracting(TraceStep.RuleEvaluated::ref)
                .contains("nat:POSTROUTING #1").noneMatch(r -> r.startsWith("nat:LIBVIRT_PRT"));
        assertThat(counters.rule(new RuleRef(TableName.NAT, "LIBVIRT_PRT", 4)).packets()).isEqualTo(1);
        int port = Datagram.read(mine.packet().get()).orElseThrow().tuple().orElseThrow().sourcePort();
        assertThat(port).isNotEqualTo(40002).isBetween(1024, 65535);
        assertThat(mine.trace().render()).contains("nat: null binding remapped (tuple clash)");
    }

    @Test
    void tuplesInvertLikeTheKernelsIncludingIcmpTypes() {
        ConntrackTuple echo = ConntrackTuple.icmp(Packets.ip("10.0.0.1"), Packets.ip("10.0.0.2"), 8, 0, 77);
        assertThat(echo.inverted()).isEqualTo(ConntrackTuple.icmp(Packets.ip("10.0.0.2"), Packets.ip("10.0.0.1"), 0, 0, 77));
        assertThat(ConntrackTuple.icmp(Packets.ip("10.0.0.1"), Packets.ip("10.0.0.2"), 3, 3, 0).invert()).isEmpty();
        assertThat(echo.format()).isEqualTo("src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=77");
    }

    @Test
    void unknownConntrackSysctlsAreRefusedNotIgnored() {
        assertThatThrownBy(() -> ConntrackSettings.DEFAULTS.withSysctl("net.netfilter.nf_conntrack_udp_timeout_streem", "60"))
                .hasMessageContaining("unknown conntrack sysctl");
        assertThat(ConntrackSettings.DEFAULTS.withSysctl("net.netfilter.nf_conntrack_tcp_timeout_established", "600")
                .tcpTimeout(org.vnetlab.emulator.conntrack.TcpState.ESTABLISHED).toSeconds()).isEqualTo(600);
    }
}
