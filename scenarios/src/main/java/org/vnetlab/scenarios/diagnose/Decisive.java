package org.vnetlab.scenarios.diagnose;

/**
 * The rule (or chain policy) that decided a probe's fate: where it sits (hook, table, chain, 1-based rule
 * number; 0 for the chain's policy), its target, and the rule as {@code iptables-save} prints it.
 */
public record Decisive(String hook, String table, String chain, int rule, String target, String text) {

    public boolean isPolicy() { return rule == 0; }

    /** {@code filter FORWARD #3 (-A ...)} or {@code filter FORWARD policy DROP}. */
    public String describe() {
        if (isPolicy()) return hook + ": " + table + " " + chain + " policy " + target;
        return hook + ": " + table + " " + chain + " #" + rule + " " + (text.isEmpty() ? target : text);
    }
}
