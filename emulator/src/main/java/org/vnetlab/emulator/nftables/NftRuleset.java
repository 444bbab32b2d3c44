package org.vnetlab.emulator.nftables;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.emulator.input.InputException;

/**
 * The nftables state of a network namespace: its tables in creation order (the order {@code nft list ruleset}
 * prints them and, for base chains of equal priority, the reverse of the order the kernel runs them), and the
 * next table handle. Immutable: {@link #apply} returns the state after a command or script, which either
 * applies completely or fails with an {@link InputException} and changes nothing.
 *
 * <p>What the kernel checks when nft's batch is committed is checked here too: jump and goto targets exist,
 * are regular chains of the same table and, from a base chain, form no loop nor a path deeper than 16 jumps; a named set a rule
 * uses exists and has the type the rule compares; NAT statements only run in nat chains on hooks that allow
 * them (masquerade postrouting; snat postrouting/input; dnat and redirect prerouting/output); reject only on
 * input, forward, output or prerouting; a chain or set still in use cannot be deleted.
 */
public record NftRuleset(List<NftTable> tables, long nextTableHandle) {
    public static final NftRuleset EMPTY = new NftRuleset(List.of(), 1);
    /** NFT_JUMP_STACK_SIZE. */
    public static final int MAX_JUMP_DEPTH = 16;

    public NftRuleset {
        tables = List.copyOf(tables);
    }

    public Optional<NftTable> table(Family family, String name) {
        return tables.stream().filter(t -> t.family() == family && t.name().equals(name)).findFirst();
    }

    /** A rule a command added, with the handle it got (what {@code nft -e} echoes). */
    public record AddedRule(Source source, Family family, String table, String chain, NftRule rule, boolean insert) {}

    /** The state after a script, and the rules it added in order. */
    public record Applied(NftRuleset ruleset, List<AddedRule> added) {}

    public NftRuleset apply(NftCommand command) throws InputException {
        return apply(new NftScript(command.source().file(), List.of(command)));
    }

    public NftRuleset apply(NftScript script) throws InputException { return applyLogged(script).ruleset(); }

    /** {@link #apply} that also reports the rules added (for {@code nft -e}/{@code -a} echo). */
    public Applied applyLogged(NftScript script) throws InputException {
        Transaction tx = new Transaction(this);
        for (NftCommand c : script.commands()) tx.run(c);
        tx.commit();
        return new Applied(tx.state(), List.copyOf(tx.added));
    }

    /** One nft batch being applied. */
    private static final class Transaction {
        private final List<NftTable> tables;
        private long nextTableHandle;
        private final List<AddedRule> added = new ArrayList<>();
        /** Where rules added by this batch were written, by table handle and rule handle. */
        private final Map<String, Source> ruleSources = new HashMap<>();

        Transaction(NftRuleset start) {
            this.tables = new ArrayList<>(start.tables);
            this.nextTableHandle = start.nextTableHandle;
        }

        NftRuleset state() { return new NftRuleset(tables, nextTableHandle); }

        private int tableIndex(Family f, String name) {
            for (int i = 0; i < tables.size(); i++) {
                if (tables.get(i).family() == f && tables.get(i).name().equals(name)) return i;
            }
            return -1;
        }

        private NftTable table(Source src, Family f, String name) throws InputException {
            int i = tableIndex(f, name);
            if (i < 0) throw src.error("No such file or directory: table " + f + " " + name + " does not exist");
            return tables.get(i);
        }

        private void put(NftTable t) { tables.set(tableIndex(t.family(), t.name()), t); }

        private NftChain chain(Source src, NftTable t, String name) throws InputException {
            return t.chain(name).orElseThrow(() -> src.error("No such file or directory: chain " + name
                    + " does not exist in table " + t.id()));
        }

