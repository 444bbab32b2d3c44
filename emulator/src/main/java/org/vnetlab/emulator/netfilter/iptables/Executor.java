package org.vnetlab.emulator.netfilter.iptables;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.ChainRef;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.netfilter.Policy;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.netfilter.Target;

/**
 * What an iptables command does to a table, with iptables' own error texts ("iptables: Bad rule (does a
 * matching rule exist in that chain?).", "iptables: No chain/target/match by that name.", ...). Works on
 * a mutable working state so that a restore file or a batch can be applied all-or-nothing.
 */
final class Executor {
    /** The working state: a ruleset and its counters, replaced wholesale as commands apply. */
    static final class State {
        Ruleset ruleset;
        final RuleCounters counters;
        /** iptables-restore inside a table block: the kernel's checks run once, at COMMIT. */
        boolean deferKernelChecks;
        /**
         * A batch (a script, a restore block replayed to find its failing line): each command is checked as
         * the kernel checks the whole table, but from the last table known to pass, so only what the command
         * changed is judged again. Same verdicts as a full check, without walking 10 000 rules per command.
         */
        boolean incrementalChecks;
        private final Map<TableName, Reach> reach = new EnumMap<>(TableName.class);

        State(Ruleset ruleset, RuleCounters counters) {
            this.ruleset = ruleset;
            this.counters = counters;
        }
    }

    /** A table instance that passed the kernel's checks, and from which hooks each of its chains is reached. */
    private record Reach(Table table, Map<String, Set<Hook>> hooks) {}

    private Executor() {}

    static TableName table(CommandLine.Parsed p, Source src) throws InputException {
        return TableName.of(p.table).orElseThrow(() -> src.error(p.tableTok, "table '" + p.table + "' does not exist",
                "iptables tables are raw, mangle, nat, filter and security"));
    }

