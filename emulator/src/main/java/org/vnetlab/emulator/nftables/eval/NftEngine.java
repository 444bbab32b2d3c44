package org.vnetlab.emulator.nftables.eval;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.vnetlab.emulator.conntrack.ConntrackEntry;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.conntrack.Nat;
import org.vnetlab.emulator.conntrack.NatManip;
import org.vnetlab.emulator.conntrack.NatRequest;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.netfilter.Target;
import org.vnetlab.emulator.netfilter.hook.BaseChain;
import org.vnetlab.emulator.netfilter.hook.HookVerdict;
import org.vnetlab.emulator.netfilter.hook.LogLine;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.netfilter.hook.PacketContext;
import org.vnetlab.emulator.netfilter.hook.Replies;
import org.vnetlab.emulator.nftables.BaseChainSpec;
import org.vnetlab.emulator.nftables.ChainType;
import org.vnetlab.emulator.nftables.DataType;
import org.vnetlab.emulator.nftables.NftChain;
import org.vnetlab.emulator.nftables.NftCounters;
import org.vnetlab.emulator.nftables.NftRule;
import org.vnetlab.emulator.nftables.NftRuleset;
import org.vnetlab.emulator.nftables.NftSet;
import org.vnetlab.emulator.nftables.NftTable;
import org.vnetlab.emulator.nftables.Stmt;
import org.vnetlab.emulator.nftables.Value;
import org.vnetlab.emulator.nftables.Verdict;
import org.vnetlab.emulator.sim.KernelLog;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.Ipv4Address;

/**
 * nftables in the shared netfilter engine: each base chain of an {@code ip} or {@code inet} table is registered
 * on the {@link Netfilter} at its hook and priority (nat chains in the NAT core's list, see
 * {@link Netfilter#registerNat}), beside iptables' tables and conntrack, and runs as nft_do_chain does: rules in
 * order, statements in order until one fails to match; {@code accept} ends this base chain (the next base
 * chain of the hook still runs), {@code drop} and {@code reject} end the packet; jump pushes a return point,
 * goto does not; the end of a regular chain returns, the end of the base chain applies its policy. Counters
 * count into {@link NftCounters}; traces name rules as {@code FAMILY TABLE CHAIN #position (handle N)}.
 *
 * <p>The ruleset can be replaced while packets flow ({@link #update}): chains are looked up by handle at each
 * packet, new base chains are registered (the newest first among equal priorities, as the kernel does) and
 * deleted ones stop matching anything.
 */
public final class NftEngine {
    private final Netfilter netfilter;
    private final NftCounters counters;
    private final Expressions expressions;
    private NftRuleset ruleset;
    private final Map<String, NftBaseChain> registered = new LinkedHashMap<>();
    /** Token buckets of limit statements: [tokens, last time], by table/rule handle and statement index. */
    private final Map<NftCounters.Key, long[]> limits = new HashMap<>();

    private NftEngine(Netfilter netfilter, NftRuleset ruleset, NftCounters counters) {
        this.netfilter = netfilter;
        this.ruleset = ruleset;
        this.counters = counters;
        this.expressions = new Expressions(netfilter.host());
    }

    /** Registers the base chains of {@code ruleset}'s ip and inet tables on {@code netfilter}, in creation order. */
    public static NftEngine install(Netfilter netfilter, NftRuleset ruleset, NftCounters counters) {
        NftEngine e = new NftEngine(netfilter, ruleset, counters);
        e.registerNew();
        return e;
    }

    /**
     * An engine that has registered nothing yet: the caller registers tables one by one with {@link #register},
     * interleaved with other tables (iptables-nft's) in the order the kernel created them.
     */
    public static NftEngine create(Netfilter netfilter, NftRuleset ruleset, NftCounters counters) {
        return new NftEngine(netfilter, ruleset, counters);
    }

    /** Registers one table's base chains (nothing for other families or tables another tool manages). */
    public void register(NftTable t) {
        if (!t.family().seesIpv4() || t.managedBy().isPresent()) return;
        for (NftChain c : t.chains()) {
            if (c.base().isEmpty()) continue;
            BaseChainSpec spec = c.base().get();
            Optional<Hook> hook = spec.hook().netfilterHook();
            if (hook.isEmpty()) continue; // inet ingress: before the IP stack, not emulated
            String key = t.handle() + "/" + c.handle();
            if (registered.containsKey(key)) continue;
            NftBaseChain b = new NftBaseChain(t.handle(), c.handle(), hook.get(), spec.priority(), t.id() + " " + c.name());
            registered.put(key, b);
            if (spec.type() == ChainType.NAT) netfilter.registerNat(b); else netfilter.register(b);
        }
    }