        void run(NftCommand c) throws InputException {
            if (c instanceof NftCommand.AddTable a) {
                addTable(a);
            } else if (c instanceof NftCommand.DeleteTable d) {
                NftTable t = table(d.source(), d.family(), d.name());
                tables.remove(t);
            } else if (c instanceof NftCommand.FlushTable f) {
                NftTable t = table(f.source(), f.family(), f.name());
                for (NftChain ch : t.chains()) t = t.withChain(ch.withRules(List.of()));
                put(t);
            } else if (c instanceof NftCommand.AddChain a) {
                addChain(a);
            } else if (c instanceof NftCommand.DeleteChain d) {
                deleteChain(d);
            } else if (c instanceof NftCommand.FlushChain f) {
                NftTable t = table(f.source(), f.family(), f.table());
                put(t.withChain(chain(f.source(), t, f.name()).withRules(List.of())));
            } else if (c instanceof NftCommand.AddRule a) {
                addRule(a);
            } else if (c instanceof NftCommand.ReplaceRule r) {
                replaceRule(r);
            } else if (c instanceof NftCommand.DeleteRule d) {
                NftTable t = table(d.source(), d.family(), d.table());
                NftChain ch = chain(d.source(), t, d.chain());
                int i = ch.indexOf(d.handle());
                if (i < 0) throw d.source().error("No such file or directory: no rule with handle " + d.handle() + " in chain " + ch.name());
                List<NftRule> rules = new ArrayList<>(ch.rules());
                rules.remove(i);
                put(t.withChain(ch.withRules(rules)));
            } else if (c instanceof NftCommand.AddSet a) {
                addSet(a);
            } else if (c instanceof NftCommand.DeleteSet d) {
                NftTable t = table(d.source(), d.family(), d.table());
                if (t.set(d.name()).isEmpty()) throw d.source().error("No such file or directory: set " + d.name() + " does not exist");
                if (usesSet(t, d.name())) throw d.source().error("Device or resource busy: set " + d.name() + " is used by a rule");
                put(t.withoutSet(d.name()));
            } else if (c instanceof NftCommand.FlushSet f) {
                NftTable t = table(f.source(), f.family(), f.table());
                NftSet s = t.set(f.name()).orElseThrow(() -> f.source().error("No such file or directory: set " + f.name() + " does not exist"));
                put(t.withSet(s.withElements(List.of())));
            } else if (c instanceof NftCommand.Elements e) {
                elements(e);
            } else if (c instanceof NftCommand.FlushRuleset f) {
                tables.removeIf(t -> f.family().isEmpty() || t.family() == f.family().get());
            } else if (c instanceof NftCommand.Listing l) {
                checkListing(l);
            }
        }

        private void addTable(NftCommand.AddTable a) throws InputException {
            int i = tableIndex(a.family(), a.name());
            if (i >= 0) {
                if (a.create()) throw a.source().error("File exists: table " + a.family() + " " + a.name() + " already exists");
                if (a.comment().isPresent()) tables.set(i, tables.get(i).withComment(a.comment()));
                return;
            }
            tables.add(new NftTable(a.family(), a.name(), nextTableHandle++, a.comment(), List.of(), List.of(), 1, a.managedBy()));
        }

        private void addChain(NftCommand.AddChain a) throws InputException {
            NftTable t = table(a.source(), a.family(), a.table());
            Optional<NftChain> existing = t.chain(a.name());
            if (existing.isPresent()) {
                if (a.create()) throw a.source().error("File exists: chain " + a.name() + " already exists");
                NftChain ch = existing.get();
                if (a.base().isPresent()) {
                    BaseChainSpec now = a.base().get();
                    if (ch.base().isEmpty()) throw a.source().error("Operation not supported: chain " + a.name() + " exists as a regular chain");
                    BaseChainSpec old = ch.base().get();
                    if (old.type() != now.type() || old.hook() != now.hook() || old.priority() != now.priority()) {
                        throw a.source().error("Operation not supported: chain " + a.name() + " exists with another type, hook or priority");
                    }
                    ch = ch.withBase(Optional.of(now), a.comment().isPresent() ? a.comment() : ch.comment());
                }
                put(t.withChain(ch));
                return;
            }
            put(t.withHandleUsed().withChain(new NftChain(a.name(), t.nextHandle(), a.base(), a.comment(), List.of())));
        }

        private void deleteChain(NftCommand.DeleteChain d) throws InputException {
            NftTable t = table(d.source(), d.family(), d.table());
            NftChain ch = chain(d.source(), t, d.name());
            if (!ch.rules().isEmpty()) throw d.source().error("Device or resource busy: chain " + d.name() + " still has rules", "flush it first");
            for (NftChain other : t.chains()) {
                for (NftRule r : other.rules()) {
                    if (jumpTargets(r).contains(d.name())) {
                        throw d.source().error("Device or resource busy: chain " + other.name() + " jumps to " + d.name());
                    }
                }
            }
            put(t.withoutChain(d.name()));
        }

