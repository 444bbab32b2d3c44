package org.vnetlab.emulator.netfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host's IPv4 iptables configuration: the tables that exist, in the order iptables-save printed them.
 * A table that is absent behaves like {@link Table#empty} (the kernel never registered it, so nothing is
 * filtered there); {@link #tableOrEmpty} gives exactly that. Equality ignores the table order (it only
 * decides how the ruleset prints): two rulesets are equal when they hold the same tables.
 *
 * @param tables               tables in print order, each name at most once
 * @param legacyTablesPresent  the input carried iptables-nft's
 *     {@code # Warning: iptables-legacy tables present, use iptables-legacy-save to see them}: the host also
 *     has rules in the legacy backend that this dump does not show, and the kernel evaluates both.
 */
public record Ruleset(List<Table> tables, boolean legacyTablesPresent) {
    public static final Ruleset EMPTY = new Ruleset(List.of(), false);

    public Ruleset {
        tables = List.copyOf(tables);
        for (int i = 0; i < tables.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (tables.get(i).name() == tables.get(j).name()) {
                    throw new IllegalArgumentException("table " + tables.get(i).name() + " given twice");
                }
            }
        }
    }

    public Optional<Table> table(TableName name) {
        for (Table t : tables) if (t.name() == name) return Optional.of(t);
        return Optional.empty();
    }

    /** The table, or the empty table the kernel would have (built-in chains, policy ACCEPT, no rules). */
    public Table tableOrEmpty(TableName name) { return table(name).orElseGet(() -> Table.empty(name)); }

    /** This ruleset with {@code table} replacing the table of that name in place, or appended. */
    public Ruleset with(Table table) {
        List<Table> l = new ArrayList<>(tables);
        boolean replaced = false;
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).name() == table.name()) {
                l.set(i, table);
                replaced = true;
            }
        }
        if (!replaced) l.add(table);
        return new Ruleset(l, legacyTablesPresent);
    }

    public Ruleset withLegacyTablesPresent(boolean v) { return new Ruleset(tables, v); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ruleset r && legacyTablesPresent == r.legacyTablesPresent && tables.size() == r.tables.size()
                && r.tables.containsAll(tables);
    }

    @Override
    public int hashCode() {
        return java.util.Set.copyOf(tables).hashCode() * 31 + Boolean.hashCode(legacyTablesPresent);
    }
}
