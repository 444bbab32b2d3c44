package org.vnetlab.emulator.netfilter;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The packet/byte counters of every rule and built-in chain policy: mutable state kept beside the
 * immutable {@link Ruleset}, keyed by {@link RuleRef}/{@link ChainRef}. The engine counts into it; the
 * printers ({@code iptables-save -c}, {@code iptables -L -v}) read it. A key never counted reads as zero.
 *
 * <p>Ruleset edits shift rule numbers; {@code IptablesCommand} keeps the counters in step through the
 * {@code rule*}/{@code chain*} bookkeeping methods below (iptables keeps a rule's counters when other rules
 * are inserted or deleted around it). Not thread-safe: one emulation thread owns it.
 */
public final class RuleCounters {
    private final Map<ChainRef, TreeMap<Integer, Counter>> rules = new HashMap<>();
    private final Map<ChainRef, Counter> policies = new HashMap<>();

    public Counter rule(RuleRef ref) {
        Map<Integer, Counter> m = rules.get(ref.chainRef());
        Counter c = m == null ? null : m.get(ref.number());
        return c == null ? Counter.ZERO : c;
    }

    public Counter policy(ChainRef ref) { return policies.getOrDefault(ref, Counter.ZERO); }

    /** One packet of {@code bytes} (IP total length) matched the rule. */
    public void countRule(RuleRef ref, long bytes) { setRule(ref, rule(ref).plus(1, bytes)); }

    /** One packet of {@code bytes} met the end of the built-in chain and took its policy. */
    public void countPolicy(ChainRef ref, long bytes) { setPolicy(ref, policy(ref).plus(1, bytes)); }

    public void setRule(RuleRef ref, Counter c) {
        rules.computeIfAbsent(ref.chainRef(), k -> new TreeMap<>()).put(ref.number(), c);
    }

    public void setPolicy(ChainRef ref, Counter c) { policies.put(ref, c); }

    /** {@code iptables -Z}: every counter of every table. */
    public void zeroAll() {
        rules.clear();
        policies.clear();
    }

    /** {@code iptables -t T -Z}. */
    public void zero(TableName table) {
        rules.keySet().removeIf(k -> k.table() == table);
        policies.keySet().removeIf(k -> k.table() == table);
    }

    /** {@code iptables -Z CHAIN}: the chain's rules and its policy counter. */
    public void zero(ChainRef chain) {
        rules.remove(chain);
        policies.remove(chain);
    }

    /** {@code iptables -Z CHAIN N}. */
    public void zero(RuleRef ref) {
        Map<Integer, Counter> m = rules.get(ref.chainRef());
        if (m != null) m.remove(ref.number());
    }

    /** A rule was inserted as number {@code n}: it starts at zero, later rules move up one. */
    public void ruleInserted(ChainRef chain, int n) {
        shift(chain, n, +1);
    }

    /** Rule number {@code n} was deleted: its counter goes, later rules move down one. */
    public void ruleDeleted(ChainRef chain, int n) {
        Map<Integer, Counter> m = rules.get(chain);
        if (m != null) m.remove(n);
        shift(chain, n + 1, -1);
    }

    /** {@code -F}: the chain's rules are gone (its policy counter stays, as in iptables). */
    public void chainFlushed(ChainRef chain) { rules.remove(chain); }

    /** {@code -X}/table replacement: the chain and all its counters are gone. */
    public void chainDeleted(ChainRef chain) {
        rules.remove(chain);
        policies.remove(chain);
    }

    /** {@code -E}: counters follow the chain to its new name. */
    public void chainRenamed(ChainRef from, ChainRef to) {
        TreeMap<Integer, Counter> m = rules.remove(from);
        if (m != null) rules.put(to, m);
        Counter p = policies.remove(from);
        if (p != null) policies.put(to, p);
    }

    /** A deep copy, e.g. to keep a snapshot before an atomic restore. */
    public RuleCounters copy() {
        RuleCounters c = new RuleCounters();
        rules.forEach((k, v) -> c.rules.put(k, new TreeMap<>(v)));
        c.policies.putAll(policies);
        return c;
    }

    /** Replaces this object's content with {@code other}'s (atomic restore commits this way). */
    public void replaceWith(RuleCounters other) {
        rules.clear();
        policies.clear();
        other.rules.forEach((k, v) -> rules.put(k, new TreeMap<>(v)));
        policies.putAll(other.policies);
    }

    private void shift(ChainRef chain, int from, int by) {
        TreeMap<Integer, Counter> m = rules.get(chain);
        if (m == null || m.isEmpty() || m.lastKey() < from) return; // appending moves nothing: keeps a restore linear
        Map<Integer, Counter> tail = new TreeMap<>(m.tailMap(from, true));
        m.tailMap(from, true).clear();
        tail.forEach((n, c) -> m.put(n + by, c));
    }
}
