package org.vnetlab.emulator.netfilter.hook;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.emulator.netfilter.AddressFilter;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.CtState;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.netfilter.InterfaceFilter;
import org.vnetlab.emulator.netfilter.Match;
import org.vnetlab.emulator.netfilter.Policy;
import org.vnetlab.emulator.netfilter.PortRange;
import org.vnetlab.emulator.netfilter.ProtocolFilter;
import org.vnetlab.emulator.netfilter.RejectWith;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.netfilter.Target;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The article's iptables-save (/work/shared/ref/article/article.txt, section 4), rule for rule, built with
 * the model's constructors (until the iptables-save parser is merged, tests load it this way).
 */
final class ArticleRuleset {
    private ArticleRuleset() {}

    static AddressFilter net(String a, int len) { return AddressFilter.of(Ipv4Address.parse(a), len, false); }

    static AddressFilter notNet(String a, int len) { return AddressFilter.of(Ipv4Address.parse(a), len, true); }

    static InterfaceFilter dev(String n) { return new InterfaceFilter(n, false); }

    static Match.Udp udpDport(int p) {
        return new Match.Udp(Optional.empty(), Optional.of(new Match.PortTest(PortRange.of(p), false)));
    }

    static Match.Tcp tcpDport(int p) {
        return new Match.Tcp(Optional.empty(), Optional.of(new Match.PortTest(PortRange.of(p), false)), Optional.empty(), Optional.empty());
    }

    static Ruleset build() {
        Rule any = Rule.of(new Target.None());
        Target masqPorts = new Target.Masquerade(Optional.of(new PortRange(1024, 65535)), false, false);
        Table nat = new Table(TableName.NAT, List.of(
                Chain.builtin(Hook.PREROUTING, Policy.ACCEPT),
                Chain.builtin(Hook.INPUT, Policy.ACCEPT),
                Chain.builtin(Hook.OUTPUT, Policy.ACCEPT),
                Chain.builtin(Hook.POSTROUTING, Policy.ACCEPT).withRules(List.of(
                        Rule.of(new Target.Jump("LIBVIRT_PRT")),
                        Rule.of(Target.Masquerade.PLAIN).withOutInterface(dev("enp3s0")),
                        Rule.of(Target.Masquerade.PLAIN).withSource(net("192.168.122.0", 24)).withDestination(notNet("192.168.122.0", 24)))),
                Chain.user("LIBVIRT_PRT").withRules(List.of(
                        Rule.of(new Target.Return()).withSource(net("192.168.122.0", 24)).withDestination(net("224.0.0.0", 24)),
                        Rule.of(new Target.Return()).withSource(net("192.168.122.0", 24)).withDestination(net("255.255.255.255", 32)),
                        Rule.of(masqPorts).withSource(net("192.168.122.0", 24)).withDestination(notNet("192.168.122.0", 24)).withProtocol(ProtocolFilter.TCP),
                        Rule.of(masqPorts).withSource(net("192.168.122.0", 24)).withDestination(notNet("192.168.122.0", 24)).withProtocol(ProtocolFilter.UDP),
                        Rule.of(Target.Masquerade.PLAIN).withSource(net("192.168.122.0", 24)).withDestination(notNet("192.168.122.0", 24))))));
        Target reject = new Target.Reject(RejectWith.ICMP_PORT_UNREACHABLE);
        Table filter = new Table(TableName.FILTER, List.of(
                Chain.builtin(Hook.INPUT, Policy.ACCEPT).withRules(List.of(Rule.of(new Target.Jump("LIBVIRT_INP")))),
                Chain.builtin(Hook.FORWARD, Policy.ACCEPT).withRules(List.of(
                        Rule.of(new Target.Jump("LIBVIRT_FWX")), Rule.of(new Target.Jump("LIBVIRT_FWI")),
                        Rule.of(new Target.Jump("LIBVIRT_FWO")))),
                Chain.builtin(Hook.OUTPUT, Policy.ACCEPT).withRules(List.of(Rule.of(new Target.Jump("LIBVIRT_OUT")))),
                Chain.user("LIBVIRT_FWI").withRules(List.of(
                        Rule.of(new Target.Accept()).withDestination(net("192.168.122.0", 24)).withOutInterface(dev("virbr0"))
                                .withMatches(List.of(Match.Conntrack.ofStates(Set.of(CtState.RELATED, CtState.ESTABLISHED), false))),
                        Rule.of(reject).withOutInterface(dev("virbr0")))),
                Chain.user("LIBVIRT_FWO").withRules(List.of(
                        Rule.of(new Target.Accept()).withSource(net("192.168.122.0", 24)).withInInterface(dev("virbr0")),
                        Rule.of(reject).withInInterface(dev("virbr0")))),
                Chain.user("LIBVIRT_FWX").withRules(List.of(
                        Rule.of(new Target.Accept()).withInInterface(dev("virbr0")).withOutInterface(dev("virbr0")))),
                Chain.user("LIBVIRT_INP").withRules(List.of(
                        Rule.of(new Target.Accept()).withInInterface(dev("virbr0")).withProtocol(ProtocolFilter.UDP).withMatches(List.of(udpDport(53))),
                        Rule.of(new Target.Accept()).withInInterface(dev("virbr0")).withProtocol(ProtocolFilter.TCP).withMatches(List.of(tcpDport(53))),
                        Rule.of(new Target.Accept()).withInInterface(dev("virbr0")).withProtocol(ProtocolFilter.UDP).withMatches(List.of(udpDport(67))),
                        Rule.of(new Target.Accept()).withInInterface(dev("virbr0")).withProtocol(ProtocolFilter.TCP).withMatches(List.of(tcpDport(67))))),
                Chain.user("LIBVIRT_OUT").withRules(List.of(
                        // "-d 53" is 53.0.0.0/32 as iptables parses it (captures README): matches nothing here
                        Rule.of(new Target.Accept()).withOutInterface(dev("virbr0")).withProtocol(ProtocolFilter.UDP).withDestination(net("53.0.0.0", 32)),
                        Rule.of(new Target.Accept()).withOutInterface(dev("virbr0")).withProtocol(ProtocolFilter.TCP).withDestination(net("53.0.0.0", 32)),
                        Rule.of(new Target.Accept()).withOutInterface(dev("virbr0")).withProtocol(ProtocolFilter.UDP).withDestination(net("68.0.0.0", 32)),
                        Rule.of(new Target.Accept()).withOutInterface(dev("virbr0")).withProtocol(ProtocolFilter.TCP).withDestination(net("68.0.0.0", 32))))));
        return new Ruleset(List.of(nat, filter), false);
    }
}
