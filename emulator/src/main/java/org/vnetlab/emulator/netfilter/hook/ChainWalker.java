package org.vnetlab.emulator.netfilter.hook;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.vnetlab.emulator.conntrack.ConntrackEntry;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.conntrack.Nat;
import org.vnetlab.emulator.conntrack.NatManip;
import org.vnetlab.emulator.conntrack.NatRequest;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.ChainRef;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.netfilter.NatRange;
import org.vnetlab.emulator.netfilter.PortRange;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.Target;
import org.vnetlab.emulator.sim.KernelLog;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * ipt_do_table: walks a table's built-in chain for one packet. Rules in order; a matching rule's counters
 * move (packets, bytes = IP total length) before its target runs. ACCEPT/DROP/REJECT and NAT targets end
 * the walk; RETURN and the end of a user chain go back to the caller; RETURN from, or the end of, the
 * built-in chain (also reached through {@code -g}) apply its policy and count it. Jumps push a return point,
 * gotos do not. The depth is bounded by the number of user chains (the kernel's jump stack size).
 */
final class ChainWalker {
    private final Table table;
    private final RuleCounters counters;
    private final Matcher matcher;
    private final Nat nat;
    private final Replies replies;
    private final HostNetwork host;
    private final KernelLog log;
    private final String node;
    private final int maxDepth;
    /** Each rule's iptables text, formatted once: the table is immutable and a traced packet shows every rule it tries. */
    private final java.util.IdentityHashMap<Rule, String> ruleTexts = new java.util.IdentityHashMap<>();

    ChainWalker(Table table, RuleCounters counters, Matcher matcher, Nat nat, Replies replies, HostNetwork host,
                KernelLog log, String node) {
        this.table = table;
        this.counters = counters;
        this.matcher = matcher;
        this.nat = nat;
        this.replies = replies;
        this.host = host;
        this.log = log;
        this.node = node;
        this.maxDepth = (int) table.chains().stream().filter(c -> !c.isBuiltin()).count();
    }

    Table table() { return table; }

    private record Frame(Chain chain, int next) {}

    HookVerdict walk(Hook hook, PacketContext ctx, long now) {
        Chain base = table.chain(hook).orElseThrow();
        Chain chain = base;
        int idx = 0;
        Deque<Frame> stack = new ArrayDeque<>();
        while (true) {
            if (idx >= chain.rules().size()) {
                if (chain == base || stack.isEmpty()) return policy(base, ctx);
                if (ctx.tracing()) ctx.step(new TraceStep.Returned(chain.name(), stack.peek().chain().name()));
                Frame f = stack.pop();
                chain = f.chain();
                idx = f.next();
                continue;
            }
            Rule rule = chain.rules().get(idx);
            RuleRef ref = new RuleRef(table.name(), chain.name(), idx + 1);
            Matcher.Result m = matcher.matches(rule, ref, ctx, now);
            if (ctx.tracing()) ctx.step(new TraceStep.RuleEvaluated(ref.toString(), ruleTexts.computeIfAbsent(rule, Rule::text),
                    m == Matcher.Result.MATCH));
            if (m == Matcher.Result.HOTDROP) {
                ctx.step(new TraceStep.Verdict(ref.toString(), "DROP (hotdrop: malformed transport header)"));
                return new HookVerdict.Drop(ref.toString(), HookVerdict.Cause.HOTDROP);
            }
            if (m == Matcher.Result.NO_MATCH) {
                idx++;
                continue;
            }
            counters.countRule(ref, ctx.datagram().totalLength());
            Target t = rule.target();
            if (t instanceof Target.None) {
                idx++;
            } else if (t instanceof Target.Accept) {
                if (ctx.tracing()) ctx.step(new TraceStep.Verdict(ref.toString(), "ACCEPT"));
                return HookVerdict.ACCEPT;
            } else if (t instanceof Target.Drop) {
                ctx.step(new TraceStep.Verdict(ref.toString(), "DROP"));
                return new HookVerdict.Drop(ref.toString(), HookVerdict.Cause.RULE);
            } else if (t instanceof Target.Return) {
                if (stack.isEmpty()) {
                    ctx.step(new TraceStep.Verdict(ref.toString(), "RETURN"));
                    return policy(base, ctx);
                }
                Frame f = stack.pop();
                if (ctx.tracing()) ctx.step(new TraceStep.Returned(chain.name(), f.chain().name()));
                chain = f.chain();
                idx = f.next();
            } else if (t instanceof Target.Jump j) {
                if (stack.size() >= maxDepth) {
                    ctx.step(new TraceStep.Verdict(ref.toString(), "DROP (jump stack exhausted)"));
                    return new HookVerdict.Drop(ref.toString(), HookVerdict.Cause.RULE);
                }
                if (ctx.tracing()) ctx.step(new TraceStep.Verdict(ref.toString(), "jump " + j.chain()));
                stack.push(new Frame(chain, idx + 1));
                chain = table.chain(j.chain()).orElseThrow();
                idx = 0;
            } else if (t instanceof Target.Goto g) {
                if (ctx.tracing()) ctx.step(new TraceStep.Verdict(ref.toString(), "goto " + g.chain()));
                chain = table.chain(g.chain()).orElseThrow();
                idx = 0;
            } else if (t instanceof Target.Reject r) {
                return reject(r, ref, ctx, now);
            } else if (t instanceof Target.Nfqueue q) {
                return nfqueue(q, ref, ctx);
            } else if (t instanceof Target.Masquerade || t instanceof Target.Snat || t instanceof Target.Dnat
                    || t instanceof Target.Redirect) {
                return natTarget(t, ref, hook, ctx, now);
            } else {
                continueTarget(t, ref, ctx, now);
                idx++;
            }
        }
    }

    /**
     * NFQUEUE: no userspace program listens on any queue in the lab. nf_queue then finds no handler: the
     * packet is dropped, unless --queue-bypass lets it go on as if this table had accepted it.
     */
    private HookVerdict nfqueue(Target.Nfqueue q, RuleRef ref, PacketContext ctx) {
        String queue = q.balance() ? "queues " + q.first() + "-" + (q.first() + q.total() - 1) : "queue " + q.first();
        if (q.bypass()) {
            ctx.step(new TraceStep.Verdict(ref.toString(), "NFQUEUE " + queue + ": no program listens (none in the lab); "
                    + "--queue-bypass: accepted by this table"));
            return HookVerdict.ACCEPT;
        }
        ctx.step(new TraceStep.Verdict(ref.toString(), "DROP (NFQUEUE " + queue
                + ": no program listens (none in the lab), so the kernel drops the packet; --queue-bypass would let it pass)"));
        return new HookVerdict.Drop(ref.toString(), HookVerdict.Cause.RULE);
    }

    private HookVerdict policy(Chain base, PacketContext ctx) {
        counters.countPolicy(new ChainRef(table.name(), base.name()), ctx.datagram().totalLength());
        String p = base.policy().orElseThrow().name();
        if (ctx.tracing()) ctx.step(new TraceStep.PolicyApplied(table.name() + ":" + base.name(), p));
        return switch (base.policy().get()) {
            case ACCEPT -> HookVerdict.ACCEPT;
            case DROP -> new HookVerdict.Drop(table.name() + ":" + base.name() + " policy DROP", HookVerdict.Cause.POLICY);
        };
    }

    private HookVerdict reject(Target.Reject r, RuleRef ref, PacketContext ctx, long now) {
        Datagram d = ctx.datagram();
        Optional<ByteBuf> reply;
        HookVerdict.ReplyContext rc = null;
        if (!Replies.transportChecksumOk(d)) {
            reply = Optional.empty();
        } else if (r.with().isTcpReset()) {
            reply = replies.tcpReset(ctx);
            // nf_ct_attach: the RST belongs to the connection, in the other direction; and since 6.1 (also
            // in the stable trees) nf_ct_set_closing moves a confirmed connection to CLOSE
            if (reply.isPresent()) {
                rc = Replies.attached(ctx).orElse(null);
                ctx.conntrack().ifPresent(ct -> nat.table().setClosing(ct, now));
            }
        } else {
            reply = replies.icmpError(ctx, 3, r.with().icmpCode(), now);
            rc = reply.isPresent() ? Replies.attached(ctx).orElse(null) : null;
        }
        String with = r.with().iptablesName();
        ctx.step(new TraceStep.Verdict(ref.toString(), "REJECT --reject-with " + with
                + (reply.isPresent() ? "" : " (no reply sent)")));
        return new HookVerdict.Reject(ref.toString(), with, reply.orElse(null), rc);
    }

    private HookVerdict natTarget(Target t, RuleRef ref, Hook hook, PacketContext ctx, long now) {
        Optional<ConntrackEntry> ctOpt = ctx.conntrack();
        if (ctOpt.isEmpty()) {
            ctx.step(new TraceStep.Verdict(ref.toString(), t.name() + " (no connection: nothing to do)"));
            return HookVerdict.ACCEPT;
        }
        ConntrackEntry ct = ctOpt.get();
        NatRequest req;
        NatManip manip;
        if (t instanceof Target.Masquerade m) {
            manip = NatManip.SOURCE;
            if (ct.original().source().isAny()) {
                ctx.step(new TraceStep.Verdict(ref.toString(), "MASQUERADE (source 0.0.0.0: untouched)"));
                return HookVerdict.ACCEPT;
            }
            String out = ctx.out().orElseThrow(() -> new IllegalStateException("MASQUERADE without an output interface"));
            Optional<Ipv4Address> src = host.interfaceAddress(out, ctx.nextHop().orElse(ctx.datagram().destination()));
            if (src.isEmpty()) {
                log.log(now, node, KernelLog.Level.INFO, "MASQUERADE: " + out + " ate my IP address");
                ctx.step(new TraceStep.Verdict(ref.toString(), "DROP (MASQUERADE: " + out + " ate my IP address)"));
                return new HookVerdict.Drop(ref.toString(), HookVerdict.Cause.NAT);
            }
            req = NatRequest.toAddress(src.get()).withRandom(m.random(), m.randomFully(), false);
            if (m.toPorts().isPresent()) req = req.withPorts(m.toPorts().get().first(), m.toPorts().get().last());
            nat.markMasquerade(ct, out);
        } else if (t instanceof Target.Snat s) {
            manip = NatManip.SOURCE;
            req = request(s.to()).withRandom(s.random(), s.randomFully(), s.persistent());
        } else if (t instanceof Target.Dnat dn) {
            manip = NatManip.DESTINATION;
            req = request(dn.to()).withRandom(dn.random(), false, dn.persistent());
        } else {
            Target.Redirect r = (Target.Redirect) t;
            manip = NatManip.DESTINATION;
            Ipv4Address dst;
            if (hook == Hook.OUTPUT) {
                dst = Ipv4Address.of(127, 0, 0, 1);
            } else {
                Optional<Ipv4Address> a = ctx.in().flatMap(i -> host.interfaceAddress(i, ctx.datagram().source()));
                if (a.isEmpty()) {
                    ctx.step(new TraceStep.Verdict(ref.toString(), "DROP (REDIRECT: no address on the input interface)"));
                    return new HookVerdict.Drop(ref.toString(), HookVerdict.Cause.NAT);
                }
                dst = a.get();
            }
            req = NatRequest.toAddress(dst).withRandom(r.random(), false, false);
            if (r.toPorts().isPresent()) req = req.withPorts(r.toPorts().get().first(), r.toPorts().get().last());
        }
        if (Nat.isInitialized(ct, manip)) {
            ctx.step(new TraceStep.Verdict(ref.toString(), t.name() + " (binding already set up)"));
            return HookVerdict.ACCEPT;
        }
        nat.setup(ct, req, manip);
        if (ctx.tracing()) ctx.step(new TraceStep.Verdict(ref.toString(), t.name()));
        if (ctx.tracing()) ctx.step(new TraceStep.Nat("binding " + (manip == NatManip.SOURCE ? "SNAT" : "DNAT"),
                ct.original().format() + " reply " + ct.reply().format()));
        return HookVerdict.ACCEPT;
    }

    private static NatRequest request(NatRange to) {
        Optional<Ipv4Address> min = to.addresses().map(a -> a.first());
        Optional<Ipv4Address> max = to.addresses().map(a -> a.last());
        NatRequest r = new NatRequest(min, max, Optional.empty(), Optional.empty(), false, false, false);
        if (to.ports().isPresent()) {
            PortRange p = to.ports().get();
            r = r.withPorts(p.first(), p.last());
        }
        return r;
    }

    /** Targets that return XT_CONTINUE: the walk goes on with the next rule. */
    private void continueTarget(Target t, RuleRef ref, PacketContext ctx, long now) {
        if (t instanceof Target.Log l) {
            String line = LogLine.format(l, ctx);
            log.log(now, node, KernelLog.Level.ofSyslog(l.level()), line);
            ctx.step(new TraceStep.Verdict(ref.toString(), "LOG"));
            ctx.step(new TraceStep.KernelLog(line));
        } else if (t instanceof Target.Mark mk) {
            long mark = (ctx.mark() & ~mk.mask()) ^ mk.value();
            ctx.setMark(mark);
            ctx.step(new TraceStep.Verdict(ref.toString(), String.format("MARK set 0x%x", ctx.mark())));
        } else if (t instanceof Target.Connmark cm) {
            Optional<ConntrackEntry> ct = ctx.conntrack();
            if (ct.isEmpty()) {
                ctx.step(new TraceStep.Verdict(ref.toString(), "CONNMARK (no connection)"));
                return;
            }
            long ctmark = ct.get().mark();
            switch (cm.mode()) {
                case SET -> ct.get().setMark(((ctmark & ~cm.ctmask()) ^ cm.value()) & 0xffff_ffffL);
                case SAVE -> ct.get().setMark(((ctmark & ~cm.ctmask()) ^ (ctx.mark() & cm.nfmask())) & 0xffff_ffffL);
                case RESTORE -> ctx.setMark((ctx.mark() & ~cm.nfmask()) ^ (ctmark & cm.ctmask()));
            }
            ctx.step(new TraceStep.Verdict(ref.toString(), "CONNMARK " + cm.mode().name().toLowerCase()
                    + String.format(" (ctmark 0x%x, mark 0x%x)", ct.get().mark(), ctx.mark())));
        } else if (t instanceof Target.Checksum) {
            // the kernel fills only CHECKSUM_PARTIAL (offloaded) checksums; emulated packets carry complete ones
            ctx.step(new TraceStep.Verdict(ref.toString(), "CHECKSUM (checksum already complete)"));
        } else if (t instanceof Target.Notrack) {
            if (!ctx.conntrackDone()) ctx.setUntracked();
            ctx.step(new TraceStep.Verdict(ref.toString(), t.name() + " (untracked)"));
        } else if (t instanceof Target.Tcpmss mss) {
            ctx.step(new TraceStep.Verdict(ref.toString(), "TCPMSS " + tcpmss(mss, ctx)));
        } else if (t instanceof Target.Nflog n) {
            // nfnetlink_log: a copy to the group's listener (none in the lab); the kernel log gets nothing,
            // the trace records what was handed over
            String line = "nflog group " + n.group() + n.prefix().map(p -> " prefix \"" + p + "\"").orElse("") + ": "
                    + ctx.datagram().source() + " > " + ctx.datagram().destination() + " proto " + ctx.datagram().protocol()
                    + " len " + ctx.datagram().totalLength();
            ctx.step(new TraceStep.Verdict(ref.toString(), "NFLOG"));
            ctx.step(new TraceStep.KernelLog(line));
        } else if (t instanceof Target.Ttl l) {
            Datagram d = ctx.datagram();
            int old = d.ttl();
            int now2 = switch (l.operation()) {
                case SET -> l.value();
                case INC -> Math.min(old + l.value(), 255);
                case DEC -> Math.max(old - l.value(), 0);
            };
            rewriteHeaderByte(d, 8, now2);
            ctx.step(new TraceStep.Verdict(ref.toString(), "TTL " + old + " -> " + now2));
        } else if (t instanceof Target.Tos o) {
            Datagram d = ctx.datagram();
            int old = d.buf().getUnsignedByte(d.offset() + 1);
            int nv = ((old & ~o.mask()) ^ o.value()) & 0xff;
            rewriteHeaderByte(d, 1, nv);
            ctx.step(new TraceStep.Verdict(ref.toString(), String.format("TOS 0x%02x -> 0x%02x", old, nv)));
        } else if (t instanceof Target.Dscp ds) {
            Datagram d = ctx.datagram();
            int old = d.buf().getUnsignedByte(d.offset() + 1);
            int nv = (old & 0x03) | (ds.dscp() << 2); // ECN bits kept
            rewriteHeaderByte(d, 1, nv);
            ctx.step(new TraceStep.Verdict(ref.toString(), String.format("DSCP 0x%02x -> 0x%02x", old >>> 2, ds.dscp())));
        } else if (t instanceof Target.SetTarget st) {
            ctx.step(new TraceStep.Verdict(ref.toString(), "SET " + matcher.setTarget(st, ctx.datagram())));
        } else {
            throw new IllegalStateException("target without evaluation: " + t.name());
        }
    }

    /** One byte of the IPv4 header (TTL at 8, TOS at 1) with the header checksum updated (RFC 1624). */
    private static void rewriteHeaderByte(Datagram d, int at, int value) {
        ByteBuf b = d.buf();
        int wordAt = d.offset() + (at & ~1);
        int oldWord = b.getUnsignedShort(wordAt);
        b.setByte(d.offset() + at, value);
        int newWord = b.getUnsignedShort(wordAt);
        if (oldWord == newWord) return;
        int c = b.getUnsignedShort(d.offset() + 10);
        b.setShort(d.offset() + 10, InternetChecksum.update16(c, oldWord, newWord));
    }

    /** Lowers the MSS option of a SYN to the limit; returns what happened. */
    private String tcpmss(Target.Tcpmss t, PacketContext ctx) {
        Datagram d = ctx.datagram();
        if (d.protocol() != 6 || d.isLaterFragment() || d.l4Available() < 20) return "(not a TCP header)";
        ByteBuf b = d.buf();
        int o = d.l4Offset();
        if ((b.getUnsignedByte(o + 13) & 0x02) == 0) return "(not a SYN)";
        int limit = t.clampToPmtu() ? host.routeMtu(d.destination()) - 40 : t.mss();
        int doff = (b.getUnsignedByte(o + 12) >>> 4) * 4;
        for (int i = o + 20; i + 1 < o + doff; ) {
            int kind = b.getUnsignedByte(i);
            if (kind == 0) break;
            if (kind == 1) { i++; continue; }
            int len = b.getUnsignedByte(i + 1);
            if (len < 2) break;
            if (kind == 2 && len == 4) {
                int old = b.getUnsignedShort(i + 2);
                if (old <= limit) return "(mss " + old + " already within " + limit + ")";
                b.setShort(i + 2, limit);
                int c = b.getUnsignedShort(o + 16);
                b.setShort(o + 16, InternetChecksum.update16(c, old, limit));
                return "mss " + old + " -> " + limit;
            }
            i += len;
        }
        return "(no MSS option: the kernel would insert one; not emulated)";
    }
}
