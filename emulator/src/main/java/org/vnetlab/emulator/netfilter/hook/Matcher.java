package org.vnetlab.emulator.netfilter.hook;

import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.conntrack.ConntrackEntry;
import org.vnetlab.emulator.conntrack.ConntrackTuple;
import org.vnetlab.emulator.conntrack.CtInfo;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.conntrack.Direction;
import org.vnetlab.emulator.conntrack.Status;
import org.vnetlab.emulator.netfilter.AddressFilter;
import org.vnetlab.emulator.netfilter.AddressType;
import org.vnetlab.emulator.netfilter.CtDirection;
import org.vnetlab.emulator.netfilter.CtState;
import org.vnetlab.emulator.netfilter.CtStatus;
import org.vnetlab.emulator.netfilter.Fragment;
import org.vnetlab.emulator.netfilter.InterfaceFilter;
import org.vnetlab.emulator.netfilter.Match;
import org.vnetlab.emulator.netfilter.PortRange;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleRef;

/**
 * Evaluates a rule's header filters (ip_packet_match) and extension matches (xt_*.c) against a packet, as
 * the kernel does: port matches never match non-first fragments, a truncated transport header is a
 * "hotdrop" (the packet is dropped), {@code -m mac} needs an Ethernet header, and so on.
 */
final class Matcher {
    enum Result { MATCH, NO_MATCH, HOTDROP }

    private final HostNetwork host;
    /** Token buckets of -m limit, per rule (the kernel keeps one per rule instance). */
    private final Map<RuleRef, long[]> limits = new HashMap<>();

    Matcher(HostNetwork host) { this.host = host; }

    Result matches(Rule rule, RuleRef ref, PacketContext ctx, long now) {
        Datagram d = ctx.datagram();
        if (!rule.source().matches(d.source()) || !rule.destination().matches(d.destination())) return Result.NO_MATCH;
        if (!rule.inInterface().matches(ctx.in().orElse(""))) return Result.NO_MATCH;
        if (!rule.outInterface().matches(ctx.out().orElse(""))) return Result.NO_MATCH;
        if (!rule.protocol().matches(d.protocol())) return Result.NO_MATCH;
        if (rule.fragment() == Fragment.LATER_FRAGMENTS && !d.isLaterFragment()) return Result.NO_MATCH;
        if (rule.fragment() == Fragment.NOT_LATER_FRAGMENTS && d.isLaterFragment()) return Result.NO_MATCH;
        for (Match m : rule.matches()) {
            Result r = match(m, ref, ctx, d, now);
            if (r != Result.MATCH) return r;
        }
        return Result.MATCH;
    }

    private static Result of(boolean b) { return b ? Result.MATCH : Result.NO_MATCH; }

    private Result match(Match m, RuleRef ref, PacketContext ctx, Datagram d, long now) {
        if (m instanceof Match.Tcp t) return tcp(t, d);
        if (m instanceof Match.Udp u) return udp(u, d);
        if (m instanceof Match.Icmp i) return icmp(i, d);
        if (m instanceof Match.Conntrack c) return of(conntrack(c, ctx, now));
        if (m instanceof Match.State s) return of(stateSet(s.states(), ctx));
        if (m instanceof Match.Multiport mp) return multiport(mp, d);
        if (m instanceof Match.Comment) return Result.MATCH;
        if (m instanceof Match.AddrType a) return of(addrtype(a, ctx, d));
        if (m instanceof Match.Mark mk) return of(((ctx.mark() & mk.mask()) == mk.value()) != mk.inverted());
        if (m instanceof Match.Connmark cm) {
            Optional<ConntrackEntry> ct = ctx.conntrack();
            if (ct.isEmpty()) return Result.NO_MATCH;
            return of(((ct.get().mark() & cm.mask()) == cm.value()) != cm.inverted());
        }
        if (m instanceof Match.Physdev p) return of(physdev(p, ctx));
        if (m instanceof Match.Limit l) return of(limit(l, ref, now));
        if (m instanceof Match.PktType p) return of((ctx.packetType() == p.type()) != p.inverted());
        if (m instanceof Match.IpRange r) {
            if (r.source().isPresent() && r.source().get().range().contains(d.source()) == r.source().get().inverted()) return Result.NO_MATCH;
            if (r.destination().isPresent() && r.destination().get().range().contains(d.destination()) == r.destination().get().inverted()) return Result.NO_MATCH;
            return Result.MATCH;
        }
        if (m instanceof Match.Length l) return of((d.totalLength() >= l.min() && d.totalLength() <= l.max()) != l.inverted());
        if (m instanceof Match.Rpfilter rp) return of(reversePathOk(rp, ctx, d) != rp.invert());
        if (m instanceof Match.Mac mac) {
            if (ctx.sourceMac().isEmpty()) return Result.NO_MATCH; // no Ethernet header: never matches
            return of(ctx.sourceMac().get().equals(mac.source()) != mac.inverted());
        }
        throw new IllegalStateException("match module without evaluation: " + m.module());
    }