    public NftRuleset ruleset() { return ruleset; }

    public NftCounters counters() { return counters; }

    /** Switches to {@code next} (after an nft command): new base chains are registered, removed ones go quiet. */
    public void update(NftRuleset next) {
        this.ruleset = next;
        registerNew();
    }

    /** Base chains this engine does not run: other families' (no IPv4 there), and iptables-nft's (run from iptables-save). */
    public List<String> notEvaluated() {
        List<String> out = new ArrayList<>();
        for (NftTable t : ruleset.tables()) {
            if (t.family().seesIpv4() && t.managedBy().isEmpty()) continue;
            for (NftChain c : t.chains()) {
                c.base().ifPresent(b -> out.add(t.id() + " " + c.name() + " (" + b.type() + " hook " + b.hook()
                        + t.managedBy().map(m -> ", managed by " + m).orElse("") + ")"));
            }
        }
        return out;
    }

    private void registerNew() {
        for (NftTable t : ruleset.tables()) register(t);
    }

    /** One registered base chain; finds its table and chain in the current ruleset by handle at each packet. */
    private final class NftBaseChain implements BaseChain {
        private final long tableHandle, chainHandle;
        private final Hook hook;
        private final int priority;
        private final String name;

        NftBaseChain(long tableHandle, long chainHandle, Hook hook, int priority, String name) {
            this.tableHandle = tableHandle;
            this.chainHandle = chainHandle;
            this.hook = hook;
            this.priority = priority;
            this.name = name;
        }

        public Hook hook() { return hook; }

        public int priority() { return priority; }

        public String name() { return "nft " + name; }

        public HookVerdict process(PacketContext ctx, long now) {
            for (NftTable t : ruleset.tables()) {
                if (t.handle() != tableHandle) continue;
                for (NftChain c : t.chains()) {
                    if (c.handle() == chainHandle && c.base().isPresent()) return run(t, c, hook, ctx, now);
                }
            }
            return HookVerdict.ACCEPT; // deleted: unregistered in the kernel
        }
    }

    private record Frame(NftChain chain, int next) {}

    /** nft_do_chain. */
    private HookVerdict run(NftTable table, NftChain base, Hook hook, PacketContext ctx, long now) {
        BaseChainSpec spec = base.base().get();
        ctx.step(new TraceStep.ChainEntered(table.id(), base.name(), spec.priority()));
        NftChain chain = base;
        int idx = 0;
        Deque<Frame> stack = new ArrayDeque<>();
        while (true) {
            if (idx >= chain.rules().size()) {
                if (stack.isEmpty()) return policy(table, base, ctx);
                Frame f = stack.pop();
                ctx.step(new TraceStep.Returned(chain.name(), f.chain().name()));
                chain = f.chain();
                idx = f.next();
                continue;
            }
            NftRule rule = chain.rules().get(idx);
            String ref = table.id() + " " + chain.name() + " #" + (idx + 1) + " (handle " + rule.handle() + ")";
            Outcome o = rule(table, rule, ref, hook, ctx, now);
            if (o instanceof Outcome.Next) {
                idx++;
                continue;
            }
            if (o instanceof Outcome.Final f) return f.verdict();
            Verdict v = ((Outcome.Go) o).verdict();
            ctx.step(new TraceStep.Verdict(ref, v.text()));
            switch (v.kind()) {
                case ACCEPT:
                    return HookVerdict.ACCEPT;
                case DROP:
                    return new HookVerdict.Drop(ref, HookVerdict.Cause.RULE);
                case CONTINUE:
                    idx++;
                    break;
                case RETURN:
                    if (stack.isEmpty()) return policy(table, base, ctx);
                    Frame f = stack.pop();
                    ctx.step(new TraceStep.Returned(chain.name(), f.chain().name()));
                    chain = f.chain();
                    idx = f.next();
                    break;
                case JUMP:
                    if (stack.size() >= NftRuleset.MAX_JUMP_DEPTH) return new HookVerdict.Drop(ref + " (jump stack full)", HookVerdict.Cause.RULE);
                    stack.push(new Frame(chain, idx + 1));
                    chain = table.chain(v.chain().get()).orElseThrow();
                    idx = 0;
                    break;
                case GOTO:
                    chain = table.chain(v.chain().get()).orElseThrow();
                    idx = 0;
                    break;
                default:
                    throw new IllegalStateException(v.toString());
            }
        }
    }

