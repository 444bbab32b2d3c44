package org.vnetlab.emulator.nftables.firewall;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.netfilter.Policy;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.nftables.BaseChainSpec;
import org.vnetlab.emulator.nftables.ChainType;
import org.vnetlab.emulator.nftables.Family;
import org.vnetlab.emulator.nftables.NftChain;
import org.vnetlab.emulator.nftables.NftHook;
import org.vnetlab.emulator.nftables.NftRule;
import org.vnetlab.emulator.nftables.NftTable;
import org.vnetlab.emulator.nftables.Stmt;

/**
 * The nf_tables objects iptables-nft made, as the kernel holds them: per table its handle, its chains and rules
 * with their handles (one counter per table, chains and rules alike), in creation order. Kept in step with the
 * live iptables ruleset ({@link #update}): a rule that stays keeps its handle, an inserted or appended rule or
 * a new chain takes the table's next handle, as each {@code iptables} command's nft batch does; a new table
 * gets the next table handle of the namespace. The one mutable place of {@code nft list}'s view of iptables.
 */
public final class IptablesNftTables {
    private static final class TableState {
        final TableName name;
        final long handle;
        long next;
        final Map<String, Long> chainHandles = new LinkedHashMap<>();
        final Map<String, List<Long>> ruleHandles = new HashMap<>();
        Table table;

        TableState(TableName name, long handle, Table table) {
            this.name = name;
            this.handle = handle;
            this.table = table;
        }
    }

    private final List<TableState> tables = new ArrayList<>();
    private final NextTableHandle tableHandles;

    /** Where the namespace's next table handle comes from (shared with native nft tables). */
    @FunctionalInterface
    public interface NextTableHandle {
        long take();
    }

    /**
     * As iptables-nft-restore of an iptables-save file creates them: each table in file order, then its chains
     * (built-in in hook order, then user chains by name) and then the rules, chain by chain.
     */
    public IptablesNftTables(Ruleset initial, NextTableHandle tableHandles) {
        this.tableHandles = tableHandles;
        for (Table t : initial.tables()) create(t, true);
    }

    private TableState create(Table t, boolean allBuiltins) {
        TableState s = new TableState(t.name(), tableHandles.take(), t);
        s.next = 1;
        for (Chain c : t.chains()) {
            if (allBuiltins || exists(c)) s.chainHandles.put(c.name(), s.next++);
        }
        for (Chain c : t.chains()) {
            List<Long> hs = new ArrayList<>();
            for (int i = 0; i < c.rules().size(); i++) hs.add(s.next++);
            s.ruleHandles.put(c.name(), hs);
        }
        tables.add(s);
        return s;
    }

    /** A chain an iptables command made iptables-nft create: a user chain, or a built-in one in use. */
    private static boolean exists(Chain c) {
        return !c.isBuiltin() || !c.rules().isEmpty() || c.policy().get() != Policy.ACCEPT;
    }

    /** The iptables ruleset after a command: rules kept keep their handles, new ones take fresh ones. */
    public void update(Ruleset now) {
        for (Table t : now.tables()) {
            TableState s = state(t.name()).orElse(null);
            if (s == null) {
                create(t, false);
                continue;
            }
            s.chainHandles.keySet().removeIf(n -> t.chain(n).isEmpty());
            for (Chain c : t.chains()) {
                if (!s.chainHandles.containsKey(c.name()) && exists(c)) s.chainHandles.put(c.name(), s.next++);
            }
            for (Chain c : t.chains()) {
                List<Rule> before = s.table.chain(c.name()).map(Chain::rules).orElse(List.of());
                List<Long> old = s.ruleHandles.getOrDefault(c.name(), List.of());
                s.ruleHandles.put(c.name(), carry(before, old, c.rules(), s));
            }
            s.ruleHandles.keySet().removeIf(n -> t.chain(n).isEmpty());
            s.table = t;
        }
        tables.removeIf(s -> now.table(s.name).isEmpty());
    }

    /** Handles for {@code after}: the longest common subsequence with {@code before} keeps its handles. */
    private static List<Long> carry(List<Rule> before, List<Long> old, List<Rule> after, TableState s) {
        int n = before.size(), m = after.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = before.get(i).equals(after.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Long> out = new ArrayList<>();
        int i = 0, j = 0;
        while (j < m) {
            if (i < n && before.get(i).equals(after.get(j))) {
                out.add(old.get(i));
                i++;
                j++;
            } else if (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
                i++;
            } else {
                out.add(s.next++);
                j++;
            }
        }
        return out;
    }

    private Optional<TableState> state(TableName n) {
        return tables.stream().filter(s -> s.name == n).findFirst();
    }

    /** The tables' handles, in creation order. */
    public List<Long> tableHandles() { return tables.stream().map(s -> s.handle).toList(); }

    /**
     * The tables as nft lists them, in creation order, each rule as one statement of nft's text with the
     * counter iptables counted.
     *
     * @throws InputException when a rule holds a construct whose nft listing vnetlab does not know
     */
    public List<NftTable> listed(RuleCounters counters) throws InputException {
        List<NftTable> out = new ArrayList<>();
        for (TableState s : tables) {
            List<NftChain> chains = new ArrayList<>();
            for (Map.Entry<String, Long> e : s.chainHandles.entrySet()) {
                Chain c = s.table.chain(e.getKey()).orElseThrow();
                List<NftRule> rules = new ArrayList<>();
                List<Long> hs = s.ruleHandles.get(c.name());
                for (int i = 0; i < c.rules().size(); i++) {
                    Rule r = c.rules().get(i);
                    String text;
                    try {
                        text = IptablesNftText.rule(r, counters.rule(new RuleRef(s.name, c.name(), i + 1)));
                    } catch (IptablesNftText.Unprintable u) {
                        throw new InputException("nft list", 0, 0, null, "vnetlab does not know how nft 1.0.6 lists the "
                                + u.getMessage() + " of iptables-nft's rule " + (i + 1) + " in table ip " + s.name + " chain "
                                + c.name(), "iptables-save shows this rule; see docs/architecture.md for what nft listing covers");
                    }
                    rules.add(new NftRule(hs.get(i), List.of(new Stmt.Opaque(text)), Optional.empty()));
                }
                Optional<BaseChainSpec> base = c.hook().map(h -> baseSpec(s.name, h, c.policy().get()));
                chains.add(new NftChain(c.name(), e.getValue(), base, Optional.empty(), rules));
            }
            out.add(new NftTable(Family.IP, s.name.iptablesName(), s.handle, Optional.empty(), List.of(), chains, s.next,
                    Optional.of("iptables-nft")));
        }
        return out;
    }

    private static BaseChainSpec baseSpec(TableName t, Hook h, Policy p) {
        ChainType type = t == TableName.NAT ? ChainType.NAT : (t == TableName.MANGLE && h == Hook.OUTPUT) ? ChainType.ROUTE : ChainType.FILTER;
        NftHook hook = NftHook.of(h.name().toLowerCase()).orElseThrow();
        return new BaseChainSpec(type, hook, iptablesPriority(t, h), Optional.empty(), p);
    }

    /** The priorities iptables-nft gives its base chains (NF_IP_PRI_*; nat by hook). */
    private static int iptablesPriority(TableName t, Hook h) {
        return switch (t) {
            case RAW -> -300;
            case MANGLE -> -150;
            case NAT -> (h == Hook.PREROUTING || h == Hook.OUTPUT) ? -100 : 100;
            case FILTER -> 0;
            case SECURITY -> 50;
        };
    }
}