    /**
     * xt_rpfilter: packets from loopback pass, and so does 0.0.0.0 to a broadcast or 224.0.0.0/24 (DHCP, IGMP);
     * otherwise the route back to the source must be unicast (or local, with --accept-local) and leave by the
     * interface the packet came in on, or merely exist with --loose. --validmark changes nothing here: vnetlab
     * has no mark-based routing rules.
     */
    private boolean reversePathOk(Match.Rpfilter rp, PacketContext ctx, Datagram d) {
        String in = ctx.in().orElse("");
        if (in.equals("lo")) return true;
        if (d.source().isAny() && (d.destination().isBroadcast()
                || d.destination().inPrefix(org.vnetlab.protocols.Ipv4Address.of(224, 0, 0, 0), 24))) return true;
        Optional<HostNetwork.FibRoute> back = host.fibLookup(d.source());
        if (back.isEmpty()) return false;
        AddressType type = back.get().type();
        if (type != AddressType.UNICAST && !(type == AddressType.LOCAL && rp.acceptLocal())) return false;
        return back.get().interfaces().contains(in) || rp.loose();
    }

    private static boolean ports(Optional<Match.PortTest> test, int port) {
        return test.isEmpty() || test.get().matches(port);
    }

    private static Result tcp(Match.Tcp t, Datagram d) {
        if (d.protocol() != ConntrackTuple.TCP) return Result.NO_MATCH;
        if (d.isLaterFragment()) return d.fragmentOffset() == 8 ? Result.HOTDROP : Result.NO_MATCH;
        if (d.l4Available() < 20) return Result.HOTDROP;
        ByteBuf b = d.buf();
        int o = d.l4Offset();
        if (!ports(t.sourcePort(), b.getUnsignedShort(o)) || !ports(t.destinationPort(), b.getUnsignedShort(o + 2))) {
            return Result.NO_MATCH;
        }
        if (t.flags().isPresent() && !t.flags().get().matches(b.getUnsignedByte(o + 13) & 0x3f)) return Result.NO_MATCH;
        if (t.option().isPresent()) {
            int doff = (b.getUnsignedByte(o + 12) >>> 4) * 4;
            if (doff < 20 || d.l4Available() < doff) return Result.HOTDROP;
            if (!tcpOption(b, o + 20, doff - 20, t.option().get().kind())) {
                if (!t.option().get().inverted()) return Result.NO_MATCH;
            } else if (t.option().get().inverted()) {
                return Result.NO_MATCH;
            }
        }
        return Result.MATCH;
    }

    /**
     * tcp_find_option: walks the option bytes and reports whether one starts with {@code kind}. Like the
     * kernel it does not stop at End of List (kinds 0 and 1 advance one byte) and steps over a length of 0
     * as if it were 1, so a malformed list is scanned to its end instead of being cut short.
     */
    private static boolean tcpOption(ByteBuf b, int from, int length, int kind) {
        for (int i = 0; i < length; ) {
            int k = b.getUnsignedByte(from + i);
            if (k == kind) return true;
            if (k < 2) {
                i++;
            } else {
                int len = i + 1 < length ? b.getUnsignedByte(from + i + 1) : 0;
                i += len == 0 ? 1 : len;
            }
        }
        return false;
    }

    private static Result udp(Match.Udp u, Datagram d) {
        if (d.protocol() != ConntrackTuple.UDP && d.protocol() != ConntrackTuple.UDPLITE) return Result.NO_MATCH;
        if (d.isLaterFragment()) return Result.NO_MATCH;
        if (d.l4Available() < 8) return Result.HOTDROP;
        ByteBuf b = d.buf();
        int o = d.l4Offset();
        return of(ports(u.sourcePort(), b.getUnsignedShort(o)) && ports(u.destinationPort(), b.getUnsignedShort(o + 2)));
    }

