package org.vnetlab.emulator.netfilter.iptables;

import java.util.List;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;

/**
 * A parsed iptables-save dump: the ruleset, the counters it carried (chain lines' {@code [p:b]} and, with
 * {@code iptables-save -c}, each rule's), and the warnings (user-chain policies ignored, lines skipped in
 * permissive mode).
 */
public record SaveFile(Ruleset ruleset, RuleCounters counters, List<ParseWarning> warnings) {
    public SaveFile {
        warnings = List.copyOf(warnings);
    }
}
