package org.vnetlab.scenarios.dump;

import java.util.ArrayList;
import java.util.Optional;
import org.vnetlab.emulator.libvirt.firewall.NftablesFirewall;
import org.vnetlab.emulator.nftables.Family;
import org.vnetlab.emulator.nftables.NftCounters;
import org.vnetlab.emulator.nftables.NftPrinter;
import org.vnetlab.emulator.nftables.NftRuleset;
import org.vnetlab.emulator.nftables.syntax.NftCommandLine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkStartException;
import org.vnetlab.emulator.libvirt.firewall.FirewallCommand;
import org.vnetlab.emulator.libvirt.firewall.IptablesFirewall;
import org.vnetlab.emulator.libvirt.firewall.Layer;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.iptables.IptablesCommand;
import org.vnetlab.emulator.netfilter.iptables.IptablesSave;

/**
 * Runs libvirt's iptables commands for a network against a ruleset, as libvirtd does through the iptables
 * binary: the private chain setup, then the network's rules on start, or their deletion on stop. Only the
 * IPv4 commands apply (the emulated host has no IPv6 tables). Like libvirt, a failing deletion is ignored
 * (the rule may already be gone); a failing insertion fails the start.
 */
public final class LibvirtRules {
    private LibvirtRules() {}

    /** The ruleset after libvirt's private-chain setup and the network's rules (what {@code net-start} does). */
    public static Ruleset add(Ruleset ruleset, RuleCounters counters, NetworkDefinition def) throws InputException, NetworkStartException {
        Ruleset r = ruleset;
        for (FirewallCommand c : IptablesFirewall.privateChainSetup(Layer.IPV4, listRules(r))) {
            if (c.args().contains("--list-rules")) continue;
            r = run(r, counters, c);
        }
        for (FirewallCommand c : IptablesFirewall.add(def)) {
            if (c.tool() != FirewallCommand.Tool.IPTABLES) continue;
            r = run(r, counters, c);
        }
        return r;
    }

    /** The ruleset after the network's rules are deleted (what {@code net-destroy} does); missing rules are skipped. */
    public static Ruleset remove(Ruleset ruleset, RuleCounters counters, NetworkDefinition def) throws NetworkStartException {
        Ruleset r = ruleset;
        for (FirewallCommand c : IptablesFirewall.remove(def)) {
            if (c.tool() != FirewallCommand.Tool.IPTABLES) continue;
            try {
                r = run(r, counters, c);
            } catch (InputException e) {
                // libvirt ignores errors when removing rules: someone may have removed them already
            }
        }
        return r;
    }

    /**
     * libvirt's nftables backend on {@code ruleset}: its private table and chains (ip and ip6) where missing, then the
     * network's rules, through nft as libvirtd runs it.
     */
    public static NftRuleset addNft(NftRuleset ruleset, NetworkDefinition def) throws InputException, NetworkStartException {
        NftRuleset r = ruleset;
        for (Layer layer : List.of(Layer.IPV4, Layer.IPV6)) {
            List<String> listing = r.table(Family.of(layer.nftFamily()).orElseThrow(), NftablesFirewall.TABLE)
                    .map(t -> NftPrinter.plain().table(t).lines().toList()).orElse(List.of());
            for (FirewallCommand c : NftablesFirewall.privateChainSetup(layer, listing)) {
                if (c.args().get(0).equals("list")) continue;
                r = NftCommandLine.execute(r, new NftCounters(), c.args(), f -> Optional.empty()).ruleset();
            }
        }
        for (FirewallCommand c : NftablesFirewall.add(def)) {
            r = NftCommandLine.execute(r, new NftCounters(), c.args(), f -> Optional.empty()).ruleset();
        }
        return r;
    }

    private static Ruleset run(Ruleset r, RuleCounters counters, FirewallCommand c) throws InputException {
        return IptablesCommand.parse(c.argv(), "libvirt", 1).apply(r, counters).ruleset();
    }

    /** {@code iptables --list-rules} per table, as libvirt reads it to see which chains exist. */
    static Map<String, List<String>> listRules(Ruleset r) {
        Map<String, List<String>> out = new HashMap<>();
        for (Table t : r.tables()) {
            List<String> lines = new ArrayList<>();
            for (String l : IptablesSave.table(t, new RuleCounters(), false).split("\n")) {
                if (l.startsWith(":")) {
                    String name = l.substring(1, l.indexOf(' '));
                    lines.add(l.contains(" - ") ? "-N " + name : "-P " + name + " " + l.split(" ")[1]);
                } else if (l.startsWith("-A ")) {
                    lines.add(l);
                }
            }
            out.put(t.name().toString(), lines);
        }
        return out;
    }
}
