package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.ChainRef;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.netfilter.Match;
import org.vnetlab.emulator.netfilter.Policy;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.netfilter.Target;
import org.vnetlab.emulator.sim.KernelLog;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.protocols.MacAddress;

/** ipt_do_table semantics: jumps, gotos, RETURN, policies, load-time refusals, LOG and limit. */
class ChainWalkTest {
    static final MacAddress GUEST = MacAddress.parse("52:54:00:aa:bb:01");
    static final MacAddress VIRBR0 = MacAddress.parse("52:54:00:73:62:06");
    final RuleCounters counters = new RuleCounters();

    PathRunner host(Chain... filterChains) throws InputException {
        Ruleset rs = new Ruleset(List.of(new Table(TableName.FILTER, List.of(filterChains))), false);
        ArticleHost h = new ArticleHost();
        return new PathRunner(Netfilter.iptables(rs, counters, h, ConntrackSettings.DEFAULTS, 1), h, true);
    }

    PathRunner.Result forward(PathRunner host, long now) {
        return host.receive(Packets.ping("192.168.122.55", "8.8.8.8", 64, 4099, 1), "virbr0", GUEST, VIRBR0, now);
    }

    long rule(String chain, int n) { return counters.rule(new RuleRef(TableName.FILTER, chain, n)).packets(); }

