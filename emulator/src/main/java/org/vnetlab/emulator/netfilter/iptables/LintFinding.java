package org.vnetlab.emulator.netfilter.iptables;

import org.vnetlab.emulator.netfilter.RuleOrigin;
import org.vnetlab.emulator.netfilter.TableName;

/**
 * A rule that loads (iptables keeps it exactly so) but probably does not do what its author meant.
 *
 * @param origin     where the rule was written (file:line and the text as written)
 * @param ruleNumber 1-based position in the chain; 0 for a finding about the whole chain
 * @param rule       the rule in canonical form ({@code -A CHAIN ...}), or {@code -N CHAIN} for a chain
 */
public record LintFinding(RuleOrigin origin, TableName table, String chain, int ruleNumber, String rule, String message) {
    @Override
    public String toString() {
        return (origin.isKnown() ? origin + ": " : "") + table + " " + rule + ": " + message;
    }
}