    /** Applies one parsed command; returns what iptables prints on stdout (listings), else "". */
    static String apply(CommandLine.Parsed p, State st, Source src) throws InputException {
        TableName tn = table(p, src);
        Table t = st.ruleset.tableOrEmpty(tn);
        final Table before = t;
        RuleCounters k = st.counters;
        String out = "";
        switch (p.cmd) {
            case APPEND -> {
                Chain c = chain(t, p, src);
                for (Rule r : p.rules) {
                    c = c.withAppended(r);
                    int n = c.rules().size();
                    k.ruleInserted(ref(tn, c), n);
                    p.counters.ifPresent(x -> k.setRule(new RuleRef(tn, c0(p), n), x));
                }
                t = t.with(c);
            }
            case INSERT -> {
                Chain c = chain(t, p, src);
                if (p.ruleNumber > c.rules().size() + 1) throw src.error(p.numberTok, "iptables: Index of insertion too big.");
                // each expanded rule goes in at the same position, so the last one ends up first (as in iptables)
                for (Rule r : p.rules) {
                    c = c.withInserted(p.ruleNumber, r);
                    k.ruleInserted(ref(tn, c), p.ruleNumber);
                    p.counters.ifPresent(x -> k.setRule(new RuleRef(tn, c0(p), p.ruleNumber), x));
                }
                t = t.with(c);
            }
            case REPLACE -> {
                Chain c = chain(t, p, src);
                if (p.rules.size() != 1) throw src.error(p.cmdTok, "Replacement rule does not specify a unique address");
                if (p.ruleNumber > c.rules().size()) throw src.error(p.numberTok, "iptables: Index of replacement too big.");
                c = c.withReplaced(p.ruleNumber, p.rules.get(0));
                RuleRef rr = new RuleRef(tn, c.name(), p.ruleNumber);
                k.zero(rr);
                p.counters.ifPresent(x -> k.setRule(rr, x));
                t = t.with(c);
            }
            case DELETE, CHECK -> {
                Chain c = chain(t, p, src);
                for (Rule r : p.rules) {
                    int idx = c.rules().indexOf(r);
                    if (idx < 0) {
                        throw src.error(p.chainTok, "iptables: Bad rule (does a matching rule exist in that chain?).",
                                "no rule in " + c.name() + " has exactly this specification; compare with iptables -S " + c.name());
                    }
                    if (p.cmd == CommandLine.Cmd.DELETE) {
                        c = c.withRemoved(idx + 1);
                        k.ruleDeleted(ref(tn, c), idx + 1);
                    }
                }
                t = t.with(c);
            }
            case DELETE_NUM -> {
                Chain c = chain(t, p, src);
                if (p.ruleNumber > c.rules().size()) throw src.error(p.numberTok, "iptables: Index of deletion too big.");
                c = c.withRemoved(p.ruleNumber);
                k.ruleDeleted(ref(tn, c), p.ruleNumber);
                t = t.with(c);
            }
            case NEW_CHAIN -> {
                if (t.chain(p.chain).isPresent()) throw src.error(p.chainTok, "iptables: Chain already exists.");
                t = t.with(Chain.user(p.chain));
            }
            case DELETE_CHAIN -> {
                List<Chain> victims = new ArrayList<>();
                if (p.chain != null) victims.add(chain(t, p, src));
                else for (Chain c : t.chains()) if (!c.isBuiltin()) victims.add(c);
                for (Chain c : victims) {
                    if (c.isBuiltin()) {
                        throw src.error(p.chainTok, "CHAIN_DEL failed (Device or resource busy): chain " + c.name(),
                                "built-in chains cannot be deleted");
                    }
                    if (!c.rules().isEmpty()) {
                        throw src.error(p.chainTok != null ? p.chainTok : p.cmdTok, "iptables: Directory not empty.",
                                "flush it first: iptables -F " + c.name());
                    }
                }
                for (Chain c : victims) {
                    int refs = Listing.references(t, c.name());
                    if (refs > 0) {
                        throw src.error(p.chainTok != null ? p.chainTok : p.cmdTok,
                                "CHAIN_DEL failed (Device or resource busy): chain " + c.name(),
                                refs + " rule(s) still jump to " + c.name() + " (iptables: Too many links.)");
                    }
                }
                for (Chain c : victims) {
                    t = t.without(c.name());
                    k.chainDeleted(ref(tn, c));
                }
            }
            case FLUSH -> {
                List<Chain> chains = p.chain != null ? List.of(chain(t, p, src)) : t.chains();
                for (Chain c : chains) {
                    t = t.with(c.withRules(List.of()));
                    k.chainFlushed(ref(tn, c));
                }
            }
            case ZERO -> {
                if (p.chain != null) k.zero(ref(tn, chain(t, p, src)));
                else k.zero(tn);
            }
            case ZERO_NUM -> {
                Chain c = chain(t, p, src);
                if (p.ruleNumber > c.rules().size()) throw src.error(p.numberTok, "iptables: Index of counter too big.");
                k.zero(new RuleRef(tn, c.name(), p.ruleNumber));
            }
            case SET_POLICY -> {
                Optional<Chain> c = t.chain(p.chain);
                if (c.isEmpty() || !c.get().isBuiltin()) {
                    throw src.error(p.chainTok, "iptables: Bad built-in chain name.", "only built-in chains have a policy");
                }
                Policy pol;
                if (p.policy.equals("ACCEPT")) pol = Policy.ACCEPT;
                else if (p.policy.equals("DROP")) pol = Policy.DROP;
                else throw src.error(p.policyTok, "iptables: Bad policy name. Run `dmesg' for more information.", "a policy is ACCEPT or DROP");
                if (tn == TableName.NAT && pol == Policy.DROP) {
                    throw src.error(p.policyTok, "The \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.");
                }
                t = t.with(c.get().withPolicy(pol));
                p.counters.ifPresent(x -> k.setPolicy(new ChainRef(tn, p.chain), x));
            }
            case RENAME_CHAIN -> {
                Chain c = chain(t, p, src);
                if (c.isBuiltin()) throw src.error(p.chainTok, "iptables: Invalid argument.", "built-in chains cannot be renamed");
                if (t.chain(p.newName).isPresent()) throw src.error(p.newNameTok, "iptables: File exists.");
                List<Chain> chains = new ArrayList<>();
                for (Chain x : t.chains()) {
                    List<Rule> rules = new ArrayList<>();
                    for (Rule r : x.rules()) rules.add(retarget(r, p.chain, p.newName));
                    Chain y = x.withRules(rules);
                    chains.add(x.name().equals(p.chain) ? new Chain(p.newName, y.policy(), y.rules()) : y);
                }
                t = new Table(tn, chains);
                k.chainRenamed(new ChainRef(tn, p.chain), new ChainRef(tn, p.newName));
            }
            case LIST -> {
                Listing.Options o = new Listing.Options(p.numeric, p.verbose, p.exact, p.lineNumbers);
                if (p.chain == null) out = Listing.list(t, k, o);
                else {
                    Chain c = chain(t, p, src);
                    if (p.ruleNumber > c.rules().size()) throw src.error(p.numberTok, "iptables: Index of deletion too big.");
                    out = Listing.list(t, c, p.ruleNumber, k, o);
                }
                return out;
            }
            case LIST_RULES -> {
                if (p.chain == null) out = Listing.listRules(t, k, p.verbose);
                else {
                    Chain c = chain(t, p, src);
                    if (p.ruleNumber > c.rules().size()) throw src.error(p.numberTok, "iptables: Index of deletion too big.");
                    out = Listing.listRules(t, c, p.ruleNumber, k, p.verbose);
                }
                return out;
            }
            default -> throw new IllegalStateException(p.cmd.toString());
        }
        if (p.cmd != CommandLine.Cmd.CHECK && p.cmd != CommandLine.Cmd.ZERO && p.cmd != CommandLine.Cmd.ZERO_NUM) {
            Optional<KernelChecks.Violation> v = st.deferKernelChecks ? newJumps(t, p)
                    : st.incrementalChecks ? checkChange(st, tn, before, t, p) : KernelChecks.check(t);
            if (v.isPresent()) throw violation(v.get(), p, src);
            st.ruleset = st.ruleset.with(t);
        }
        return out;
    }