    private static Result icmp(Match.Icmp i, Datagram d) {
        if (d.protocol() != ConntrackTuple.ICMP) return Result.NO_MATCH;
        if (d.isLaterFragment()) return Result.NO_MATCH;
        if (d.l4Available() < 8) return Result.HOTDROP; // icmp_match reads a whole struct icmphdr
        int type = d.buf().getUnsignedByte(d.l4Offset());
        int code = d.buf().getUnsignedByte(d.l4Offset() + 1);
        boolean hit = i.type() == Match.Icmp.ANY_TYPE || (type == i.type() && code >= i.codeMin() && code <= i.codeMax());
        return of(hit != i.inverted());
    }

    private static Result multiport(Match.Multiport mp, Datagram d) {
        int p = d.protocol();
        if (p != ConntrackTuple.TCP && p != ConntrackTuple.UDP && p != ConntrackTuple.UDPLITE && p != ConntrackTuple.SCTP
                && p != ConntrackTuple.DCCP) {
            return Result.NO_MATCH;
        }
        if (d.isLaterFragment()) return Result.NO_MATCH;
        if (d.l4Available() < 4) return Result.HOTDROP;
        int src = d.buf().getUnsignedShort(d.l4Offset());
        int dst = d.buf().getUnsignedShort(d.l4Offset() + 2);
        boolean hit = false;
        for (PortRange r : mp.ports()) {
            hit |= switch (mp.kind()) {
                case SOURCE -> r.contains(src);
                case DESTINATION -> r.contains(dst);
                case EITHER -> r.contains(src) || r.contains(dst);
            };
        }
        return of(hit != mp.inverted());
    }

    private static boolean stateSet(Match.StateSet s, PacketContext ctx) {
        boolean hit = s.states().contains(ctx.ctState());
        return hit != s.inverted();
    }

    private static boolean conntrack(Match.Conntrack c, PacketContext ctx, long now) {
        Optional<ConntrackEntry> ctOpt = ctx.conntrack();
        if (c.state().isPresent()) {
            Match.StateSet s = c.state().get();
            boolean hit = s.states().contains(ctx.ctState());
            if (ctOpt.isPresent()) {
                if (ctOpt.get().has(Status.SRC_NAT) && s.states().contains(CtState.SNAT)) hit = true;
                if (ctOpt.get().has(Status.DST_NAT) && s.states().contains(CtState.DNAT)) hit = true;
            }
            if (hit == s.inverted()) return false;
        }
        if (ctOpt.isEmpty()) return c.state().isPresent();
        ConntrackEntry ct = ctOpt.get();
        CtInfo info = ctx.ctInfo().orElseThrow();
        if (c.direction().isPresent()) {
            boolean original = info.direction() == Direction.ORIGINAL;
            if (original != (c.direction().get() == CtDirection.ORIGINAL)) return false;
        }
        if (c.protocol().isPresent() && (ct.protocol() == c.protocol().get().number()) == c.protocol().get().inverted()) return false;
        if (!address(c.origSource(), ct.original().source()) || !address(c.origDestination(), ct.original().destination())
                || !address(c.replySource(), ct.reply().source()) || !address(c.replyDestination(), ct.reply().destination())) {
            return false;
        }
        if (!ctPort(c.origSourcePort(), ct.original(), true) || !ctPort(c.origDestinationPort(), ct.original(), false)
                || !ctPort(c.replySourcePort(), ct.reply(), true) || !ctPort(c.replyDestinationPort(), ct.reply(), false)) {
            return false;
        }
        if (c.status().isPresent()) {
            boolean any = false;
            for (CtStatus st : c.status().get().statuses()) {
                any |= switch (st) {
                    case NONE -> false;
                    case EXPECTED -> ct.has(Status.EXPECTED);
                    case SEEN_REPLY -> ct.has(Status.SEEN_REPLY);
                    case ASSURED -> ct.has(Status.ASSURED);
                    case CONFIRMED -> ct.has(Status.CONFIRMED);
                };
            }
            if (any == c.status().get().inverted()) return false;
        }
        if (c.expire().isPresent()) {
            // nf_ct_expires: until confirmation ct->timeout holds the relative timeout, and "timeout minus
            // now" is negative (0) on any host up longer than the timeout past the jiffies wrap (5 minutes
            // after boot) — a connection's first packet sees 0 seconds left, not 30 or 120.
            long left = ct.isConfirmed() ? ct.remainingSeconds(now) : 0;
            boolean in = left >= c.expire().get().min() && left <= c.expire().get().max();
            if (in == c.expire().get().inverted()) return false;
        }
        return true;
    }

