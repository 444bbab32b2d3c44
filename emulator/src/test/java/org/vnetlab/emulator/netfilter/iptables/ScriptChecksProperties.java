package org.vnetlab.emulator.netfilter.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;

/**
 * A script judged command by command from the last table that passed (as {@link IptablesScript} does) reaches
 * exactly the verdicts of checking the whole table after every command (as running the commands one by one
 * does): the same ruleset and counters, or the same error on the same line. The commands aim at what the
 * kernel's table checks catch: jump loops, jumps to missing chains, targets and matches valid only in some
 * tables or hooks, reached through user chains that gain and lose their jumps.
 */
class ScriptChecksProperties {
    /** Chains X, Y (filter) and N1 (nat) exist from the start, so most commands apply and the checks decide. */
    static final String BASE = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :N1 - [0:0]
            COMMIT
            *filter
            :INPUT ACCEPT [3:180]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :X - [0:0]
            :Y - [0:0]
            [5:300] -A X -s 10.1.0.0/16 -j DROP
            COMMIT
            """;

    static final List<String> COMMANDS = List.of(
            "iptables -N Z", "iptables -X Y", "iptables -X Z", "iptables -F X", "iptables -F",
            "iptables -A INPUT -j X", "iptables -A OUTPUT -j X", "iptables -I FORWARD 1 -j Y", "iptables -A X -j Y",
            "iptables -A Y -j X", "iptables -A X -j REJECT", "iptables -A Y -p tcp -j REJECT --reject-with tcp-reset",
            "iptables -A X -m mac --mac-source 52:54:00:00:00:01 -j ACCEPT", "iptables -A Y -s 10.0.0.0/8 -j DROP",
            "iptables -A X -s 10.2.0.0/16 -j ACCEPT", "iptables -A Y -d 10.3.0.0/16 -j ACCEPT", "iptables -A INPUT -p udp -j DROP",
            "iptables -I X 1 -j DROP", "iptables -R X 1 -j REJECT", "iptables -R Y 1 -j X", "iptables -D X 1",
            "iptables -D INPUT -j X", "iptables -D OUTPUT 1", "iptables -E Y Z", "iptables -A Z -j X", "iptables -A Z -j DROP",
            "iptables -A INPUT -m addrtype --limit-iface-out --dst-type LOCAL -j ACCEPT",
            "iptables -t nat -A PREROUTING -j N1", "iptables -t nat -A POSTROUTING -j N1", "iptables -t nat -A N1 -j MASQUERADE",
            "iptables -t nat -A N1 -p tcp -j DNAT --to-destination 10.0.0.1", "iptables -t nat -A N1 -s 10.9.0.0/16 -j RETURN",
            "iptables -t nat -D PREROUTING 1", "iptables -t nat -F N1", "iptables -P FORWARD DROP", "iptables -Z X",
            "iptables -t mangle -A POSTROUTING -p udp -j CHECKSUM --checksum-fill", "iptables -A X -j CHECKSUM --checksum-fill");

    static Ruleset base(RuleCounters counters) {
        try {
            return IptablesSaveParser.restore(Ruleset.EMPTY, counters, BASE, "base.rules", false);
        } catch (InputException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Provide
    Arbitrary<List<String>> scripts() {
        return Arbitraries.of(COMMANDS).list().ofMinSize(1).ofMaxSize(14);
    }

    @Property(tries = 600, seed = "7")
    void incrementalChecksGiveTheVerdictsOfFullChecks(@ForAll("scripts") List<String> script) {
        String text = String.join("\n", script) + "\n";
        String viaScript;
        RuleCounters a = new RuleCounters();
        Ruleset base = base(a);
        try {
            viaScript = IptablesSave.print(IptablesScript.apply(base, a, text, "s.sh").ruleset(), a, IptablesSave.Options.withCounters());
        } catch (InputException e) {
            viaScript = "error " + e.getMessage();
        }
        String oneByOne;
        RuleCounters b = new RuleCounters();
        Ruleset r = base(b);
        try {
            for (IptablesScript.Command c : IptablesScript.commands(text)) {
                r = IptablesCommand.parse(c.text(), "s.sh", c.line()).apply(r, b).ruleset();
            }
            oneByOne = IptablesSave.print(r, b, IptablesSave.Options.withCounters());
        } catch (InputException e) {
            oneByOne = "error " + e.getMessage();
        }
        Statistics.label("verdict").collect(viaScript.startsWith("error") ? "refused" : "loaded");
        assertThat(viaScript).isEqualTo(oneByOne);
    }
}
