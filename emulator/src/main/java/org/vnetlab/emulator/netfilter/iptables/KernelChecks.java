package org.vnetlab.emulator.netfilter.iptables;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.netfilter.Match;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.netfilter.Target;

/**
 * The checks the kernel makes when a table is committed (x_tables xt_check_match/xt_check_target and the
 * jump-loop walk), which iptables reports as "RULE_APPEND failed (Invalid argument)" or "Too many levels of
 * symbolic links": extensions restricted to a table or to hooks, judged by the hooks from which a rule's
 * chain is reachable; jumps to missing or built-in chains; jump loops.
 */
final class KernelChecks {
    private KernelChecks() {}

    /** A failed check: the offending chain and rule number (0 for none), the message and a hint. */
    record Violation(String chain, int ruleNumber, Rule rule, String problem, String hint) {}

    static Optional<Violation> check(Table table) { return analyse(table).violation(); }

    /**
     * The outcome of a table's checks: its first violation, or none and, for every chain, the built-in hooks
     * from which it is reachable (what {@link #acceptsAdded} needs to judge one more rule without a full walk).
     */
    record Analysis(Optional<Violation> violation, Map<String, Set<Hook>> hooks) {}

    static Analysis analyse(Table table) {
        for (Chain c : table.chains()) {
            for (int i = 0; i < c.rules().size(); i++) {
                Optional<Violation> v = checkJump(table, c.name(), i + 1, c.rules().get(i));
                if (v.isPresent()) return new Analysis(v, Map.of());
            }
        }
        Map<String, Set<Hook>> hooks = new HashMap<>();
        for (Chain c : table.chains()) hooks.put(c.name(), EnumSet.noneOf(Hook.class));
        for (Chain c : table.chains()) {
            if (!c.isBuiltin()) continue;
            Optional<Violation> loop = walk(table, c, c.hook().orElseThrow(), hooks, new ArrayList<>());
            if (loop.isPresent()) return new Analysis(loop, Map.of());
        }
        for (Chain c : table.chains()) {
            for (int i = 0; i < c.rules().size(); i++) {
                Optional<Violation> v = checkRule(table.name(), c, i + 1, c.rules().get(i), hooks.get(c.name()));
                if (v.isPresent()) return new Analysis(v, Map.of());
            }
        }
        return new Analysis(Optional.empty(), hooks);
    }

    /**
     * Whether rule {@code r}, not a jump, can join chain {@code c} of a table that passed {@link #analyse}:
     * it adds no edge, so no loop and no chain newly reached, and only its own extension checks can fail.
     */
    static boolean acceptsAdded(TableName table, Chain c, Rule r, Set<Hook> reached) {
        return jumpTarget(r.target()).isEmpty() && checkRule(table, c, 0, r, reached).isEmpty();
    }

    /** A jump must name an existing user chain (iptables looks the target up when it reads the rule). */
    static Optional<Violation> checkJump(Table table, String chain, int number, Rule r) {
        Optional<String> to = jumpTarget(r.target());
        if (to.isEmpty()) return Optional.empty();
        Optional<Chain> dest = table.chain(to.get());
        if (dest.isEmpty()) {
            return Optional.of(new Violation(chain, number, r, "Chain '" + to.get() + "' does not exist",
                    "iptables: No chain/target/match by that name. Create it first (-N " + to.get() + ", or a :"
                            + to.get() + " - [0:0] line) or fix the -j name"));
        }
        if (dest.get().isBuiltin()) {
            return Optional.of(new Violation(chain, number, r,
                    "RULE_APPEND failed (No such file or directory): cannot jump to built-in chain " + to.get(),
                    "rules can only -j/-g to user-defined chains"));
        }
        return Optional.empty();
    }

    static Optional<String> jumpTarget(Target t) {
        if (t instanceof Target.Jump j) return Optional.of(j.chain());
        if (t instanceof Target.Goto g) return Optional.of(g.chain());
        return Optional.empty();
    }

    private static Optional<Violation> walk(Table table, Chain c, Hook hook, Map<String, Set<Hook>> hooks, List<String> path) {
        if (path.contains(c.name())) {
            return Optional.of(new Violation(path.get(path.size() - 1), 0, null,
                    "Too many levels of symbolic links: chain loop " + String.join(" -> ", path) + " -> " + c.name(),
                    "the kernel refuses rulesets where a chain can jump back into itself"));
        }
        if (hooks.get(c.name()).contains(hook) && !path.isEmpty()) return Optional.empty();
        hooks.get(c.name()).add(hook);
        path.add(c.name());
        for (Rule r : c.rules()) {
            Optional<String> to = jumpTarget(r.target());
            if (to.isEmpty()) continue;
            Optional<Violation> v = walk(table, table.chain(to.get()).orElseThrow(), hook, hooks, path);
            if (v.isPresent()) return v;
        }
        path.remove(path.size() - 1);
        return Optional.empty();
    }