    private static boolean address(Optional<AddressFilter> f, org.vnetlab.protocols.Ipv4Address a) {
        return f.isEmpty() || f.get().matches(a);
    }

    /**
     * ct_proto_port_check_v3 compares tuple->src.u.all / dst.u.all whatever the protocol: for ICMP that is
     * the echo id and type&lt;&lt;8|code (what the tuple's keys hold), for protocols without ports 0.
     */
    private static boolean ctPort(Optional<Match.PortTest> test, ConntrackTuple t, boolean source) {
        if (test.isEmpty()) return true;
        return test.get().matches(source ? t.sourceKey() : t.destinationKey());
    }

    /** addrtype_mt_v1: one device for both tests — the input one with --limit-iface-in, else the output one. */
    private boolean addrtype(Match.AddrType a, PacketContext ctx, Datagram d) {
        Optional<String> dev = a.limitIfaceIn() ? ctx.in() : a.limitIfaceOut() ? ctx.out() : Optional.empty();
        if (a.source().isPresent()) {
            AddressType t = host.addressType(d.source(), dev);
            if (a.source().get().types().contains(t) == a.source().get().inverted()) return false;
        }
        if (a.destination().isPresent()) {
            AddressType t = host.addressType(d.destination(), dev);
            if (a.destination().get().types().contains(t) == a.destination().get().inverted()) return false;
        }
        return true;
    }

    /** xt_physdev: without bridge information, any non-inverted option fails. */
    private static boolean physdev(Match.Physdev p, PacketContext ctx) {
        if (!ctx.isBridged()) {
            if (p.isBridged() == Match.FlagTest.SET || p.isIn() == Match.FlagTest.SET || p.isOut() == Match.FlagTest.SET) return false;
            if (p.in().isPresent() && !p.in().get().inverted()) return false;
            if (p.out().isPresent() && !p.out().get().inverted()) return false;
            return true;
        }
        boolean hasOut = ctx.physOut().isPresent();
        boolean hasIn = ctx.physIn().isPresent();
        if (p.isBridged() != Match.FlagTest.ABSENT && hasOut != (p.isBridged() == Match.FlagTest.SET)) return false;
        if (p.isIn() != Match.FlagTest.ABSENT && hasIn != (p.isIn() == Match.FlagTest.SET)) return false;
        if (p.isOut() != Match.FlagTest.ABSENT && hasOut != (p.isOut() == Match.FlagTest.SET)) return false;
        if (p.in().isPresent() && hasIn && !p.in().get().matches(ctx.physIn().get())) return false;
        if (p.out().isPresent()) {
            InterfaceFilter f = p.out().get();
            if (!hasOut) return true;
            if (!f.matches(ctx.physOut().get())) return false;
        }
        return true;
    }

    // xt_limit with HZ=1000: credits per jiffy 32 (POW2_BELOW32(0xFFFFFFFF / (HZ*60*60*24)))
    private static final long HZ = 1000, CREDITS_PER_JIFFY = 32, SCALE = 10_000;

    private static long userToCredits(long user) {
        if (user > 0xFFFF_FFFFL / (HZ * CREDITS_PER_JIFFY)) return (user / SCALE) * HZ * CREDITS_PER_JIFFY;
        return (user * HZ * CREDITS_PER_JIFFY) / SCALE;
    }

    private boolean limit(Match.Limit l, RuleRef ref, long now) {
        long jiffies = Math.floorDiv(now, 1_000_000L);
        long cap = userToCredits(l.period() * l.burst());
        long cost = userToCredits(l.period());
        long[] st = limits.computeIfAbsent(ref, k -> new long[] {jiffies, cap});
        st[1] += (jiffies - st[0]) * CREDITS_PER_JIFFY;
        st[0] = jiffies;
        if (st[1] > cap) st[1] = cap;
        if (st[1] >= cost) {
            st[1] -= cost;
            return true;
        }
        return false;
    }
}