    @Test
    void returnFromAGotoTargetGoesBackToTheCallerOfTheChainThatDidTheGoto() throws InputException {
        PathRunner h = host(
                Chain.builtin(Hook.FORWARD, Policy.DROP).withRules(List.of(Rule.of(new Target.Jump("A")), Rule.of(new Target.Accept()))),
                Chain.user("A").withRules(List.of(Rule.of(new Target.Goto("B")), Rule.of(new Target.Drop()))),
                Chain.user("B").withRules(List.of(Rule.of(new Target.Return()))));
        PathRunner.Result r = forward(h, 1);
        assertThat(r.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(rule("A", 2)).isZero();
        assertThat(rule("FORWARD", 2)).isEqualTo(1);
    }

    @Test
    void fallingOffAChainReachedByGotoFromTheBuiltinAppliesThePolicyAndCountsIt() throws InputException {
        PathRunner h = host(
                Chain.builtin(Hook.FORWARD, Policy.DROP).withRules(List.of(Rule.of(new Target.Goto("B")), Rule.of(new Target.Accept()))),
                Chain.user("B").withRules(List.of(Rule.of(new Target.None()))));
        PathRunner.Result r = forward(h, 1);
        assertThat(r.disposition()).isEqualTo(Disposition.DROPPED_BY_POLICY);
        assertThat(counters.policy(new ChainRef(TableName.FILTER, "FORWARD")).packets()).isEqualTo(1);
        assertThat(counters.policy(new ChainRef(TableName.FILTER, "FORWARD")).bytes()).isEqualTo(84);
        assertThat(rule("FORWARD", 2)).isZero();
        assertThat(rule("B", 1)).isEqualTo(1);
    }

    @Test
    void aReturnInTheBuiltinChainAppliesItsPolicy() throws InputException {
        PathRunner h = host(Chain.builtin(Hook.FORWARD, Policy.DROP).withRules(List.of(Rule.of(new Target.Return()), Rule.of(new Target.Accept()))));
        assertThat(forward(h, 1).disposition()).isEqualTo(Disposition.DROPPED_BY_POLICY);
    }

    @Test
    void aChainLoopIsRefusedAtLoadTimeLikeTheKernelsEloop() {
        assertThatThrownBy(() -> host(
                Chain.builtin(Hook.FORWARD, Policy.ACCEPT).withRules(List.of(Rule.of(new Target.Jump("A")))),
                Chain.user("A").withRules(List.of(Rule.of(new Target.Jump("B")))),
                Chain.user("B").withRules(List.of(Rule.of(new Target.Goto("A"))))))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("chain loop A -> B -> A")
                .hasMessageContaining("Too many levels of symbolic links");
    }

    @Test
    void rejectUsedFromAHookItDoesNotSupportIsRefused() {
        Table mangle = new Table(TableName.MANGLE, List.of(
                Chain.builtin(Hook.PREROUTING, Policy.ACCEPT).withRules(List.of(Rule.of(new Target.Jump("X")))),
                Chain.user("X").withRules(List.of(Rule.of(new Target.Reject(org.vnetlab.emulator.netfilter.RejectWith.DEFAULT))))));
        assertThatThrownBy(() -> Netfilter.iptables(new Ruleset(List.of(mangle), false), counters, new ArticleHost(),
                ConntrackSettings.DEFAULTS, 1))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("REJECT target: used from hooks PREROUTING, but only usable from INPUT/FORWARD/OUTPUT");
    }

    @Test
    void logWritesTheKernelsLineAndTraversalContinues() throws InputException {
        Target.Log log = new Target.Log(Optional.of("FWD: "), 4, false, false, false, false, false);
        PathRunner h = host(Chain.builtin(Hook.FORWARD, Policy.ACCEPT).withRules(List.of(Rule.of(log), Rule.of(new Target.Accept()))));
        PathRunner.Result r = forward(h, 1);
        assertThat(r.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(h.netfilter().kernelLog().entries("host")).singleElement().satisfies(line -> {
            assertThat(line.text()).isEqualTo(
                    "FWD: IN=virbr0 OUT=enp3s0 MAC=52:54:00:73:62:06:52:54:00:aa:bb:01:08:00 SRC=192.168.122.55 DST=8.8.8.8 "
                            + "LEN=84 TOS=0x00 PREC=0x00 TTL=63 ID=4660 DF PROTO=ICMP TYPE=8 CODE=0 ID=4099 SEQ=1 ");
            assertThat(line.level()).as("--log-level 4").isEqualTo(KernelLog.Level.WARNING);
        });
    }

    @Test
    void aLogLineIsStampedWithThePacketsTimeInTheLabsKernelLog() throws InputException {
        Lab lab = new Lab(1);
        Target.Log log = new Target.Log(Optional.of("FWD: "), 6, false, false, false, false, false);
        Ruleset rs = new Ruleset(List.of(new Table(TableName.FILTER, List.of(
                Chain.builtin(Hook.FORWARD, Policy.ACCEPT).withRules(List.of(Rule.of(log)))))), false);
        ArticleHost a = new ArticleHost();
        PathRunner h = new PathRunner(Netfilter.iptables(rs, counters, a, ConntrackSettings.DEFAULTS, 1, lab.log(), "host"), a, true);

        forward(h, 4_250_000_000L);

        assertThat(lab.log().entries("host")).singleElement().satisfies(line -> {
            assertThat(line.nanos()).isEqualTo(4_250_000_000L);
            assertThat(line.level()).isEqualTo(KernelLog.Level.INFO);
            assertThat(line.toString()).startsWith("[    4.250000] FWD: IN=virbr0 OUT=enp3s0 ");
        });
    }

    @Test
    void limitIsATokenBucketOnTheEmulatedClock() throws InputException {
        Match.Limit perSecondBurst2 = new Match.Limit(Match.Limit.SCALE, 2);
        PathRunner h = host(Chain.builtin(Hook.FORWARD, Policy.DROP).withRules(List.of(
                Rule.of(new Target.Accept()).withMatches(List.of(perSecondBurst2)))));
        assertThat(forward(h, 1_000_000).disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(forward(h, 2_000_000).disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(forward(h, 3_000_000).disposition()).isEqualTo(Disposition.DROPPED_BY_POLICY);
        assertThat(forward(h, 1_003_000_000L).disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(forward(h, 1_004_000_000L).disposition()).isEqualTo(Disposition.DROPPED_BY_POLICY);
    }

    @Test
    void markAndConnmarkFollowTheXmarkArithmetic() throws InputException {
        PathRunner h = host(Chain.builtin(Hook.FORWARD, Policy.DROP).withRules(List.of(
                Rule.of(new Target.Mark(0x10, 0xff)),
                Rule.of(new Target.Connmark(Target.ConnmarkMode.SAVE, 0, 0xffff_ffffL, 0xffff_ffffL)),
                Rule.of(new Target.Accept()).withMatches(List.of(new Match.Connmark(0x10, 0xffff_ffffL, false))))));
        PathRunner.Result r = forward(h, 1);
        assertThat(r.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(h.netfilter().conntrack().entries().get(0).mark()).isEqualTo(0x10);
    }
}
