package org.vnetlab.emulator.netfilter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One table: all of its built-in chains (in hook order; a built-in chain never mentioned gets policy
 * ACCEPT, as the kernel creates it), then its user chains sorted by name in byte order — the order
 * iptables-save prints them in. The constructor normalizes to that order, so equal tables print equally.
 */
public record Table(TableName name, List<Chain> chains) {

    public Table {
        List<Chain> builtins = new ArrayList<>();
        for (Hook h : name.hooks()) {
            Chain found = null;
            for (Chain c : chains) if (c.name().equals(h.chainName())) found = c;
            builtins.add(found != null ? found : Chain.builtin(h, Policy.ACCEPT));
        }
        List<Chain> users = new ArrayList<>();
        for (Chain c : chains) {
            if (name.hasBuiltin(c.name())) {
                if (!c.isBuiltin()) throw new IllegalArgumentException("built-in chain " + c.name() + " needs a policy");
            } else {
                if (c.isBuiltin()) throw new IllegalArgumentException(c.name() + " is not a built-in chain of table " + name);
                users.add(c);
            }
        }
        users.sort(Comparator.comparing(Chain::name, Table::compareBytes));
        for (int i = 1; i < users.size(); i++) {
            if (users.get(i).name().equals(users.get(i - 1).name())) {
                throw new IllegalArgumentException("chain " + users.get(i).name() + " defined twice");
            }
        }
        List<Chain> all = new ArrayList<>(builtins);
        all.addAll(users);
        chains = List.copyOf(all);
    }

    /** A table as the kernel first creates it: built-in chains, policy ACCEPT, no rules. */
    public static Table empty(TableName name) { return new Table(name, List.of()); }

    public Optional<Chain> chain(String chainName) {
        for (Chain c : chains) if (c.name().equals(chainName)) return Optional.of(c);
        return Optional.empty();
    }

    /** The built-in chain for a hook; empty if this table has none there. */
    public Optional<Chain> chain(Hook hook) {
        return name.hooks().contains(hook) ? chain(hook.chainName()) : Optional.empty();
    }

    /** This table with {@code chain} added, or replacing the chain of the same name. */
    public Table with(Chain chain) {
        List<Chain> l = new ArrayList<>();
        for (Chain c : chains) if (!c.name().equals(chain.name())) l.add(c);
        l.add(chain);
        return new Table(name, l);
    }

    public Table without(String chainName) {
        List<Chain> l = new ArrayList<>();
        for (Chain c : chains) if (!c.name().equals(chainName)) l.add(c);
        return new Table(name, l);
    }

    /** strcmp order, which is how both iptables backends sort user chains. */
    static int compareBytes(String a, String b) {
        byte[] x = a.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] y = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    }
}
