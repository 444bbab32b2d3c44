package org.vnetlab.emulator.netfilter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;

/** The model's own guarantees, which the engine relies on. */
class ModelTest {

    @Test
    void tablesHaveTheirBuiltinChainsInHookOrderThenUserChainsInByteOrder() {
        Table t = new Table(TableName.FILTER, List.of(Chain.user("b"), Chain.user("B"), Chain.builtin(Hook.OUTPUT, Policy.DROP), Chain.user("A")));
        assertThat(t.chains()).extracting(Chain::name).containsExactly("INPUT", "FORWARD", "OUTPUT", "A", "B", "b");
        assertThat(t.chain(Hook.OUTPUT).orElseThrow().policy()).contains(Policy.DROP);
        assertThat(t.chain(Hook.PREROUTING)).isEmpty();
        assertThat(Table.empty(TableName.RAW).chains()).extracting(Chain::name).containsExactly("PREROUTING", "OUTPUT");
        assertThat(Table.empty(TableName.NAT).chains()).extracting(Chain::name).containsExactly("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING");
        assertThat(TableName.SECURITY.hooks()).containsExactly(Hook.INPUT, Hook.FORWARD, Hook.OUTPUT);
        assertThat(TableName.MANGLE.hooks()).hasSize(5);
    }

    @Test
    void builtinAndUserChainsAreKeptApart() {
        assertThatThrownBy(() -> new Table(TableName.NAT, List.of(new Chain("FORWARD", Optional.of(Policy.ACCEPT), List.of()))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Table(TableName.FILTER, List.of(Chain.user("INPUT")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Table(TableName.FILTER, List.of(Chain.user("X"), Chain.user("X")))).isInstanceOf(IllegalArgumentException.class);
        assertThat(Ruleset.EMPTY.tableOrEmpty(TableName.FILTER)).isEqualTo(Table.empty(TableName.FILTER));
    }

    @Test
    void addressFilterMasksAndInverts() {
        AddressFilter f = AddressFilter.of(Ipv4Address.parse("192.168.122.77"), 24, true);
        assertThat(f.address()).isEqualTo(Ipv4Address.parse("192.168.122.0"));
        assertThat(f.matches(Ipv4Address.parse("192.168.122.5"))).isFalse();
        assertThat(f.matches(Ipv4Address.parse("8.8.8.8"))).isTrue();
        assertThat(new AddressFilter(Ipv4Address.parse("1.2.3.4"), Ipv4Address.parse("255.0.255.0"), false).prefixLength()).isEqualTo(-1);
        assertThat(AddressFilter.ANY.isAny()).isTrue();
        assertThat(AddressFilter.ANY.matches(Ipv4Address.parse("1.1.1.1"))).isTrue();
    }

    @Test
    void interfaceWildcards() {
        assertThat(new InterfaceFilter("vnet+", false).matches("vnet0")).isTrue();
        assertThat(new InterfaceFilter("vnet+", false).matches("virbr0")).isFalse();
        assertThat(new InterfaceFilter("virbr0", true).matches("virbr0")).isFalse();
        assertThat(new InterfaceFilter("+", false).matches("anything")).isTrue();
        assertThat(InterfaceFilter.ANY.matches("eth0")).isTrue();
    }

    @Test
    void ruleEqualityIgnoresWhereTheRuleCameFrom() {
        Rule a = Rule.of(new Target.Accept()).withOrigin(new RuleOrigin("a", 3, "-A INPUT -j ACCEPT"));
        Rule b = Rule.of(new Target.Accept());
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.text()).isEqualTo("-j ACCEPT");
        assertThat(Rule.of(new Target.None()).text()).isEmpty();
    }

    @Test
    void countersFollowRuleNumbers() {
        RuleCounters k = new RuleCounters();
        ChainRef input = new ChainRef(TableName.FILTER, "INPUT");
        k.countRule(new RuleRef(TableName.FILTER, "INPUT", 1), 100);
        k.countRule(new RuleRef(TableName.FILTER, "INPUT", 2), 40);
        k.countRule(new RuleRef(TableName.FILTER, "INPUT", 2), 40);
        k.countPolicy(input, 1500);
        k.ruleInserted(input, 1);
        assertThat(k.rule(new RuleRef(TableName.FILTER, "INPUT", 2))).isEqualTo(new Counter(1, 100));
        assertThat(k.rule(new RuleRef(TableName.FILTER, "INPUT", 3))).isEqualTo(new Counter(2, 80));
        k.ruleDeleted(input, 2);
        assertThat(k.rule(new RuleRef(TableName.FILTER, "INPUT", 2))).isEqualTo(new Counter(2, 80));
        RuleCounters copy = k.copy();
        k.chainFlushed(input);
        assertThat(k.rule(new RuleRef(TableName.FILTER, "INPUT", 2))).isEqualTo(Counter.ZERO);
        assertThat(k.policy(input)).isEqualTo(new Counter(1, 1500));
        assertThat(copy.rule(new RuleRef(TableName.FILTER, "INPUT", 2))).isEqualTo(new Counter(2, 80));
    }

    @Test
    void rejectNamesAndCodes() {
        assertThat(RejectWith.of("net-unreach")).contains(RejectWith.ICMP_NET_UNREACHABLE);
        assertThat(RejectWith.of("tcp-rst")).contains(RejectWith.TCP_RESET);
        assertThat(RejectWith.ICMP_ADMIN_PROHIBITED.icmpCode()).isEqualTo(13);
        assertThat(RejectWith.DEFAULT.iptablesName()).isEqualTo("icmp-port-unreachable");
    }

    @Test
    void limitRatesPrintTheWayIptablesRoundsThem() {
        assertThat(RuleText.rate(Match.Limit.DEFAULT_PERIOD)).isEqualTo("3/hour");
        assertThat(RuleText.rate(10_000)).isEqualTo("1/sec");
        assertThat(RuleText.rate(60_000)).isEqualTo("10/min");
        assertThat(RuleText.rate(400)).isEqualTo("25/sec");
    }
}