        private void addRule(NftCommand.AddRule a) throws InputException {
            NftTable t = table(a.source(), a.family(), a.table());
            NftChain ch = chain(a.source(), t, a.chain());
            checkReferences(a.source(), t, a.statements());
            NftRule rule = new NftRule(t.nextHandle(), a.statements(), a.comment());
            int at;
            if (a.position().isEmpty()) {
                at = a.insert() ? 0 : ch.rules().size();
            } else if (a.position().get() instanceof NftCommand.Position.Handle h) {
                int i = ch.indexOf(h.handle());
                if (i < 0) throw a.source().error("No such file or directory: no rule with handle " + h.handle() + " in chain " + ch.name());
                at = a.insert() ? i : i + 1;
            } else {
                int idx = ((NftCommand.Position.Index) a.position().get()).index();
                if (idx >= ch.rules().size()) throw a.source().error("No such file or directory: chain " + ch.name() + " has no rule at index " + idx);
                at = a.insert() ? idx : idx + 1;
            }
            put(t.withHandleUsed().withChain(ch.withRuleAt(at, rule)));
            ruleSources.put(t.handle() + "/" + rule.handle(), a.source());
            added.add(new AddedRule(a.source(), a.family(), a.table(), a.chain(), rule, a.insert()));
        }

        private void replaceRule(NftCommand.ReplaceRule r) throws InputException {
            NftTable t = table(r.source(), r.family(), r.table());
            NftChain ch = chain(r.source(), t, r.chain());
            int i = ch.indexOf(r.handle());
            if (i < 0) throw r.source().error("No such file or directory: no rule with handle " + r.handle() + " in chain " + ch.name());
            checkReferences(r.source(), t, r.statements());
            List<NftRule> rules = new ArrayList<>(ch.rules());
            rules.set(i, new NftRule(r.handle(), r.statements(), r.comment()));
            put(t.withChain(ch.withRules(rules)));
            ruleSources.put(t.handle() + "/" + r.handle(), r.source());
        }

        private void addSet(NftCommand.AddSet a) throws InputException {
            NftTable t = table(a.source(), a.family(), a.table());
            Optional<NftSet> existing = t.set(a.set().name());
            if (existing.isPresent()) {
                NftSet old = existing.get();
                if (old.keyType() != a.set().keyType() || old.isVerdictMap() != a.set().isVerdictMap()) {
                    throw a.source().error("File exists: set " + old.name() + " exists with another type");
                }
                // the kernel refuses other flags for an existing set too (nf_tables_newset: EEXIST); without this an
                // interval set's prefixes were merged into a set of single values
                if (old.isInterval() != a.set().isInterval()) {
                    throw a.source().error("File exists: set " + old.name() + " exists with other flags");
                }
                List<NftSet.Element> all = new ArrayList<>(old.elements());
                all.addAll(a.set().elements());
                put(t.withSet(old.withElements(normalized(old, all))));
                return;
            }
            NftSet s = a.set();
            put(t.withHandleUsed().withSet(new NftSet(s.name(), t.nextHandle(), s.keyType(), s.typeof(), s.isVerdictMap(),
                    s.flags(), s.autoMerge(), s.elements(), s.comment())));
        }

        private void elements(NftCommand.Elements e) throws InputException {
            NftTable t = table(e.source(), e.family(), e.table());
            NftSet s = t.set(e.set()).orElseThrow(() -> e.source().error("No such file or directory: set " + e.set() + " does not exist"));
            List<NftSet.Element> typed = new ArrayList<>();
            for (ElementText x : e.elements()) {
                if (s.isVerdictMap() != x.verdict().isPresent()) {
                    throw x.source().error(s.isVerdictMap() ? "a verdict map element needs ': VERDICT'" : "':' in a set that is not a map");
                }
                NftSet.Element el = x.typed(s.keyType());
                if (!s.isInterval() && !(el.key() instanceof Rhs.Single)) {
                    throw x.source().error("set " + s.name() + " has no 'flags interval': it cannot hold prefixes or ranges");
                }
                typed.add(el);
            }
            if (s.isVerdictMap()) {
                for (NftSet.Element el : typed) {
                    if (el.verdict().get().chain().isPresent()) {
                        Optional<NftChain> target = t.chain(el.verdict().get().chain().get());
                        if (target.isEmpty()) throw e.source().error("No such file or directory: chain " + el.verdict().get().chain().get());
                    }
                }
            }
            List<NftSet.Element> now = new ArrayList<>(s.elements());
            if (e.delete()) {
                for (NftSet.Element el : typed) {
                    boolean removed = s.isInterval() ? removeInterval(s, now, el) : now.removeIf(x -> x.key().equals(el.key()));
                    if (!removed) throw e.source().error("No such file or directory: element not in set " + s.name());
                }
                put(t.withSet(s.withElements(now)));
                return;
            }
            now.addAll(typed);
            put(t.withSet(s.withElements(normalized(s, now))));
        }

