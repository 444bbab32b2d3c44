package org.vnetlab.emulator.netfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A chain: its name, a policy iff it is built in, and its rules in order (rule numbers are 1-based, as in
 * {@code iptables -L --line-numbers}).
 */
public record Chain(String name, Optional<Policy> policy, List<Rule> rules) {
    /** iptables' limit: XT_EXTENSION_MAXNAMELEN (29) minus the terminating NUL. */
    public static final int MAX_NAME_LENGTH = 28;

    public Chain {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("chain name is required");
        rules = rules instanceof RuleList ? rules : List.copyOf(rules);
    }

    public static Chain builtin(Hook hook, Policy policy) { return new Chain(hook.chainName(), Optional.of(policy), List.of()); }

    public static Chain user(String name) { return new Chain(name, Optional.empty(), List.of()); }

    public boolean isBuiltin() { return policy.isPresent(); }

    /** The hook of a built-in chain. */
    public Optional<Hook> hook() { return isBuiltin() ? Hook.ofChainName(name) : Optional.empty(); }

    /** Rule number {@code n} (1-based). */
    public Rule rule(int n) { return rules.get(n - 1); }

    public Chain withRules(List<Rule> newRules) { return new Chain(name, policy, newRules); }

    public Chain withPolicy(Policy p) {
        if (!isBuiltin()) throw new IllegalStateException("user chain " + name + " has no policy");
        return new Chain(name, Optional.of(p), rules);
    }

    /** This chain with {@code rule} inserted so that it becomes rule number {@code n} (1-based). */
    public Chain withInserted(int n, Rule rule) {
        List<Rule> l = new ArrayList<>(rules);
        l.add(n - 1, rule);
        return withRules(l);
    }

    public Chain withAppended(Rule rule) { return new Chain(name, policy, RuleList.appended(rules, rule)); }

    public Chain withRemoved(int n) {
        List<Rule> l = new ArrayList<>(rules);
        l.remove(n - 1);
        return withRules(l);
    }

    public Chain withReplaced(int n, Rule rule) {
        List<Rule> l = new ArrayList<>(rules);
        l.set(n - 1, rule);
        return withRules(l);
    }
}
