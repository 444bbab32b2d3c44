package org.vnetlab.emulator.netfilter.hook;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.emulator.trace.TraceBuilder;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.ParseException;

/**
 * Drives one packet through the host the way the kernel's IPv4 paths call the hooks, for tests, the trace
 * command and benchmarks (the real IP stack calls {@link Netfilter#hook} itself):
 * <ul>
 *   <li>received: PREROUTING → routing → INPUT (delivered locally) or, when forwarding is on,
 *       TTL check (ttl ≤ 1: ICMP time exceeded from the host, before FORWARD; the connection is never
 *       confirmed) → TTL − 1 → FORWARD → POSTROUTING (forwarded);</li>
 *   <li>local: routing → OUTPUT → (re-route if NAT changed the destination) → POSTROUTING (sent), or for a
 *       local destination on to PREROUTING/INPUT over loopback.</li>
 * </ul>
 * Replies the host generates (REJECT, time exceeded, no route) are sent through the local path and come
 * back as {@link Result#replies()} with their own traces.
 */
public final class PathRunner {

    /** Where a destination goes: delivered to the host, sent out of an interface via a next hop, or nowhere. */
    public sealed interface Route {
        record Local() implements Route {}

        record Out(String device, Ipv4Address nextHop) implements Route {}

        record Unreachable() implements Route {}
    }

    /** The host's routing decision (fib lookup): destination and, for received packets, the input device. */
    @FunctionalInterface
    public interface Routing {
        Route route(Ipv4Address destination, Optional<String> inDevice);
    }

    /** The outcome of one packet: its trace, the packet as it leaves (rewritten), where, and replies. */
    public record Result(Trace trace, Optional<ByteBuf> packet, Optional<String> outInterface, List<Result> replies) {
        public Disposition disposition() { return trace.disposition(); }
    }

    private final Netfilter netfilter;
    private final Routing routing;
    private final boolean forwarding;
    private final AtomicLong ids = new AtomicLong(1);

    public PathRunner(Netfilter netfilter, Routing routing, boolean ipForward) {
        this.netfilter = netfilter;
        this.routing = routing;
        this.forwarding = ipForward;
    }

    public Netfilter netfilter() { return netfilter; }

    /** A datagram (IP header first) received on {@code in} in a frame from {@code sourceMac} to {@code destinationMac}. */
    public Result receive(ByteBuf packet, String in, MacAddress sourceMac, MacAddress destinationMac, long now) {
        TraceBuilder tb = new TraceBuilder(ids.getAndIncrement());
        PacketContext ctx = PacketContext.received(packet, in, tb);
        ctx.setLinkLayer(sourceMac, destinationMac);
        return receive(ctx, now);
    }

    private Result receive(PacketContext ctx, long now) {
        List<Result> replies = new ArrayList<>();
        HookVerdict v = netfilter.hook(Hook.PREROUTING, ctx, now);
        if (!(v instanceof HookVerdict.Accept)) return ended(ctx, v, replies, now);
        Datagram d = ctx.datagram();
        Route r = routing.route(d.destination(), ctx.in());
        ctx.step(new TraceStep.Stack("routing: " + d.destination() + " -> " + describe(r)));
        if (r instanceof Route.Local) {
            v = netfilter.hook(Hook.INPUT, ctx, now);
            if (!(v instanceof HookVerdict.Accept)) return ended(ctx, v, replies, now);
            return new Result(ctx.trace().finish(Disposition.DELIVERED_LOCALLY, ""), Optional.of(ctx.packet()),
                    Optional.empty(), replies);
        }
        if (r instanceof Route.Unreachable || !forwarding) {
            netfilter.packetLost(ctx);
            String why = forwarding ? "no route to " + d.destination() : "forwarding disabled (net.ipv4.ip_forward=0)";
            if (forwarding) {
                // ip_error: its own per-peer budget first, then icmp_send's limits
                if (netfilter.host().allowRouteError(d.source(), now)) {
                    netfilter.replies().icmpError(ctx, 3, 0, now).ifPresent(rep -> replies.add(sendLocal(rep, Replies.attached(ctx), now)));
                } else {
                    ctx.step(new TraceStep.Stack("ip_error: no ICMP 3/0 to " + d.source() + ": rate limited (route/error_cost)"));
                }
            }
            return new Result(ctx.trace().finish(Disposition.NO_ROUTE, why), Optional.empty(), Optional.empty(), replies);
        }
        Route.Out out = (Route.Out) r;
        ctx.setOutInterface(out.device());
        ctx.setNextHop(out.nextHop());
        if (d.ttl() <= 1) {
            ctx.step(new TraceStep.Stack("ip_forward: ttl " + d.ttl() + " <= 1: time exceeded"));
            netfilter.replies().icmpError(ctx, 11, 0, now).ifPresent(rep -> replies.add(sendLocal(rep, Replies.attached(ctx), now)));
            netfilter.packetLost(ctx);
            return new Result(ctx.trace().finish(Disposition.TTL_EXCEEDED, "ttl " + d.ttl() + " at forwarding"),
                    Optional.empty(), Optional.empty(), replies);
        }
        try {
            Ipv4Packet.checked(ctx.packet().slice(d.offset(), d.available())).decrementTtlWithChecksumUpdate();
        } catch (ParseException e) {
            throw new IllegalStateException("datagram became unreadable", e);
        }
        v = netfilter.hook(Hook.FORWARD, ctx, now);
        if (!(v instanceof HookVerdict.Accept)) return ended(ctx, v, replies, now);
        v = netfilter.hook(Hook.POSTROUTING, ctx, now);
        if (!(v instanceof HookVerdict.Accept)) return ended(ctx, v, replies, now);
        return new Result(ctx.trace().finish(Disposition.FORWARDED, "out " + out.device()), Optional.of(ctx.packet()),
                Optional.of(out.device()), replies);
    }