    private HookVerdict policy(NftTable table, NftChain base, PacketContext ctx) {
        String id = table.id() + " " + base.name();
        return switch (base.base().get().policy()) {
            case ACCEPT -> {
                ctx.step(new TraceStep.PolicyApplied(id, "accept"));
                yield HookVerdict.ACCEPT;
            }
            case DROP -> {
                ctx.step(new TraceStep.PolicyApplied(id, "drop"));
                yield new HookVerdict.Drop(id + " policy drop", HookVerdict.Cause.POLICY);
            }
        };
    }

    /** What a rule left: go on with the next rule, a verdict for the chain walk, or the hook's verdict. */
    private sealed interface Outcome {
        record Next() implements Outcome {}

        record Go(Verdict verdict) implements Outcome {}

        record Final(HookVerdict verdict) implements Outcome {}
    }

    private static final Outcome NEXT = new Outcome.Next();

    private Outcome rule(NftTable table, NftRule rule, String ref, Hook hook, PacketContext ctx, long now) {
        List<Stmt> stmts = rule.statements();
        String text = traceText(table, rule);
        for (int i = 0; i < stmts.size(); i++) {
            Stmt s = stmts.get(i);
            NftCounters.Key key = new NftCounters.Key(table.handle(), rule.handle(), i);
            if (s instanceof Stmt.Match m) {
                Optional<Value> v = expressions.load(m.selector(), ctx);
                Optional<NftSet> named = m.rhs() instanceof org.vnetlab.emulator.nftables.Rhs.SetRef ref2
                        ? table.set(ref2.name()) : Optional.empty();
                if (v.isEmpty() || !Expressions.matches(m, v.get(), named)) return noMatch(ref, text, ctx);
            } else if (s instanceof Stmt.VerdictMap vm) {
                Optional<Value> v = expressions.load(vm.selector(), ctx);
                Optional<Verdict> found = v.flatMap(x -> lookup(table, vm, x));
                if (found.isEmpty()) return noMatch(ref, text, ctx);
                matched(ref, text, ctx);
                return new Outcome.Go(found.get());
            } else if (s instanceof Stmt.Limit l) {
                if (!limit(key, l, ctx, now)) return noMatch(ref, text, ctx);
            } else if (s instanceof Stmt.Counter) {
                counters.count(key, ctx.datagram().totalLength());
            } else if (s instanceof Stmt.Log l) {
                log(ref, l, ctx, now);
            } else if (s instanceof Stmt.SetMark sm) {
                setMark(ref, sm, ctx);
            } else if (s instanceof Stmt.Notrack) {
                // nft_notrack_eval: only a packet conntrack has not seen yet becomes untracked
                if (!ctx.conntrackDone()) ctx.setUntracked();
            } else if (s instanceof Stmt.VerdictStmt vs) {
                matched(ref, text, ctx);
                return new Outcome.Go(vs.verdict());
            } else if (s instanceof Stmt.Reject r) {
                matched(ref, text, ctx);
                return new Outcome.Final(reject(ref, r, ctx, now));
            } else if (s instanceof Stmt.Nat n) {
                matched(ref, text, ctx);
                return new Outcome.Final(nat(ref, n, hook, ctx, now));
            }
        }
        matched(ref, text, ctx);
        return NEXT;
    }

    private static Outcome noMatch(String ref, String text, PacketContext ctx) {
        ctx.step(new TraceStep.RuleEvaluated(ref, text, false));
        return NEXT;
    }

    private static void matched(String ref, String text, PacketContext ctx) {
        ctx.step(new TraceStep.RuleEvaluated(ref, text, true));
    }

    /** The rule as listed, counters shown without values (they change while the trace is read). */
    private static String traceText(NftTable table, NftRule rule) {
        String s = rule.statements().stream()
                .map(st -> st instanceof Stmt.Counter ? "counter" : st.text(table.family()))
                .collect(Collectors.joining(" "));
        return rule.comment().map(c -> s + " comment \"" + c + "\"").orElse(s);
    }

