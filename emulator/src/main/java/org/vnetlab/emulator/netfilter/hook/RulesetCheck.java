package org.vnetlab.emulator.netfilter.hook;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.netfilter.Match;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleOrigin;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.netfilter.Target;

/**
 * The checks the kernel makes when a table is loaded (translate_table / mark_source_chains /
 * xt_check_target / xt_check_match): no chain may reach itself through jumps or gotos (ELOOP, "Too many
 * levels of symbolic links"), jumps must name existing chains, and each target and match may only be used
 * in the tables and from the hooks it supports. A ruleset that fails is refused whole.
 */
final class RulesetCheck {
    private RulesetCheck() {}

    static void check(Ruleset ruleset) throws InputException {
        for (Table t : ruleset.tables()) checkTable(t);
    }

    private static InputException error(Rule r, String problem, String hint) {
        RuleOrigin o = r.origin();
        String token = o.written().isEmpty() ? r.text() : o.written();
        return new InputException(o.file().isEmpty() ? "<ruleset>" : o.file(), o.line(), 1, token, problem, hint);
    }

    private static List<String> targetsOf(Chain c) {
        List<String> l = new ArrayList<>();
        for (Rule r : c.rules()) {
            if (r.target() instanceof Target.Jump j) l.add(j.chain());
            else if (r.target() instanceof Target.Goto g) l.add(g.chain());
        }
        return l;
    }

    private static void checkTable(Table t) throws InputException {
        Map<String, Chain> byName = new HashMap<>();
        for (Chain c : t.chains()) byName.put(c.name(), c);
        for (Chain c : t.chains()) {
            for (Rule r : c.rules()) {
                String to = r.target() instanceof Target.Jump j ? j.chain() : r.target() instanceof Target.Goto g ? g.chain() : null;
                if (to == null) continue;
                Chain dest = byName.get(to);
                if (dest == null) throw error(r, "jump to chain '" + to + "' which does not exist in table " + t.name(), null);
                if (dest.isBuiltin()) throw error(r, "jump to built-in chain " + to + " is not allowed", null);
            }
        }
        // loops: depth-first search over user chains
        Map<String, Integer> color = new HashMap<>();
        for (Chain c : t.chains()) {
            Optional<List<String>> loop = findLoop(c.name(), byName, color, new ArrayList<>());
            if (loop.isPresent()) {
                List<String> path = loop.get();
                Rule culprit = firstJump(byName.get(path.get(path.size() - 2)), path.get(path.size() - 1));
                throw error(culprit, "chain loop " + String.join(" -> ", path)
                        + ": the kernel refuses the table (ELOOP: Too many levels of symbolic links)", "remove a jump of the loop");
            }
        }
        // hooks each chain is reachable from
        Map<String, Set<Hook>> reach = new HashMap<>();
        for (Hook h : t.name().hooks()) {
            Optional<Chain> base = t.chain(h);
            if (base.isPresent()) mark(base.get(), h, byName, reach, new LinkedHashSet<>());
        }
        for (Chain c : t.chains()) {
            Set<Hook> hooks = reach.getOrDefault(c.name(), Set.of());
            for (Rule r : c.rules()) checkRule(t.name(), c, r, hooks);
        }
    }

    private static Rule firstJump(Chain c, String to) {
        for (Rule r : c.rules()) {
            if (r.target() instanceof Target.Jump j && j.chain().equals(to)) return r;
            if (r.target() instanceof Target.Goto g && g.chain().equals(to)) return r;
        }
        return c.rules().get(0);
    }

    private static Optional<List<String>> findLoop(String name, Map<String, Chain> chains, Map<String, Integer> color,
                                                   List<String> path) {
        Integer col = color.get(name);
        if (col != null && col == 2) return Optional.empty();
        path.add(name);
        if (col != null && col == 1) {
            int start = path.indexOf(name);
            return Optional.of(List.copyOf(path.subList(start, path.size())));
        }
        color.put(name, 1);
        for (String next : targetsOf(chains.get(name))) {
            Optional<List<String>> l = findLoop(next, chains, color, path);
            if (l.isPresent()) return l;
        }
        color.put(name, 2);
        path.remove(path.size() - 1);
        return Optional.empty();
    }

    private static void mark(Chain c, Hook h, Map<String, Chain> chains, Map<String, Set<Hook>> reach, Set<String> seen) {
        if (!seen.add(c.name())) return;
        reach.computeIfAbsent(c.name(), k -> EnumSet.noneOf(Hook.class)).add(h);
        for (String next : targetsOf(c)) mark(chains.get(next), h, chains, reach, seen);
    }

    private static void checkRule(TableName table, Chain c, Rule r, Set<Hook> hooks) throws InputException {
        Target t = r.target();
        Set<Hook> allowed = null;
        TableName onlyTable = null;
        if (t instanceof Target.Reject) allowed = EnumSet.of(Hook.INPUT, Hook.FORWARD, Hook.OUTPUT);
        else if (t instanceof Target.Masquerade) { onlyTable = TableName.NAT; allowed = EnumSet.of(Hook.POSTROUTING); }
        else if (t instanceof Target.Snat) { onlyTable = TableName.NAT; allowed = EnumSet.of(Hook.POSTROUTING, Hook.INPUT); }
        else if (t instanceof Target.Dnat || t instanceof Target.Redirect) { onlyTable = TableName.NAT; allowed = EnumSet.of(Hook.PREROUTING, Hook.OUTPUT); }
        else if (t instanceof Target.Notrack) onlyTable = TableName.RAW;
        else if (t instanceof Target.Checksum) onlyTable = TableName.MANGLE;
        else if (t instanceof Target.Tcpmss) allowed = EnumSet.of(Hook.FORWARD, Hook.OUTPUT, Hook.POSTROUTING);
        if (onlyTable != null && table != onlyTable) {
            throw error(r, "x_tables: ip_tables: " + t.name() + " target: only valid in " + onlyTable + " table, not " + table, null);
        }
        if (allowed != null) checkHooks(r, t.name() + " target", hooks, allowed);
        for (Match m : r.matches()) {
            if (m instanceof Match.Mac) checkHooks(r, "mac match", hooks, EnumSet.of(Hook.PREROUTING, Hook.INPUT, Hook.FORWARD));
            if (m instanceof Match.Rpfilter) {
                if (table != TableName.RAW && table != TableName.MANGLE) {
                    throw error(r, "xt_rpfilter: only valid in 'raw' or 'mangle' table, not '" + table + "'", null);
                }
                checkHooks(r, "rpfilter match", hooks, EnumSet.of(Hook.PREROUTING));
            }
            if (m instanceof Match.AddrType a) {
                if (a.limitIfaceIn()) checkHooks(r, "addrtype match", hooks, EnumSet.of(Hook.PREROUTING, Hook.INPUT, Hook.FORWARD));
                if (a.limitIfaceOut()) checkHooks(r, "addrtype match", hooks, EnumSet.of(Hook.OUTPUT, Hook.FORWARD, Hook.POSTROUTING));
            }
        }
    }

    private static void checkHooks(Rule r, String what, Set<Hook> used, Set<Hook> allowed) throws InputException {
        if (allowed.containsAll(used)) return;
        throw error(r, "x_tables: ip_tables: " + what + ": used from hooks " + names(used) + ", but only usable from "
                + names(allowed), null);
    }

    private static String names(Set<Hook> hooks) {
        List<String> l = new ArrayList<>();
        for (Hook h : hooks) l.add(h.name());
        return String.join("/", l);
    }
}
