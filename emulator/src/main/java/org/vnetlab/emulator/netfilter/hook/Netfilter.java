package org.vnetlab.emulator.netfilter.hook;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.conntrack.ConntrackEntry;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.conntrack.ConntrackTable;
import org.vnetlab.emulator.conntrack.CtInfo;
import org.vnetlab.emulator.conntrack.Lookup;
import org.vnetlab.emulator.conntrack.Nat;
import org.vnetlab.emulator.conntrack.NatManip;
import org.vnetlab.emulator.conntrack.NatRewriter;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.netfilter.Match;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.netfilter.Target;
import org.vnetlab.emulator.sim.KernelLog;
import org.vnetlab.emulator.trace.TraceStep;

/**
 * The hooks of one network namespace: per hook, the registered base chains in priority order. An IP stack
 * calls {@link #hook} at each of the five points; the verdict says whether the packet goes on. Built with
 * {@link #iptables} for an iptables ruleset: conntrack, the tables present in the ruleset at their kernel
 * priorities, NAT (when the nat table exists) and conntrack confirmation. Other base chains (nftables) can
 * be {@link #register registered} beside them.
 */
public final class Netfilter {
    private final Map<Hook, List<BaseChain>> hooks = new EnumMap<>(Hook.class);
    private final Map<Hook, NatChain> natCores = new EnumMap<>(Hook.class);
    private final ConntrackTable conntrack;
    private final Nat nat;
    private final KernelLog kernelLog;
    private final String node;
    private final Replies replies;
    private final HostNetwork host;
    /** recent lists, hashlimit tables, ipsets: this namespace's extension state, kept across ruleset changes. */
    private final ExtensionState extensions;
    /** Whether the iptables rules need connection tracking; chains registered from outside (nft) always do. */
    private boolean iptablesNeedConntrack;
    private boolean otherUsers;

    /** {@code node}: whose kernel this is, as the lab's kernel log names it ({@code host}). */
    public Netfilter(ConntrackTable conntrack, Nat nat, KernelLog kernelLog, String node, HostNetwork host, long seed) {
        this.conntrack = conntrack;
        this.nat = nat;
        this.kernelLog = kernelLog;
        this.node = node;
        this.host = host;
        this.replies = new Replies(host, seed);
        this.extensions = new ExtensionState(seed);
        for (Hook h : Hook.values()) hooks.put(h, new ArrayList<>());
    }

    /**
     * Netfilter for an iptables ruleset. Checks the ruleset first as the kernel does when it is loaded
     * (chain loops, targets used from hooks they do not support) and rejects it like iptables-restore would.
     */
    public static Netfilter iptables(Ruleset ruleset, RuleCounters counters, HostNetwork host,
                                     ConntrackSettings settings, long seed) throws InputException {
        return iptables(ruleset, counters, host, settings, seed, KernelLog.standalone(), "host");
    }

    /** Like the above, writing LOG lines and warnings to {@code log} (the lab's) as {@code node}. */
    public static Netfilter iptables(Ruleset ruleset, RuleCounters counters, HostNetwork host,
                                     ConntrackSettings settings, long seed, KernelLog log, String node) throws InputException {
        RulesetCheck.check(ruleset);
        // net_warn_ratelimited in __nf_conntrack_alloc
        ConntrackTable table = new ConntrackTable(settings,
                (line, now) -> log.ratelimited(now, node, KernelLog.Level.WARNING, line));
        Nat nat = new Nat(table, seed);
        Netfilter nf = new Netfilter(table, nat, log, node, host, seed);
        Matcher matcher = new Matcher(host, nf.extensions);
        nf.iptablesNeedConntrack = needsConntrack(ruleset);
        nf.updateTracking();
        for (Table t : ruleset.tables()) nf.registerTable(t, counters, matcher);
        return nf;
    }

    /**
     * Registers one more iptables table's built-in chains, e.g. an iptables-nft table beside iptables-legacy ones
     * or beside nftables tables, at the moment the kernel would have created it (registration order decides
     * the order among equal priorities). The table is checked like iptables-restore would.
     */
    public void registerIptables(Table table, RuleCounters counters) throws InputException {
        RulesetCheck.check(new Ruleset(List.of(table), false));
        iptablesNeedConntrack |= needsConntrack(new Ruleset(List.of(table), false));
        updateTracking();
        registerTable(table, counters, new Matcher(host, extensions));
    }