    private static Optional<Verdict> lookup(NftTable table, Stmt.VerdictMap vm, Value v) {
        DataType t = vm.selector().type();
        if (vm.named().isPresent()) {
            for (NftSet.Element e : table.set(vm.named().get()).orElseThrow().elements()) {
                if (Expressions.contains(t, e.key(), v)) return e.verdict();
            }
            return Optional.empty();
        }
        for (Stmt.MapEntry e : vm.entries()) if (Expressions.contains(t, e.key(), v)) return Optional.of(e.verdict());
        return Optional.empty();
    }

    /** nft_limit: a token bucket in nanoseconds of credit; true while under the limit (inverted by "over"). */
    private boolean limit(NftCounters.Key key, Stmt.Limit l, PacketContext ctx, long now) {
        long nsecs = l.unit().seconds() * 1_000_000_000L;
        long max, cost;
        if (l.bytes()) {
            max = (long) ((double) nsecs * (l.rate() + l.burst()) / l.rate());
            cost = (long) ((double) nsecs * ctx.datagram().totalLength() / l.rate());
        } else {
            cost = nsecs / l.rate();
            max = cost * Math.max(l.burst(), 1);
        }
        long[] st = limits.computeIfAbsent(key, k -> new long[] {max, now});
        long tokens = Math.min(max, st[0] + (now - st[1]));
        st[1] = now;
        boolean under = tokens - cost >= 0;
        st[0] = under ? tokens - cost : tokens;
        return under != l.over();
    }

    private void log(String ref, Stmt.Log l, PacketContext ctx, long now) {
        if (l.group().isPresent()) {
            ctx.step(new TraceStep.Verdict(ref, "log group " + l.group().getAsInt() + " (to nflog: no kernel log line)"));
            return;
        }
        Target.Log asTarget = new Target.Log(l.prefix(), l.level(), l.flags().contains(Stmt.LogFlag.TCP_SEQUENCE),
                l.flags().contains(Stmt.LogFlag.TCP_OPTIONS), l.flags().contains(Stmt.LogFlag.IP_OPTIONS),
                l.flags().contains(Stmt.LogFlag.SKUID), l.flags().contains(Stmt.LogFlag.ETHER));
        String line = LogLine.format(asTarget, ctx);
        netfilter.kernelLog().log(now, netfilter.node(), KernelLog.Level.ofSyslog(l.level()), line);
        ctx.step(new TraceStep.Verdict(ref, "log"));
        ctx.step(new TraceStep.KernelLog(line));
    }

    private static void setMark(String ref, Stmt.SetMark sm, PacketContext ctx) {
        if (sm.conntrack()) {
            Optional<ConntrackEntry> ct = ctx.conntrack();
            if (ct.isEmpty()) {
                ctx.step(new TraceStep.Verdict(ref, "ct mark set (no connection: nothing to do)"));
                return;
            }
            ct.get().setMark(sm.value());
            ctx.step(new TraceStep.Verdict(ref, String.format("ct mark set 0x%08x", sm.value())));
        } else {
            ctx.setMark(sm.value());
            ctx.step(new TraceStep.Verdict(ref, String.format("meta mark set 0x%08x", sm.value())));
        }
    }

    /** nft_reject_ipv4: the answer goes out through the local path; the packet is dropped. */
    private HookVerdict reject(String ref, Stmt.Reject r, PacketContext ctx, long now) {
        Datagram d = ctx.datagram();
        Optional<ByteBuf> reply;
        HookVerdict.ReplyContext rc = null;
        String with;
        if (r.kind() == Stmt.RejectKind.TCP_RESET) {
            with = "tcp reset";
            reply = Replies.transportChecksumOk(d) ? netfilter.replies().tcpReset(ctx) : Optional.empty();
            // nf_send_reset, shared with iptables' REJECT: the RST is attached to the connection (nf_ct_attach)
            // and a confirmed connection moves to CLOSE (nf_ct_set_closing)
            if (reply.isPresent()) {
                rc = Replies.attached(ctx).orElse(null);
                ctx.conntrack().ifPresent(ct -> netfilter.nat().table().setClosing(ct, now));
            }
        } else {
            int code = r.ipv4Code();
            with = "icmp " + DataType.ICMP_CODE.format(new Value.Num(code));
            reply = Replies.transportChecksumOk(d) ? netfilter.replies().icmpError(ctx, 3, code, now) : Optional.empty();
            rc = reply.isPresent() ? Replies.attached(ctx).orElse(null) : null;
        }
        ctx.step(new TraceStep.Verdict(ref, "reject with " + with + (reply.isPresent() ? "" : " (no reply sent)")));
        return new HookVerdict.Reject(ref, with, reply.orElse(null), rc);
    }

