package org.vnetlab.emulator.netfilter;

/**
 * A rule's identity for counters and traces: table, chain and 1-based rule number, as
 * {@code iptables -L --line-numbers} shows it. Stable as long as the ruleset does not change.
 */
public record RuleRef(TableName table, String chain, int number) {
    public RuleRef {
        if (number < 1) throw new IllegalArgumentException("rule numbers start at 1");
    }

    public ChainRef chainRef() { return new ChainRef(table, chain); }

    @Override
    public String toString() { return table + ":" + chain + " #" + number; }
}
