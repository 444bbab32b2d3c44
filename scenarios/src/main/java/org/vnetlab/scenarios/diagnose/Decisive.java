package org.vnetlab.scenarios.diagnose;

import java.util.OptionalLong;

/**
 * The rule (or chain policy) that decided a probe's fate: where it sits (hook, table, chain, 1-based rule
 * number; 0 for the chain's policy), its target, and the rule as {@code iptables-save} or {@code nft list}
 * prints it. An nft rule's table is {@code FAMILY NAME} ({@code ip libvirt_network}) and it has a handle.
 */
public record Decisive(String hook, String table, String chain, int rule, String target, String text, OptionalLong handle) {

    /** An iptables rule (no handle). */
    public Decisive(String hook, String table, String chain, int rule, String target, String text) {
        this(hook, table, chain, rule, target, text, OptionalLong.empty());
    }

    public boolean isPolicy() { return rule == 0; }

    /** Whether the decision is a native nftables table's (its table name carries the family). */
    public boolean isNft() { return table.contains(" "); }

    /**
     * {@code FORWARD: filter FORWARD #3 -A ...}, {@code FORWARD: filter FORWARD policy DROP}, or for nft
     * {@code FORWARD: ip libvirt_network guest_output #1 (handle 9) ip saddr ... accept}.
     */
    public String describe() {
        if (isPolicy()) return hook + ": " + table + " " + chain + " policy " + target;
        String where = hook + ": " + table + " " + chain + " #" + rule;
        if (handle.isPresent()) where += " (handle " + handle.getAsLong() + ")";
        return where + " " + (text.isEmpty() ? target : text);
    }
}