    private static String c0(CommandLine.Parsed p) { return p.chain; }

    private static ChainRef ref(TableName tn, Chain c) { return new ChainRef(tn, c.name()); }

    private static Rule retarget(Rule r, String from, String to) {
        if (r.target() instanceof Target.Jump j && j.chain().equals(from)) return r.withTarget(new Target.Jump(to));
        if (r.target() instanceof Target.Goto g && g.chain().equals(from)) return r.withTarget(new Target.Goto(to));
        return r;
    }

    private static Chain chain(Table t, CommandLine.Parsed p, Source src) throws InputException {
        return t.chain(p.chain).orElseThrow(() -> src.error(p.chainTok, "iptables: No chain/target/match by that name.",
                "table " + t.name() + " has no chain '" + p.chain + "'" + (p.chain.equals(p.chain.toUpperCase()) || !isBuiltinName(p.chain.toUpperCase())
                        ? "" : " (chain names are case-sensitive: " + p.chain.toUpperCase() + "?)")));
    }

    private static boolean isBuiltinName(String s) {
        return s.equals("INPUT") || s.equals("OUTPUT") || s.equals("FORWARD") || s.equals("PREROUTING") || s.equals("POSTROUTING");
    }

    /** With the table's checks deferred to COMMIT: the jump targets of the rules this command brings, now. */
    private static Optional<KernelChecks.Violation> newJumps(Table t, CommandLine.Parsed p) {
        for (Rule r : p.rules) {
            Optional<KernelChecks.Violation> v = KernelChecks.checkJump(t, p.chain, 0, r);
            if (v.isPresent()) return v;
        }
        return Optional.empty();
    }

    /**
     * The kernel's verdict on {@code after}, judged from {@code before} when it is known to pass and the
     * command moved no jump: then no chain is reached from a new hook, no loop can appear, and only the
     * extension checks of the rules it brought can fail. Anything else gets the full check.
     */
    private static Optional<KernelChecks.Violation> checkChange(State st, TableName tn, Table before, Table after,
                                                                CommandLine.Parsed p) {
        Reach known = st.reach.get(tn);
        Map<String, Set<Hook>> hooks = null;
        if (known != null && known.table() == before) {
            hooks = known.hooks();
        } else {
            KernelChecks.Analysis a = KernelChecks.analyse(before);
            if (a.violation().isEmpty()) hooks = new HashMap<>(a.hooks());
        }
        if (hooks != null && movesNoJump(p, before)) {
            boolean ok = true;
            if (p.cmd == CommandLine.Cmd.NEW_CHAIN) hooks.put(p.chain, EnumSet.noneOf(Hook.class));
            if (p.cmd == CommandLine.Cmd.APPEND || p.cmd == CommandLine.Cmd.INSERT || p.cmd == CommandLine.Cmd.REPLACE) {
                Chain c = after.chain(p.chain).orElseThrow();
                for (Rule r : p.rules) ok &= KernelChecks.acceptsAdded(tn, c, r, hooks.get(c.name()));
            }
            if (ok) {
                st.reach.put(tn, new Reach(after, hooks));
                return Optional.empty();
            }
        }
        KernelChecks.Analysis a = KernelChecks.analyse(after);
        if (a.violation().isEmpty()) st.reach.put(tn, new Reach(after, new HashMap<>(a.hooks())));
        else st.reach.remove(tn);
        return a.violation();
    }

    /** The command adds or removes no -j/-g to a chain and no chain that rules could reach. */
    private static boolean movesNoJump(CommandLine.Parsed p, Table before) {
        return switch (p.cmd) {
            case APPEND, INSERT, DELETE -> p.rules.stream().allMatch(Executor::notAJump);
            case REPLACE -> p.rules.stream().allMatch(Executor::notAJump) && notAJump(before.chain(p.chain).orElseThrow().rule(p.ruleNumber));
            case DELETE_NUM -> notAJump(before.chain(p.chain).orElseThrow().rule(p.ruleNumber));
            case NEW_CHAIN, SET_POLICY -> true;
            default -> false;
        };
    }

    private static boolean notAJump(Rule r) { return KernelChecks.jumpTarget(r.target()).isEmpty(); }

    static InputException violation(KernelChecks.Violation v, CommandLine.Parsed p, Source src) {
        Token at = p.jumpTok != null && v.problem().startsWith("Chain '") ? p.jumpTok : p.cmdTok;
        return src.error(at, v.problem(), v.hint());
    }
}