        private static boolean removeInterval(NftSet s, List<NftSet.Element> now, NftSet.Element el) {
            return now.removeIf(x -> x.key().low(s.keyType()).equals(el.key().low(s.keyType()))
                    && x.key().high(s.keyType()).equals(el.key().high(s.keyType())));
        }

        private static List<NftSet.Element> normalized(NftSet s, List<NftSet.Element> all) {
            if (s.isVerdictMap()) {
                Map<Rhs.Element, NftSet.Element> byKey = new java.util.LinkedHashMap<>();
                for (NftSet.Element e : all) byKey.put(e.key(), e);
                List<NftSet.Element> l = new ArrayList<>(byKey.values());
                l.sort((a, b) -> a.key().low(s.keyType()).compareTo(b.key().low(s.keyType())));
                return l;
            }
            List<Rhs.Element> keys = all.stream().map(NftSet.Element::key).toList();
            List<Rhs.Element> norm = s.isInterval() ? Intervals.merged(s.keyType(), keys) : Intervals.sortedSingles(keys);
            return norm.stream().map(k -> new NftSet.Element(k, Optional.empty())).toList();
        }

        private void checkListing(NftCommand.Listing l) throws InputException {
            if (l.table().isEmpty()) return;
            NftTable t = table(l.source(), l.family().orElse(Family.IP), l.table().get());
            if (l.what() == NftCommand.Listing.What.CHAIN) chain(l.source(), t, l.name().get());
            if (l.what() == NftCommand.Listing.What.SET && t.set(l.name().get()).isEmpty()) {
                throw l.source().error("No such file or directory: set " + l.name().get() + " does not exist");
            }
        }

        /** At add time, as the kernel resolves them: jump targets and named sets. */
        private void checkReferences(Source src, NftTable t, List<Stmt> statements) throws InputException {
            for (Stmt s : statements) {
                List<Verdict> verdicts = new ArrayList<>();
                if (s instanceof Stmt.VerdictStmt v) verdicts.add(v.verdict());
                if (s instanceof Stmt.VerdictMap vm) {
                    vm.entries().forEach(e -> verdicts.add(e.verdict()));
                    if (vm.named().isPresent()) {
                        NftSet m = t.set(vm.named().get()).orElseThrow(() -> src.error("No such file or directory: map " + vm.named().get() + " does not exist"));
                        if (!m.isVerdictMap()) throw src.error("@" + m.name() + " is a set, not a verdict map");
                        checkType(src, vm.selector(), m);
                        m.elements().forEach(e -> verdicts.add(e.verdict().get()));
                    }
                }
                for (Verdict v : verdicts) {
                    if (v.chain().isEmpty()) continue;
                    NftChain target = t.chain(v.chain().get()).orElseThrow(() -> src.error(
                            "No such file or directory: chain " + v.chain().get() + " does not exist in table " + t.id()));
                    if (target.isBase()) throw src.error("Operation not supported: cannot jump to base chain " + target.name());
                }
                if (s instanceof Stmt.Match m && m.rhs() instanceof Rhs.SetRef ref) {
                    NftSet set = t.set(ref.name()).orElseThrow(() -> src.error("No such file or directory: set " + ref.name() + " does not exist"));
                    if (set.isVerdictMap()) throw src.error("@" + set.name() + " is a verdict map: use vmap");
                    checkType(src, m.selector(), set);
                }
            }
        }

        private static void checkType(Source src, Selector sel, NftSet set) throws InputException {
            if (set.keyType() != sel.type()) {
                throw src.error("datatype mismatch: " + sel.text() + " is " + sel.type().nftName() + ", set " + set.name()
                        + " holds " + set.keyType().nftName());
            }
        }

        private static boolean usesSet(NftTable t, String name) {
            for (NftChain c : t.chains()) {
                for (NftRule r : c.rules()) {
                    for (Stmt s : r.statements()) {
                        if (s instanceof Stmt.Match m && m.rhs() instanceof Rhs.SetRef ref && ref.name().equals(name)) return true;
                        if (s instanceof Stmt.VerdictMap vm && vm.named().isPresent() && vm.named().get().equals(name)) return true;
                    }
                }
            }
            return false;
        }