    /** A datagram the host itself sends (a socket's packet). */
    public Result send(ByteBuf packet, long now) { return sendLocal(packet, Optional.empty(), now); }

    private Result sendLocal(ByteBuf packet, Optional<HookVerdict.ReplyContext> attached, long now) {
        TraceBuilder tb = new TraceBuilder(ids.getAndIncrement());
        PacketContext ctx = PacketContext.local(packet, tb);
        attached.ifPresent(a -> ctx.attach(a.entry(), a.info()));
        List<Result> replies = new ArrayList<>();
        Datagram d = ctx.datagram();
        Route r = routing.route(d.destination(), Optional.empty());
        ctx.step(new TraceStep.Stack("routing: " + d.destination() + " -> " + describe(r)));
        if (r instanceof Route.Unreachable) {
            return new Result(tb.finish(Disposition.NO_ROUTE, "no route to " + d.destination()), Optional.empty(),
                    Optional.empty(), replies);
        }
        String dev = r instanceof Route.Out o ? o.device() : "lo";
        ctx.setOutInterface(dev);
        if (r instanceof Route.Out o) ctx.setNextHop(o.nextHop());
        Ipv4Address before = d.destination();
        HookVerdict v = netfilter.hook(Hook.OUTPUT, ctx, now);
        if (!(v instanceof HookVerdict.Accept)) return ended(ctx, v, replies, now);
        if (!ctx.datagram().destination().equals(before)) {
            r = routing.route(ctx.datagram().destination(), Optional.empty());
            ctx.step(new TraceStep.Stack("re-routing after NAT: " + ctx.datagram().destination() + " -> " + describe(r)));
            if (r instanceof Route.Unreachable) {
                netfilter.packetLost(ctx);
                return new Result(tb.finish(Disposition.NO_ROUTE, "no route after NAT"), Optional.empty(), Optional.empty(), replies);
            }
            dev = r instanceof Route.Out o ? o.device() : "lo";
            ctx.setOutInterface(dev);
            if (r instanceof Route.Out o) ctx.setNextHop(o.nextHop());
        }
        v = netfilter.hook(Hook.POSTROUTING, ctx, now);
        if (!(v instanceof HookVerdict.Accept)) return ended(ctx, v, replies, now);
        if (r instanceof Route.Local) {
            ctx.setInInterface("lo");
            v = netfilter.hook(Hook.PREROUTING, ctx, now);
            if (!(v instanceof HookVerdict.Accept)) return ended(ctx, v, replies, now);
            v = netfilter.hook(Hook.INPUT, ctx, now);
            if (!(v instanceof HookVerdict.Accept)) return ended(ctx, v, replies, now);
            return new Result(tb.finish(Disposition.DELIVERED_LOCALLY, "over lo"), Optional.of(ctx.packet()), Optional.empty(), replies);
        }
        return new Result(tb.finish(Disposition.SENT, "out " + dev), Optional.of(ctx.packet()), Optional.of(dev), replies);
    }

    private Result ended(PacketContext ctx, HookVerdict v, List<Result> replies, long now) {
        Trace t;
        if (v instanceof HookVerdict.Drop dr) {
            Disposition disp = switch (dr.cause()) {
                case POLICY -> Disposition.DROPPED_BY_POLICY;
                case CONNTRACK, NAT -> Disposition.DROPPED_BY_CONNTRACK;
                case RULE, HOTDROP -> Disposition.DROPPED_BY_RULE;
            };
            t = ctx.trace().finish(disp, dr.by());
        } else if (v instanceof HookVerdict.Reject rj) {
            if (rj.reply() != null) replies.add(sendLocal(rj.reply(), Optional.ofNullable(rj.replyContext()), now));
            t = ctx.trace().finish(Disposition.REJECTED, rj.by() + " with " + rj.with());
        } else {
            t = ctx.trace().finish(Disposition.STOLEN, ((HookVerdict.Stolen) v).by());
        }
        return new Result(t, Optional.empty(), Optional.empty(), replies);
    }

    private static String describe(Route r) {
        if (r instanceof Route.Local) return "local";
        if (r instanceof Route.Out o) return "via " + o.nextHop() + " dev " + o.device();
        return "unreachable";
    }
}
