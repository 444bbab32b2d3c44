package org.vnetlab.emulator.nftables;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A chain: a base chain when it has a {@link BaseChainSpec}, else a regular chain reached by jump/goto. */
public record NftChain(String name, long handle, Optional<BaseChainSpec> base, Optional<String> comment, List<NftRule> rules) {
    public NftChain {
        rules = List.copyOf(rules);
    }

    public boolean isBase() { return base.isPresent(); }

    public Optional<NftRule> rule(long handle) {
        return rules.stream().filter(r -> r.handle() == handle).findFirst();
    }

    /** 0-based position of the rule with {@code handle}, or -1. */
    public int indexOf(long handle) {
        for (int i = 0; i < rules.size(); i++) if (rules.get(i).handle() == handle) return i;
        return -1;
    }

    public NftChain withRules(List<NftRule> r) { return new NftChain(name, handle, base, comment, r); }

    public NftChain withRuleAt(int index, NftRule rule) {
        List<NftRule> l = new ArrayList<>(rules);
        l.add(index, rule);
        return withRules(l);
    }

    public NftChain withBase(Optional<BaseChainSpec> b, Optional<String> c) { return new NftChain(name, handle, b, c, rules); }
}