    private static Optional<Violation> checkRule(TableName table, Chain c, int n, Rule r, Set<Hook> reached) {
        String fail = "RULE_APPEND failed (Invalid argument): rule in chain " + c.name();
        Target t = r.target();
        String only = null;
        EnumSet<Hook> allowed = null;
        TableName needTable = null;
        if (t instanceof Target.Reject) {
            needTable = TableName.FILTER;
            allowed = EnumSet.of(Hook.INPUT, Hook.FORWARD, Hook.OUTPUT);
        } else if (t instanceof Target.Masquerade) {
            needTable = TableName.NAT;
            allowed = EnumSet.of(Hook.POSTROUTING);
        } else if (t instanceof Target.Snat) {
            needTable = TableName.NAT;
            allowed = EnumSet.of(Hook.POSTROUTING, Hook.INPUT);
        } else if (t instanceof Target.Dnat || t instanceof Target.Redirect) {
            needTable = TableName.NAT;
            allowed = EnumSet.of(Hook.PREROUTING, Hook.OUTPUT);
        } else if (t instanceof Target.Checksum) {
            needTable = TableName.MANGLE;
        } else if (t instanceof Target.Notrack) {
            needTable = TableName.RAW;
        } else if (t instanceof Target.Ttl || t instanceof Target.Tos || t instanceof Target.Dscp) {
            needTable = TableName.MANGLE; // xt_HL, xt_DSCP: .table = "mangle"
        } else if (t instanceof Target.Tcpmss m && m.clampToPmtu()) {
            allowed = EnumSet.of(Hook.FORWARD, Hook.OUTPUT, Hook.POSTROUTING);
        }
        if (needTable != null && needTable != table) {
            return Optional.of(new Violation(c.name(), n, r, fail,
                    "-j " + t.name() + " is only valid in the " + needTable + " table"));
        }
        if (allowed != null && !allowed.containsAll(reached)) {
            return Optional.of(new Violation(c.name(), n, r, fail,
                    "-j " + t.name() + " is only valid in " + names(allowed) + ", but this rule is reached from " + names(reached)));
        }
        for (Match m : r.matches()) {
            EnumSet<Hook> ok = null;
            String what = null;
            if (m instanceof Match.Rpfilter && table != TableName.RAW && table != TableName.MANGLE) {
                // rpfilter_check: "only valid in 'raw' or 'mangle' table, not '%s'"
                return Optional.of(new Violation(c.name(), n, r, fail,
                        "-m rpfilter is only valid in the raw or mangle table, not " + table));
            }
            if (m instanceof Match.Rpfilter) {
                ok = EnumSet.of(Hook.PREROUTING);
                what = "-m rpfilter";
            } else if (m instanceof Match.Owner) {
                // xt_owner: .hooks = LOCAL_OUT | POST_ROUTING
                ok = EnumSet.of(Hook.OUTPUT, Hook.POSTROUTING);
                what = "-m owner";
            } else if (m instanceof Match.Mac) {
                ok = EnumSet.of(Hook.PREROUTING, Hook.INPUT, Hook.FORWARD);
                what = "-m mac";
            } else if (m instanceof Match.AddrType a && a.limitIfaceIn()) {
                ok = EnumSet.of(Hook.PREROUTING, Hook.INPUT, Hook.FORWARD);
                what = "--limit-iface-in";
            } else if (m instanceof Match.AddrType a && a.limitIfaceOut()) {
                ok = EnumSet.of(Hook.OUTPUT, Hook.POSTROUTING, Hook.FORWARD);
                what = "--limit-iface-out";
            } else if (m instanceof Match.Physdev p && (p.out().isPresent() || p.isOut() != Match.FlagTest.ABSENT)
                    && p.isBridged() != Match.FlagTest.SET) {
                // physdev_mt_check refuses it only for LOCAL_OUT (FORWARD/POSTROUTING merely log); checked on 6.x
                ok = EnumSet.complementOf(EnumSet.of(Hook.OUTPUT));
                what = "--physdev-out without --physdev-is-bridged";
            }
            if (ok != null && !ok.containsAll(reached)) {
                return Optional.of(new Violation(c.name(), n, r, fail,
                        what + " is only valid in " + names(ok) + ", but this rule is reached from " + names(reached)));
            }
        }
        return Optional.empty();
    }

    private static String names(Set<Hook> hooks) {
        List<String> l = new ArrayList<>();
        for (Hook h : hooks) l.add(h.name());
        return String.join("/", l);
    }
}