    private void registerTable(Table t, RuleCounters counters, Matcher matcher) {
        ChainWalker walker = new ChainWalker(t, counters, matcher, nat, replies, host, kernelLog, node);
        for (Hook h : t.name().hooks()) {
            if (t.name() == TableName.NAT) {
                registerNat(new TableChain(h, (h == Hook.PREROUTING || h == Hook.OUTPUT) ? BaseChain.Priority.NAT_DST
                        : BaseChain.Priority.NAT_SRC, walker));
            } else {
                register(new TableChain(h, priority(t.name()), walker));
            }
        }
    }

    /**
     * The ruleset changed (an iptables command, libvirt's rules, iptables-restore): the tables' base chains
     * are replaced, checked as the kernel checks a new table; conntrack entries and their NAT bindings stay,
     * as they do in the kernel when rules change.
     */
    public void replaceRuleset(Ruleset ruleset, RuleCounters counters) throws InputException {
        RulesetCheck.check(ruleset);
        iptablesNeedConntrack = needsConntrack(ruleset);
        updateTracking();
        // A table that stays keeps its place among the base chains: changing its rules does not re-register
        // its hooks (neither x_tables' table replace nor an nft rule change does), so an nft base chain of equal
        // priority stays before or after it. A new table registers as the newest; a table gone unregisters.
        Matcher matcher = new Matcher(host, extensions);
        java.util.Set<TableName> kept = new java.util.HashSet<>();
        for (Table t : ruleset.tables()) {
            ChainWalker walker = new ChainWalker(t, counters, matcher, nat, replies, host, kernelLog, node);
            boolean existed = false;
            for (List<BaseChain> l : hooks.values()) existed |= replaceInPlace(l, t.name(), walker);
            for (NatChain core : natCores.values()) existed |= replaceInPlace(core.lookups(), t.name(), walker);
            if (existed) kept.add(t.name());
        }
        for (List<BaseChain> l : hooks.values()) {
            l.removeIf(c -> c instanceof TableChain tc && !kept.contains(tc.walker().table().name()));
        }
        for (NatChain core : natCores.values()) {
            core.lookups().removeIf(c -> c instanceof TableChain tc && !kept.contains(tc.walker().table().name()));
        }
        for (Table t : ruleset.tables()) if (!kept.contains(t.name())) registerTable(t, counters, matcher);
    }

    private static boolean replaceInPlace(List<BaseChain> chains, TableName table, ChainWalker walker) {
        boolean found = false;
        for (int i = 0; i < chains.size(); i++) {
            if (chains.get(i) instanceof TableChain tc && tc.walker().table().name() == table) {
                chains.set(i, new TableChain(tc.hook(), tc.priority(), walker));
                found = true;
            }
        }
        return found;
    }

