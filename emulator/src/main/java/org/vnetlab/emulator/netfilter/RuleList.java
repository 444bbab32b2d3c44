package org.vnetlab.emulator.netfilter;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The immutable rule list of a {@link Chain} that grows by appending without copying: each list is a prefix of
 * a shared array, and the longest prefix may write the next slot (like a Go slice's append), so a restore or
 * script that appends 10 000 rules to one chain copies nothing per rule. Any other append copies. Entries
 * below a list's size are never written again, so every list stays what it was.
 */
final class RuleList extends AbstractList<Rule> implements RandomAccess {
    /** The shared array and how many of its slots some list already covers. */
    private static final class Store {
        Rule[] items;
        int used;

        Store(Rule[] items, int used) {
            this.items = items;
            this.used = used;
        }
    }

    private final Store store;
    private final int size;

    private RuleList(Store store, int size) {
        this.store = store;
        this.size = size;
    }

    /** {@code rules} followed by {@code rule}. */
    static List<Rule> appended(List<Rule> rules, Rule rule) {
        Objects.requireNonNull(rule, "rule");
        if (rules instanceof RuleList l) {
            synchronized (l.store) {
                Store s = l.store;
                if (s.used == l.size) {
                    if (s.items.length == l.size) s.items = Arrays.copyOf(s.items, Math.max(8, l.size * 2));
                    s.items[l.size] = rule;
                    s.used++;
                    return new RuleList(s, l.size + 1);
                }
            }
        }
        Rule[] items = Arrays.copyOf(rules.toArray(new Rule[0]), Math.max(8, rules.size() * 2));
        items[rules.size()] = rule;
        return new RuleList(new Store(items, rules.size() + 1), rules.size() + 1);
    }

    @Override
    public Rule get(int index) {
        Objects.checkIndex(index, size);
        return store.items[index];
    }

    @Override
    public int size() { return size; }
}