        /**
         * Commit-time validation (nf_tables' table validation, from each base chain): statements allowed where
         * they run, jump depth. A loop is caught there as too deep; kernel 6.x accepts a loop among regular
         * chains that no base chain reaches.
         */
        void commit() throws InputException {
            for (NftTable t : tables) {
                for (NftChain c : t.chains()) {
                    if (c.base().isEmpty()) continue;
                    walk(t, c, c.base().get(), c, new ArrayList<>());
                }
            }
        }

        private void walk(NftTable t, NftChain base, BaseChainSpec spec, NftChain c, List<String> path) throws InputException {
            if (path.contains(c.name())) {
                throw sourceOfJump(t, path.get(path.size() - 1), c.name()).error("Too many links: chains "
                        + String.join(" -> ", path.subList(path.indexOf(c.name()), path.size())) + " -> " + c.name()
                        + " form a loop reached from base chain " + base.name());
            }
            if (path.size() > MAX_JUMP_DEPTH) {
                throw sourceOfJump(t, path.get(path.size() - 1), c.name()).error("Too many links: more than " + MAX_JUMP_DEPTH
                        + " nested jumps from base chain " + base.name());
            }
            for (NftRule r : c.rules()) {
                for (Stmt s : r.statements()) {
                    String problem = notAllowed(s, spec);
                    if (problem != null) {
                        Source src = ruleSources.getOrDefault(t.handle() + "/" + r.handle(), Source.none(t.id()));
                        String via = c == base ? "" : " (chain " + c.name() + " is reached from base chain " + base.name() + ")";
                        throw src.error("Operation not supported: " + problem + via);
                    }
                }
            }
            path.add(c.name());
            for (String target : targets(t, c)) {
                Optional<NftChain> next = t.chain(target);
                if (next.isPresent()) walk(t, base, spec, next.get(), path);
            }
            path.remove(path.size() - 1);
        }

        private static String notAllowed(Stmt s, BaseChainSpec spec) {
            NftHook h = spec.hook();
            if (s instanceof Stmt.Nat n) {
                String name = n.kind().name().toLowerCase();
                if (spec.type() != ChainType.NAT) return name + " is only allowed in nat chains";
                boolean ok = switch (n.kind()) {
                    case MASQUERADE -> h == NftHook.POSTROUTING;
                    case SNAT -> h == NftHook.POSTROUTING || h == NftHook.INPUT;
                    case DNAT, REDIRECT -> h == NftHook.PREROUTING || h == NftHook.OUTPUT;
                };
                return ok ? null : name + " is not allowed on the " + h + " hook";
            }
            if (s instanceof Stmt.Reject) {
                boolean ok = h == NftHook.INPUT || h == NftHook.FORWARD || h == NftHook.OUTPUT || h == NftHook.PREROUTING;
                return ok ? null : "reject is not allowed on the " + h + " hook";
            }
            return null;
        }

        private static List<String> targets(NftTable t, NftChain c) {
            List<String> out = new ArrayList<>();
            for (NftRule r : c.rules()) out.addAll(jumpTargetsIn(t, r));
            return out;
        }

        private static List<String> jumpTargetsIn(NftTable t, NftRule r) {
            List<String> out = new ArrayList<>(jumpTargets(r));
            for (Stmt s : r.statements()) {
                if (s instanceof Stmt.VerdictMap vm && vm.named().isPresent()) {
                    t.set(vm.named().get()).ifPresent(m -> m.elements().forEach(e -> e.verdict().flatMap(Verdict::chain).ifPresent(out::add)));
                }
            }
            return out;
        }

        private Source sourceOfJump(NftTable t, String from, String to) {
            for (NftChain c : t.chains()) {
                if (!c.name().equals(from)) continue;
                for (NftRule r : c.rules()) {
                    if (jumpTargetsIn(t, r).contains(to)) {
                        return ruleSources.getOrDefault(t.handle() + "/" + r.handle(), Source.none(t.id()));
                    }
                }
            }
            return Source.none(t.id());
        }
    }

    /** Chains a rule jumps or goes to directly (anonymous verdict maps included). */
    static Set<String> jumpTargets(NftRule r) {
        Set<String> out = new HashSet<>();
        for (Stmt s : r.statements()) {
            if (s instanceof Stmt.VerdictStmt v) v.verdict().chain().ifPresent(out::add);
            if (s instanceof Stmt.VerdictMap vm) vm.entries().forEach(e -> e.verdict().chain().ifPresent(out::add));
        }
        return out;
    }
}
