package org.vnetlab.emulator.stack.netfilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.conntrack.CtInfo;
import org.vnetlab.emulator.conntrack.Direction;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.netfilter.hook.Defragmenter;
import org.vnetlab.emulator.stack.DefragOutcome;
import org.vnetlab.emulator.netfilter.hook.HookVerdict;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.netfilter.hook.PacketContext;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.stack.FilterPacket;
import org.vnetlab.emulator.stack.FilterVerdict;
import org.vnetlab.emulator.stack.PacketFate;
import org.vnetlab.emulator.stack.PacketFilter;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.emulator.trace.TraceBuilder;
import org.vnetlab.emulator.trace.TraceStep;

/**
 * The netfilter engine behind a stack's hooks: each packet gets one {@link PacketContext} (conntrack entry,
 * marks, trace) that follows it from hook to hook; NAT rewrites the stack's own bytes in place; REJECT's
 * reply goes back to the stack with its conntrack attachment. Every packet's trace is kept, finished with
 * the stack's fate, in {@link #traces()}.
 */
public final class NetfilterPacketFilter implements PacketFilter {
    private final Netfilter netfilter;
    private final Lab lab;
    private final List<Trace> traces = new ArrayList<>();
    private long nextId = 1;
    private boolean tracing = true;

    public NetfilterPacketFilter(Netfilter netfilter, Lab lab) {
        this.netfilter = netfilter;
        this.lab = lab;
    }

    public Netfilter netfilter() { return netfilter; }

    /** Finished traces, oldest first. */
    public List<Trace> traces() { return List.copyOf(traces); }

    public void clearTraces() { traces.clear(); }

    /**
     * Whether packets from now on are traced (the default). Off, no trace is built or kept — the hooks skip
     * formatting rules, packets and connections — and the packets still get their ids, so traces recorded
     * after tracing is turned back on are numbered as they would have been.
     */
    public void setTracing(boolean on) { tracing = on; }

    public boolean tracing() { return tracing; }

    private PacketContext context(FilterPacket p) {
        if (p.engineState() instanceof PacketContext c) return c;
        TraceBuilder tb = tracing ? new TraceBuilder(nextId++) : TraceBuilder.off(nextId++);
        PacketContext c = p.isLocallyGenerated() ? PacketContext.local(p.datagram(), tb)
                : PacketContext.received(p.datagram(), p.in().orElseThrow(), tb);
        if (!p.isLocallyGenerated() && p.sourceMac().isPresent()) {
            c.setLinkLayer(p.sourceMac().get(), p.destinationMac().orElseThrow());
        }
        if (p.engineState() instanceof HookVerdict.ReplyContext rc && rc.entry() != null) c.attach(rc.entry(), rc.info());
        if (p.canDefragment()) {
            c.setDefragmenter(h -> {
                DefragOutcome r = p.defragment(h);
                if (r instanceof DefragOutcome.Whole w) return new Defragmenter.Gathered(w.datagram().datagram(), w.datagram().fragments());
                if (r instanceof DefragOutcome.Dropped d) return new Defragmenter.Dropped(d.why());
                return new Defragmenter.Held();
            });
        }
        p.setEngineState(c);
        return c;
    }

    @Override
    public FilterVerdict hook(Hook hook, FilterPacket p) {
        PacketContext c = context(p);
        p.in().ifPresent(c::setInInterface);
        p.out().ifPresent(c::setOutInterface);
        p.nextHop().ifPresent(c::setNextHop);
        if (p.physIn().isPresent() || p.physOut().isPresent()) c.setBridgePorts(p.physIn(), p.physOut());
        HookVerdict v = netfilter.hook(hook, c, lab.now());
        if (v instanceof HookVerdict.Accept) return FilterVerdict.ACCEPT;
        if (v instanceof HookVerdict.Drop d) return new FilterVerdict.Drop(d.by());
        if (v instanceof HookVerdict.Reject r) {
            return new FilterVerdict.Reject(r.by(), r.with(), Optional.ofNullable(r.reply()), r.replyContext());
        }
        return new FilterVerdict.Stolen(((HookVerdict.Stolen) v).by());
    }

    /**
     * nf_ct_attach, as icmp_glue_bits does for every ICMP error the stack sends (time exceeded, fragmentation
     * needed, unreachables, redirects): the error carries the offending packet's connection from birth,
     * RELATED in the other direction, even when that connection is not confirmed yet. So OUTPUT sees it
     * RELATED rather than INVALID, and NAT translates it (or, for a redirect, drops it) by that connection.
     */
    @Override
    public void attachRelated(FilterPacket reply, FilterPacket original) {
        if (!(original.engineState() instanceof PacketContext c) || c.conntrack().isEmpty()) return;
        CtInfo info = c.ctInfo().orElseThrow().direction() == Direction.ORIGINAL ? CtInfo.RELATED_REPLY : CtInfo.RELATED;
        reply.setEngineState(new HookVerdict.ReplyContext(c.conntrack().get(), info));
    }

    @Override
    public void packetLost(FilterPacket p) {
        if (p.engineState() instanceof PacketContext c) netfilter.packetLost(c);
    }

    @Override
    public void finished(FilterPacket p, PacketFate fate, String detail) {
        PacketContext c = context(p);
        if (!c.tracing()) return;
        c.step(new TraceStep.Stack(fate.name().toLowerCase().replace('_', '-') + ": " + detail));
        traces.add(c.trace().finish(disposition(fate, detail), detail));
    }

    private static Disposition disposition(PacketFate fate, String detail) {
        return switch (fate) {
            case DELIVERED -> Disposition.DELIVERED_LOCALLY;
            case FORWARDED -> Disposition.FORWARDED;
            case SENT -> Disposition.SENT;
            case FILTERED -> detail.contains("rejected") ? Disposition.REJECTED : Disposition.DROPPED_BY_RULE;
            case NO_ROUTE, FORWARDING_DISABLED, NEIGHBOUR_FAILED -> Disposition.NO_ROUTE;
            case TTL_EXCEEDED -> Disposition.TTL_EXCEEDED;
            case TOO_BIG, MARTIAN, DISCARDED -> Disposition.DROPPED_BY_RULE;
            case STOLEN -> Disposition.STOLEN;
        };
    }
}