    /**
     * Whether any rule needs connection tracking. The kernel tracks connections in a namespace only while
     * something holds a reference on it (nf_ct_netns_get): the conntrack, state and connmark matches, the
     * CONNMARK target, and the NAT targets. A stateless ruleset (or a nat table without NAT rules) leaves
     * packets untracked: no entries, no NAT bindings, and the nat chains are never walked.
     */
    static boolean needsConntrack(Ruleset ruleset) {
        for (Table t : ruleset.tables()) {
            for (Chain c : t.chains()) {
                for (Rule r : c.rules()) {
                    if (r.target() instanceof Target.Masquerade || r.target() instanceof Target.Snat
                            || r.target() instanceof Target.Dnat || r.target() instanceof Target.Redirect
                            || r.target() instanceof Target.Connmark) return true;
                    for (Match m : r.matches()) {
                        if (m instanceof Match.Conntrack || m instanceof Match.State || m instanceof Match.Connmark
                                || m instanceof Match.Helper) return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Registers or unregisters conntrack's hooks as its users come and go; entries already in the table stay
     * until they expire. Chains registered from outside (nftables) count as users, as their ct expressions
     * and nat statements would.
     */
    private void updateTracking() {
        boolean on = iptablesNeedConntrack || otherUsers;
        boolean registered = hooks.get(Hook.PREROUTING).stream().anyMatch(c -> c instanceof ConntrackIn);
        if (on == registered) return;
        for (List<BaseChain> l : hooks.values()) {
            l.removeIf(c -> c instanceof Defrag || c instanceof ConntrackIn || c instanceof ConntrackConfirm);
        }
        if (!on) return;
        // nf_ct_netns_get enables nf_defrag_ipv4 in the namespace with conntrack: fragments are gathered at −400
        for (Hook h : List.of(Hook.PREROUTING, Hook.OUTPUT)) insertByPriority(hooks.get(h), new Defrag(h));
        for (Hook h : List.of(Hook.PREROUTING, Hook.OUTPUT)) insertByPriority(hooks.get(h), new ConntrackIn(this, h));
        for (Hook h : List.of(Hook.INPUT, Hook.POSTROUTING)) insertByPriority(hooks.get(h), new ConntrackConfirm(this, h));
    }

    private static int priority(TableName t) {
        return switch (t) {
            case RAW -> BaseChain.Priority.RAW;
            case MANGLE -> BaseChain.Priority.MANGLE;
            case FILTER -> BaseChain.Priority.FILTER;
            case SECURITY -> BaseChain.Priority.SECURITY;
            case NAT -> throw new IllegalArgumentException("nat has two priorities");
        };
    }

    /**
     * Adds a base chain. Among equal priorities the newest registration runs first: nf_hook_entries_grow
     * inserts a new hook before the first one whose priority is not lower (so an nft base chain created after
     * iptables-nft's FORWARD chain at priority 0 sees packets before it).
     */
    public void register(BaseChain chain) {
        if (!(chain instanceof TableChain) && !(chain instanceof NatChain)) {
            otherUsers = true;
            updateTracking();
        }
        insertByPriority(hooks.get(chain.hook()), chain);
    }

    private static void insertByPriority(List<BaseChain> l, BaseChain chain) {
        int at = 0;
        while (at < l.size() && l.get(at).priority() < chain.priority()) at++;
        l.add(at, chain);
    }

    /**
     * Adds a NAT lookup chain (an iptables nat table's built-in chain or an nft {@code type nat} chain). The
     * kernel registers NAT itself once per hook at the NAT priority (−100 on prerouting and output, 100 on
     * input and postrouting; nf_nat_register_fn) and keeps the nat chains in a list of their own, ordered by
     * their priorities: for a connection's first packet they run in that order until one sets up a binding,
     * then NAT applies it. A nat chain's own priority therefore orders it only among nat chains.
     */
    public void registerNat(BaseChain lookup) {
        if (!(lookup instanceof TableChain)) {
            otherUsers = true;
            updateTracking();
        }
        if (natCores.isEmpty()) {
            // the first nat chain of the family makes the kernel register NAT on all four of its hooks, so
            // replies are translated back in prerouting/output even with nat chains on postrouting only
            for (Hook h : List.of(Hook.PREROUTING, Hook.INPUT, Hook.OUTPUT, Hook.POSTROUTING)) {
                NatManip manip = (h == Hook.PREROUTING || h == Hook.OUTPUT) ? NatManip.DESTINATION : NatManip.SOURCE;
                NatChain core = new NatChain(this, h, manip, new ArrayList<>());
                natCores.put(h, core);
                register(core);
            }
        }
        NatChain core = natCores.get(lookup.hook());
        if (core == null) throw new IllegalArgumentException("no NAT on the " + lookup.hook() + " hook");
        insertByPriority(core.lookups(), lookup);
    }

    /** The NAT lookup chains of a hook, in the order they run. */
    public List<BaseChain> natChains(Hook hook) {
        NatChain core = natCores.get(hook);
        return core == null ? List.of() : List.copyOf(core.lookups());
    }


    public List<BaseChain> chains(Hook hook) { return List.copyOf(hooks.get(hook)); }

    /**
     * The namespace's ipsets as {@code ipset save} showed them: from now on their members are known and a set
     * not among them does not exist (rules naming one never match it). Replaces any earlier sets and members.
     */
    public void loadIpsets(java.util.List<org.vnetlab.emulator.netfilter.Ipset> sets) { extensions.loadIpsets(sets); }

    /** Whether {@link #loadIpsets} gave the sets; before that, every set a rule names is an empty hash:ip of unknown content. */
    public boolean ipsetsKnown() { return extensions.ipsetsGiven(); }

    /** A set's current members (the SET target's changes included); empty when there is no such set. */
    public java.util.Optional<java.util.List<org.vnetlab.emulator.netfilter.Ipset.Member>> ipsetMembers(String name) {
        return extensions.set(name).map(s -> java.util.List.copyOf(s.members));
    }

    /**
     * {@code ipset add|del NAME ELEMENT}: true when the set changed, false when the element was already there
     * (add) or not there (del); empty when there is no such set. hash:net compares the net, not its nomatch flag.
     */
    public java.util.Optional<Boolean> ipsetChange(String name, org.vnetlab.emulator.netfilter.Ipset.Member m, boolean add) {
        java.util.Optional<ExtensionState.SetContent> set = extensions.set(name);
        if (set.isEmpty()) return java.util.Optional.empty();
        java.util.List<org.vnetlab.emulator.netfilter.Ipset.Member> ms = set.get().members;
        java.util.Optional<org.vnetlab.emulator.netfilter.Ipset.Member> there = ms.stream()
                .filter(x -> x.address().equals(m.address()) && x.prefixLength() == m.prefixLength()
                        && x.protocol() == m.protocol() && x.port() == m.port()).findFirst();
        if (add == there.isPresent()) return java.util.Optional.of(false);
        if (add) ms.add(m);
        else ms.remove(there.get());
        return java.util.Optional.of(true);
    }

    public ConntrackTable conntrack() { return conntrack; }

    public Nat nat() { return nat; }

    /** The kernel log this namespace writes to (the lab's when built with one). */
    public KernelLog kernelLog() { return kernelLog; }

    /** The node name its lines carry in the kernel log. */
    public String node() { return node; }

    public Replies replies() { return replies; }

    public HostNetwork host() { return host; }

    /**
     * NF_HOOK: runs the packet through the base chains of {@code hook}. Anything but ACCEPT ends the packet;
     * then an unconfirmed connection it created is freed, as when the kernel frees the skb.
     */
    public HookVerdict hook(Hook hook, PacketContext ctx, long now) {
        if (ctx.tracing()) ctx.step(new TraceStep.HookEntered(hook.name(), ctx.summary()));
        for (BaseChain c : hooks.get(hook)) {
            HookVerdict v = c.process(ctx, now);
            if (!(v instanceof HookVerdict.Accept)) {
                packetLost(ctx);
                return v;
            }
        }
        return HookVerdict.ACCEPT;
    }

    /** The stack dropped the packet outside netfilter (no route, TTL): its unconfirmed connection goes. */
    public void packetLost(PacketContext ctx) {
        ctx.conntrack().ifPresent(e -> {
            if (!e.isConfirmed() && ctx.ctInfo().map(i -> i == CtInfo.NEW).orElse(false)) conntrack.discard(e);
        });
    }

    /** An iptables table's built-in chain on one hook. */
    private record TableChain(Hook hook, int priority, ChainWalker walker) implements BaseChain {
        public String name() { return walker.table().name() + " " + hook.name(); }

        public HookVerdict process(PacketContext ctx, long now) {
            if (ctx.tracing()) ctx.step(new TraceStep.ChainEntered(walker.table().name().toString(), hook.name(), priority));
            return walker.walk(hook, ctx, now);
        }
    }

    /**
     * nf_defrag_ipv4 at PREROUTING and OUTPUT (priority −400, before raw: NOTRACK cannot keep a fragment from
     * it): a fragment goes into the IP layer's fragment queue and the packet is stolen, until the fragment
     * that completes the datagram, which goes on as the whole datagram — so rules, conntrack and NAT never see
     * fragments. A fragment the queues refuse (memory over ipfrag_high_thresh) or whose queue dies is stolen
     * too. A packet with no IP layer behind it ({@link PathRunner}) passes as it is, and the trace says so.
     */
    private record Defrag(Hook hook) implements BaseChain {
        public int priority() { return Priority.CONNTRACK_DEFRAG; }

        public String name() { return "defrag " + hook.name(); }

        public HookVerdict process(PacketContext ctx, long now) {
            org.vnetlab.emulator.conntrack.Datagram d = ctx.datagram();
            if (!d.isLaterFragment() && !d.moreFragments()) return HookVerdict.ACCEPT;
            if (ctx.defragmenter().isEmpty()) {
                ctx.step(new TraceStep.Stack("defrag: fragment not reassembled (no IP fragment queue behind this hook)"));
                return HookVerdict.ACCEPT;
            }
            int id = ctx.packet().getUnsignedShort(ctx.packet().readerIndex() + 4);
            Defragmenter.Result r = ctx.defragmenter().get().gather(hook);
            if (r instanceof Defragmenter.Dropped dropped) {
                if (ctx.tracing()) {
                    ctx.step(new TraceStep.Stack("defrag: fragment id " + id + " offset " + d.fragmentOffset() + " dropped: " + dropped.why()));
                }
                return new HookVerdict.Stolen("nf_defrag_ipv4 (fragment dropped)");
            }
            if (!(r instanceof Defragmenter.Gathered g)) {
                if (ctx.tracing()) {
                    ctx.step(new TraceStep.Stack("defrag: fragment id " + id + " offset " + d.fragmentOffset()
                            + (d.moreFragments() ? " (MF)" : " (last)") + " held for reassembly"));
                }
                return new HookVerdict.Stolen("nf_defrag_ipv4 (fragment queued)");
            }
            ctx.replacePacket(g.datagram());
            if (ctx.tracing()) {
                ctx.step(new TraceStep.Stack("defrag: defragmented " + g.fragments() + " fragments (id " + id + "): "
                        + ctx.summary()));
            }
            return HookVerdict.ACCEPT;
        }
    }

    /** nf_conntrack_in at PREROUTING and OUTPUT (priority −200). */
    private record ConntrackIn(Netfilter nf, Hook hook) implements BaseChain {
        public int priority() { return Priority.CONNTRACK; }

        public String name() { return "conntrack " + hook.name(); }

        public HookVerdict process(PacketContext ctx, long now) {
            if (ctx.conntrackDone()) {
                if (ctx.isUntracked()) {
                    ctx.step(new TraceStep.Conntrack("UNTRACKED", ""));
                } else {
                    // a reply the host built about another packet (nf_ct_attach), or a packet looped over lo
                    if (ctx.tracing()) ctx.step(new TraceStep.Conntrack(ctx.ctState().name() + " (" + ctx.ctInfo().orElseThrow().name().toLowerCase()
                            + ", attached)", ctx.conntrack().orElseThrow().format(now, false)));
                }
                return HookVerdict.ACCEPT;
            }
            Lookup l = nf.conntrack.in(ctx.datagram(), hook == Hook.PREROUTING, now);
            if (l instanceof Lookup.Tracked t) {
                ctx.attach(t.entry(), t.info());
                if (ctx.tracing()) ctx.step(new TraceStep.Conntrack(ctx.ctState().name() + " (" + t.info().name().toLowerCase()
                        + (t.created() ? ", new entry" : "") + ")", t.entry().format(now, false)));
                return HookVerdict.ACCEPT;
            }
            if (l instanceof Lookup.Invalid inv) {
                ctx.step(new TraceStep.Conntrack("INVALID", "(" + inv.reason() + ")"));
                return HookVerdict.ACCEPT;
            }
            Lookup.Drop dr = (Lookup.Drop) l;
            ctx.step(new TraceStep.KernelLog("nf_conntrack: nf_conntrack: table full, dropping packet"));
            return new HookVerdict.Drop(dr.reason(), HookVerdict.Cause.CONNTRACK);
        }
    }

    /** Confirmation at the end of INPUT and POSTROUTING (priority INT_MAX). */
    private record ConntrackConfirm(Netfilter nf, Hook hook) implements BaseChain {
        public int priority() { return Priority.CONNTRACK_CONFIRM; }

        public String name() { return "conntrack confirm " + hook.name(); }

        public HookVerdict process(PacketContext ctx, long now) {
            if (ctx.conntrack().isEmpty()) return HookVerdict.ACCEPT;
            ConntrackEntry e = ctx.conntrack().get();
            if (nf.conntrack.clashes(e)) {
                Optional<ConntrackEntry> kept = nf.conntrack.resolveClash(e, now);
                if (kept.isEmpty()) {
                    ctx.step(new TraceStep.Conntrack("DROP", "(insert failed: tuple taken meanwhile)"));
                    return new HookVerdict.Drop("conntrack confirm", HookVerdict.Cause.CONNTRACK);
                }
                if (kept.get() != e) {
                    ctx.attach(kept.get(), ctx.ctInfo().get());
                    ctx.step(new TraceStep.Conntrack("clash resolved", "joined " + kept.get().format(now, false)));
                } else {
                    ctx.step(new TraceStep.Conntrack("clash resolved", "inserted by its reply tuple only, for 1 s (NAT_CLASH)"));
                }
                return HookVerdict.ACCEPT;
            }
            boolean wasConfirmed = e.isConfirmed();
            if (!nf.conntrack.confirm(e, ctx.ctInfo().get(), now)) {
                ctx.step(new TraceStep.Conntrack("DROP", "(insert failed: tuple taken meanwhile)"));
                return new HookVerdict.Drop("conntrack confirm", HookVerdict.Cause.CONNTRACK);
            }
            if (!wasConfirmed && e.isConfirmed() && ctx.tracing()) ctx.step(new TraceStep.Conntrack("confirmed", e.format(now, false)));
            return HookVerdict.ACCEPT;
        }
    }

    /**
     * NAT at one hook (nf_nat_ipv4_fn / nf_nat_inet_fn): ICMP errors related to a connection are translated
     * inside and out; a connection's first packet runs the nat chains in order until one sets up a binding
     * and, if none did, gets a null binding (which may still remap a clashing source port); every packet is
     * then rewritten according to the binding.
     */
    private record NatChain(Netfilter nf, Hook hook, NatManip manip, List<BaseChain> lookups) implements BaseChain {
        public int priority() { return manip == NatManip.DESTINATION ? Priority.NAT_DST : Priority.NAT_SRC; }

        public String name() { return "nat " + hook.name(); }

        public HookVerdict process(PacketContext ctx, long now) {
            if (ctx.conntrack().isEmpty()) return HookVerdict.ACCEPT;
            ConntrackEntry ct = ctx.conntrack().get();
            CtInfo info = ctx.ctInfo().get();
            if (info.isRelated() && ctx.datagram().protocol() == 1) {
                String before = ctx.summary();
                if (!NatRewriter.icmpError(ct, info, manip, ctx.datagram())) {
                    ctx.step(new TraceStep.Nat("drop", "ICMP error could not be translated"));
                    return new HookVerdict.Drop("nat " + hook.name(), HookVerdict.Cause.NAT);
                }
                String after = ctx.summary();
                if (!after.equals(before)) ctx.step(new TraceStep.Nat("icmp error translated (quoted packet too)", after));
                return HookVerdict.ACCEPT;
            }
            if (info == CtInfo.NEW || info.isRelated()) {
                if (!Nat.isInitialized(ct, manip)) {
                    for (BaseChain lookup : lookups) {
                        HookVerdict v = lookup.process(ctx, now);
                        if (!(v instanceof HookVerdict.Accept)) return v;
                        if (Nat.isInitialized(ct, manip)) break;
                    }
                    if (!Nat.isInitialized(ct, manip)) {
                        String reply = ct.reply().format();
                        nf.nat.nullBinding(ct, manip);
                        if (!ct.reply().format().equals(reply)) {
                            ctx.step(new TraceStep.Nat("null binding remapped (tuple clash)",
                                    ct.original().format() + " reply " + ct.reply().format()));
                        }
                    }
                }
            }
            String before = ctx.tracing() ? ctx.summary() : null;
            if (NatRewriter.packet(ct, info, manip, ctx.datagram()) && ctx.tracing()) {
                ctx.step(new TraceStep.Nat("applied " + (manip == NatManip.SOURCE ? "source" : "destination"),
                        before + " -> " + ctx.summary()));
            }
            return HookVerdict.ACCEPT;
        }
    }
}