    /** nft_nat / nft_masq / nft_redir: set up the connection's binding; the chain (and NAT lookup) ends. */
    private HookVerdict nat(String ref, Stmt.Nat n, Hook hook, PacketContext ctx, long now) {
        String name = n.kind().name().toLowerCase();
        Optional<ConntrackEntry> ctOpt = ctx.conntrack();
        if (ctOpt.isEmpty()) {
            ctx.step(new TraceStep.Verdict(ref, name + " (no connection: nothing to do)"));
            return HookVerdict.ACCEPT;
        }
        ConntrackEntry ct = ctOpt.get();
        Nat nat = netfilter.nat();
        NatManip manip = n.kind() == Stmt.NatKind.SNAT || n.kind() == Stmt.NatKind.MASQUERADE ? NatManip.SOURCE : NatManip.DESTINATION;
        boolean random = n.flags().contains(Stmt.NatFlag.RANDOM);
        boolean fully = n.flags().contains(Stmt.NatFlag.FULLY_RANDOM);
        boolean persistent = n.flags().contains(Stmt.NatFlag.PERSISTENT);
        NatRequest req;
        switch (n.kind()) {
            case MASQUERADE -> {
                if (ct.original().source().isAny()) {
                    ctx.step(new TraceStep.Verdict(ref, "masquerade (source 0.0.0.0: untouched)"));
                    return HookVerdict.ACCEPT;
                }
                String out = ctx.out().orElseThrow(() -> new IllegalStateException("masquerade without an output interface"));
                Optional<Ipv4Address> src = netfilter.host().interfaceAddress(out, ctx.nextHop().orElse(ctx.datagram().destination()));
                if (src.isEmpty()) {
                    netfilter.kernelLog().log(now, netfilter.node(), KernelLog.Level.INFO, "MASQUERADE: " + out + " ate my IP address");
                    ctx.step(new TraceStep.Verdict(ref, "drop (masquerade: no address on " + out + ")"));
                    return new HookVerdict.Drop(ref, HookVerdict.Cause.NAT);
                }
                req = NatRequest.toAddress(src.get()).withRandom(random, fully, persistent);
                nat.markMasquerade(ct, out);
            }
            case REDIRECT -> {
                Ipv4Address dst;
                if (hook == Hook.OUTPUT) {
                    dst = Ipv4Address.of(127, 0, 0, 1);
                } else {
                    Optional<Ipv4Address> a = ctx.in().flatMap(i -> netfilter.host().interfaceAddress(i, ctx.datagram().source()));
                    if (a.isEmpty()) {
                        ctx.step(new TraceStep.Verdict(ref, "drop (redirect: no address on the input interface)"));
                        return new HookVerdict.Drop(ref, HookVerdict.Cause.NAT);
                    }
                    dst = a.get();
                }
                req = NatRequest.toAddress(dst).withRandom(random, fully, persistent);
            }
            default -> {
                Optional<Ipv4Address> lo = n.addressLow().map(v -> new Ipv4Address((int) ((Value.Num) v).value()));
                Optional<Ipv4Address> hi = n.addressHigh().map(v -> new Ipv4Address((int) ((Value.Num) v).value()));
                req = new NatRequest(lo, hi, Optional.empty(), Optional.empty(), random, fully, persistent);
            }
        }
        if (n.portLow().isPresent()) req = req.withPorts(n.portLow().getAsInt(), n.portHigh().getAsInt());
        if (Nat.isInitialized(ct, manip)) {
            ctx.step(new TraceStep.Verdict(ref, name + " (binding already set up)"));
            return HookVerdict.ACCEPT;
        }
        nat.setup(ct, req, manip);
        ctx.step(new TraceStep.Verdict(ref, n.text(org.vnetlab.emulator.nftables.Family.IP)));
        ctx.step(new TraceStep.Nat("binding " + (manip == NatManip.SOURCE ? "SNAT" : "DNAT"),
                ct.original().format() + " reply " + ct.reply().format()));
        return HookVerdict.ACCEPT;
    }
}
