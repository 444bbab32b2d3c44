package org.vnetlab.emulator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import org.vnetlab.emulator.hostconf.sysctl.SysctlCommand;
import org.vnetlab.emulator.hostconf.sysctl.Sysctls;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Counter;
import org.vnetlab.emulator.netfilter.iptables.IptablesCommand;
import org.vnetlab.emulator.netfilter.iptables.IptablesSave;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.IptablesScript;

/**
 * The stateful loaders are all or nothing (iptables-restore's semantics): when mutated input fails, the host's
 * state before the call — ruleset, rule counters, sysctls — is exactly what it was, whatever line failed.
 * The state is the article's host (libvirt's base chains for single commands) with counters that have moved,
 * so a half-applied load would show.
 */
class AllOrNothingProperties {
    private final ParserMutationProperties mutations = new ParserMutationProperties();

    /** A ruleset with counters that have moved on every rule of every table. */
    static Host withCounters(Ruleset r) {
        RuleCounters c = new RuleCounters();
        for (var table : r.tables()) {
            for (var chain : table.chains()) {
                for (int n = 1; n <= chain.rules().size(); n++) c.setRule(new RuleRef(table.name(), chain.name(), n), new Counter(n, 100L * n));
            }
        }
        return new Host(r, c);
    }

    record Host(Ruleset ruleset, RuleCounters counters) {
        String snapshot() { return IptablesSave.print(ruleset, counters, IptablesSave.Options.withCounters()); }
    }

    @Provide
    Arbitrary<List<TextMutation>> edits() { return mutations.edits(); }

    private static BundledInput pick(TextParser p, int pick) {
        return p.inputs().get(Math.floorMod(pick, p.inputs().size()));
    }

    /** One load of mutated input into {@code host}'s state, which it may change only when it succeeds. */
    @FunctionalInterface
    interface Load {
        void into(Host host) throws InputException;
    }

    /** Runs the load; when it fails, the ruleset and every counter are what they were. Most tries must fail. */
    static void changesNothingWhenItFails(Host host, Load load) {
        String before = host.snapshot();
        boolean refused = false;
        try {
            load.into(host);
        } catch (InputException e) {
            refused = true;
            assertThat(host.snapshot()).isEqualTo(before);
        }
        Statistics.collect(refused ? "refused" : "loaded");
        Statistics.coverage(c -> c.check("refused").percentage(p -> p >= 20));
    }

    @Property(tries = 200, seed = "21")
    void iptablesRestoreChangesNothingWhenItFails(@ForAll @IntRange(max = 999) int pick, @ForAll boolean noflush,
                                                   @ForAll("edits") List<TextMutation> edits) {
        BundledInput input = pick(TextParsers.IPTABLES_SAVE, pick);
        changesNothingWhenItFails(withCounters(TextParsers.articleRuleset()), host -> IptablesSaveParser.restore(
                host.ruleset(), host.counters(), TextMutation.applyAll(input.text(), edits), input.name(), noflush));
    }

    @Property(tries = 200, seed = "22")
    void iptablesCommandChangesNothingWhenItFails(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        BundledInput input = pick(TextParsers.IPTABLES_COMMAND, pick);
        changesNothingWhenItFails(withCounters(TextParsers.libvirtBaseRuleset()), host -> IptablesCommand.parse(
                TextMutation.applyAll(input.text(), edits), input.name(), 1).apply(host.ruleset(), host.counters()));
    }

    @Property(tries = 200, seed = "23")
    void iptablesScriptChangesNothingWhenItFails(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        BundledInput input = pick(TextParsers.IPTABLES_SCRIPT, pick);
        changesNothingWhenItFails(withCounters(TextParsers.articleRuleset()), host -> IptablesScript.apply(
                host.ruleset(), host.counters(), TextMutation.applyAll(input.text(), edits), input.name()));
    }

    @Property(tries = 200, seed = "24")
    void sysctlLoadChangesNothingWhenItFails(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        Sysctls state = TextParsers.kernelDefaults();
        BundledInput input = pick(TextParsers.SYSCTL_LOAD, pick);
        try {
            SysctlCommand.loadChecked(state, input.name(), TextMutation.applyAll(input.text(), edits));
        } catch (InputException e) {
            assertThat(state).isEqualTo(TextParsers.kernelDefaults());
            assertThat(state.asMap()).isEqualTo(TextParsers.kernelDefaults().asMap());
        }
    }

    /**
     * {@code iptables-restore} as the host command runs it ({@link org.vnetlab.emulator.lab.HostIptables#restore}, with
     * and without {@code --noflush} and {@code -c}), the host's ipsets checked as libxt_set checks them: a refused
     * file leaves the live rules and counters as they were and never reaches the kernel.
     */
    @Property(tries = 150, seed = "25")
    void hostIptablesRestoreChangesNothingWhenItFails(@ForAll @IntRange(max = 999) int pick, @ForAll boolean noflush,
                                                       @ForAll boolean counters, @ForAll("edits") List<TextMutation> edits) {
        BundledInput input = pick(TextParsers.IPTABLES_SAVE, pick);
        Host start = withCounters(TextParsers.articleRuleset());
        var host = new org.vnetlab.emulator.lab.HostIptables(start.ruleset(), start.counters());
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        host.setKernel(r -> loads.incrementAndGet());
        BundledInput ipsets = TextParsers.IPSET_SAVE.inputs().get(0);
        org.vnetlab.emulator.netfilter.iptables.IpsetSave sets;
        try {
            sets = org.vnetlab.emulator.netfilter.iptables.IpsetSaveParser.parse(ipsets.text(), ipsets.name());
        } catch (InputException e) {
            throw new IllegalStateException("bundled fixture does not load: " + e.getMessage(), e);
        }
        host.setParseCheck(r -> org.vnetlab.emulator.netfilter.iptables.IpsetReferences.firstMissing(r, sets));
        changesNothingWhenItFails(start, h -> {
            try {
                host.restore(TextMutation.applyAll(input.text(), edits), input.name(), noflush, false, counters);
            } catch (InputException e) {
                assertThat(loads).as("a refused restore reached the kernel").hasValue(0);
                assertThat(host.ruleset()).isSameAs(start.ruleset());
                throw e;
            }
        });
    }

    /**
     * {@code nft -f FILE} through the host's nft onto Debian's default ruleset: one transaction, so a refused file
     * leaves the ruleset as it was and never reaches the kernel.
     */
    @Property(tries = 150, seed = "26")
    void nftFileChangesNothingWhenItFails(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        BundledInput input = pick(TextParsers.NFT_FILE, pick);
        var host = TextParsers.nftHost();
        var before = host.ruleset();
        java.util.concurrent.atomic.AtomicInteger loads = new java.util.concurrent.atomic.AtomicInteger();
        host.setKernel(r -> loads.incrementAndGet());
        String text = TextMutation.applyAll(input.text(), edits);
        boolean refused = false;
        try {
            host.execute(List.of("-f", input.name()), n -> java.util.Optional.of(text));
        } catch (InputException e) {
            refused = true;
            assertThat(host.ruleset()).isSameAs(before);
            assertThat(loads).as("a refused nft -f reached the kernel").hasValue(0);
        }
        Statistics.collect(refused ? "refused" : "loaded");
        Statistics.coverage(c -> c.check("refused").percentage(p -> p >= 20));
    }
}
