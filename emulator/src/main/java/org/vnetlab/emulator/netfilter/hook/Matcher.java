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
import org.vnetlab.protocols.Ipv4Address;

/**
 * Evaluates a rule's header filters (ip_packet_match) and extension matches (xt_*.c) against a packet, as
 * the kernel does: port matches never match non-first fragments, a truncated transport header is a
 * "hotdrop" (the packet is dropped), {@code -m mac} needs an Ethernet header, and so on.
 */
final class Matcher {
    enum Result { MATCH, NO_MATCH, HOTDROP }

    private final HostNetwork host;
    private final ExtensionState state;
    /** Token buckets of -m limit, per rule (the kernel keeps one per rule instance). */
    private final Map<RuleRef, long[]> limits = new HashMap<>();
    /** -m statistic --mode nth counters, per rule instance (xt_statistic's master->count). */
    private final Map<RuleRef, long[]> nth = new HashMap<>();

    Matcher(HostNetwork host, ExtensionState state) {
        this.host = host;
        this.state = state;
    }

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
        if (m instanceof Match.Recent r) return of(recent(r, ctx, d, now));
        if (m instanceof Match.Hashlimit h) return hashlimit(h, d, now);
        if (m instanceof Match.SetMatch sm) return of(ipset(sm, d));
        if (m instanceof Match.Owner o) return of(owner(o, ctx));
        if (m instanceof Match.Ttl t) {
            int ttl = d.ttl();
            return of(switch (t.comparison()) {
                case EQ -> ttl == t.value();
                case NE -> ttl != t.value();
                case LT -> ttl < t.value();
                case GT -> ttl > t.value();
            });
        }
        if (m instanceof Match.Tos t) return of(((tos(d) & t.mask()) == t.value()) != t.inverted());
        if (m instanceof Match.Dscp ds) return of(((tos(d) >>> 2) == ds.dscp()) != ds.inverted());
        if (m instanceof Match.Statistic st) return of(statistic(st, ref));
        // vnetlab's conntrack has no helpers, so no related connection's master has one (xt_helper returns invert)
        if (m instanceof Match.Helper h) return of(h.inverted());
        if (m instanceof Match.TcpMss t) return tcpmss(t, d);
        throw new IllegalStateException("match module without evaluation: " + m.module());
    }

    private static int tos(Datagram d) { return d.buf().getUnsignedByte(d.offset() + 1); }

    /** recent_mt: look the (masked) address up, then set/check/update/remove as the command says. */
    private boolean recent(Match.Recent r, PacketContext ctx, Datagram d, long now) {
        long jiffies = Math.floorDiv(now, 1_000_000L);
        Ipv4Address addr = new Ipv4Address((r.rdest() ? d.destination() : d.source()).bits() & r.mask().bits());
        int ttl = d.ttl();
        // "use TTL as seen before forwarding": a forwarded packet past the routing decision has lost one
        if (ctx.out().isPresent() && !ctx.isLocallyGenerated()) ttl = (ttl + 1) & 0xff;
        ExtensionState.RecentList list = state.recentList(r.name(), r.hitcount());
        boolean ret = r.inverted();
        ExtensionState.RecentEntry e = list.entries.get(addr);
        if (e != null && r.rttl() && ttl != e.ttl && ttl != 0 && e.ttl != 0) e = null;
        if (e == null) {
            if (r.command() != Match.RecentCommand.SET) return ret;
            if (list.entries.size() >= ExtensionState.RECENT_LIST_TOTAL) ExtensionState.removeFirst(list.entries);
            e = new ExtensionState.RecentEntry(addr, ttl);
            e.stamps.add(jiffies);
            list.entries.put(addr, e);
            return !ret;
        }
        switch (r.command()) {
            case SET -> ret = !ret;
            case REMOVE -> {
                list.entries.remove(addr);
                ret = !ret;
            }
            default -> {
                long time = jiffies - r.seconds() * Match.Hashlimit.HZ;
                int hits = 0;
                for (long stamp : e.stamps) {
                    if (r.seconds() != 0 && time > stamp) continue;
                    if (r.hitcount() == 0 || ++hits >= r.hitcount()) {
                        ret = !ret;
                        break;
                    }
                }
                if (r.reap()) reap(list, time, e, r.command() == Match.RecentCommand.UPDATE && ret);
            }
        }
        if (r.command() == Match.RecentCommand.SET || (r.command() == Match.RecentCommand.UPDATE && ret)) {
            e.stamps.add(jiffies);
            if (e.stamps.size() > list.stampsKept) e.stamps.remove(0);
            e.ttl = ttl;
            list.entries.remove(addr);
            list.entries.put(addr, e); // most recently updated last
        }
        return ret;
    }

    /** recent_entry_reap: only the least recently updated entry is looked at, and kept when it is being updated. */
    private static void reap(ExtensionState.RecentList list, long time, ExtensionState.RecentEntry working, boolean update) {
        if (list.entries.isEmpty()) return;
        ExtensionState.RecentEntry oldest = list.entries.values().iterator().next();
        if (oldest == working && update) return;
        if (time > oldest.newest()) list.entries.remove(oldest.address);
    }

    private static long maskl(Ipv4Address a, int len) { return len == 0 ? 0 : a.unsigned() & (0xffff_ffffL << (32 - len)) & 0xffff_ffffL; }

    /** hashlimit_mt_common (revision 3, packet mode): one bucket per key, refilled per jiffy, expired by the GC. */
    private Result hashlimit(Match.Hashlimit h, Datagram d, long now) {
        long j = Math.floorDiv(now, 1_000_000L);
        java.util.List<Long> key = new java.util.ArrayList<>(4);
        if ((h.mode() & Match.Hashlimit.SRC_IP) != 0) key.add(maskl(d.source(), h.srcmask()));
        if ((h.mode() & Match.Hashlimit.DST_IP) != 0) key.add(maskl(d.destination(), h.dstmask()));
        if ((h.mode() & (Match.Hashlimit.SRC_PORT | Match.Hashlimit.DST_PORT)) != 0) {
            if (d.isLaterFragment()) return Result.HOTDROP;
            int p = d.protocol();
            int sport = 0, dport = 0;
            if (p == ConntrackTuple.TCP || p == ConntrackTuple.UDP || p == ConntrackTuple.UDPLITE || p == ConntrackTuple.SCTP
                    || p == ConntrackTuple.DCCP) {
                if (d.l4Available() < 4) return Result.HOTDROP;
                sport = d.buf().getUnsignedShort(d.l4Offset());
                dport = d.buf().getUnsignedShort(d.l4Offset() + 2);
            }
            if ((h.mode() & Match.Hashlimit.SRC_PORT) != 0) key.add((long) sport);
            if ((h.mode() & Match.Hashlimit.DST_PORT) != 0) key.add((long) dport);
        }
        ExtensionState.HashTable t = state.hashTable(h.name(), j, h.gcInterval());
        ExtensionState.Bucket b = t.buckets.get(key);
        if (b != null) {
            // htable_gc runs every gc_interval ms and frees entries whose expiry has come
            long lastGc = t.created + ((j - t.created) / t.gcInterval) * t.gcInterval;
            if (lastGc > t.created && lastGc >= b.expires) {
                t.buckets.remove(key);
                b = null;
            }
        }
        if (b == null) {
            b = new ExtensionState.Bucket();
            b.credit = Match.Hashlimit.credits(h.avg() * h.burst());
            b.cost = Match.Hashlimit.credits(h.avg());
            b.cap = b.credit;
            b.prev = j;
            t.buckets.put(key, b);
        } else if (j != b.prev) {
            b.credit += (j - b.prev) * Match.Hashlimit.CREDITS_PER_JIFFY;
            b.prev = j;
            if (Long.compareUnsigned(b.credit, b.cap) > 0) b.credit = b.cap;
        }
        b.expires = j + h.expire();
        if (Long.compareUnsigned(b.credit, b.cost) >= 0) {
            b.credit -= b.cost;
            return of(!h.above());
        }
        return of(h.above());
    }

    /** xt_statistic: random against the lab's seeded stream; nth counts per rule instance from every-1-packet. */
    private boolean statistic(Match.Statistic s, RuleRef ref) {
        boolean hit;
        if (s.nth()) {
            long top = s.every() - 1;
            long[] c = nth.computeIfAbsent(ref, k -> new long[] {top - s.packet()});
            c[0] = c[0] == top ? 0 : c[0] + 1;
            hit = c[0] == 0;
        } else {
            hit = state.random31() < s.probability();
        }
        return hit != s.inverted();
    }

    /**
     * owner_mt. Forwarded and received packets have no local socket: the match holds only when every option
     * given is negated. The host's own packets are taken as sent by root's processes (uid 0, gid 0): the dump
     * does not say which user runs which program (an assumption the trace of such a rule repeats).
     */
    private static boolean owner(Match.Owner o, PacketContext ctx) {
        if (!ctx.isLocallyGenerated()) {
            boolean allNegated = o.socketExists() != Match.FlagTest.SET
                    && o.uid().map(Match.IdRange::inverted).orElse(true)
                    && o.gid().map(Match.IdRange::inverted).orElse(true);
            return allNegated;
        }
        if (o.socketExists() == Match.FlagTest.NOT_SET) return false;
        if (o.uid().isPresent() && (0 >= o.uid().get().min() && 0 <= o.uid().get().max()) == o.uid().get().inverted()) return false;
        if (o.gid().isPresent() && (0 >= o.gid().get().min() && 0 <= o.gid().get().max()) == o.gid().get().inverted()) return false;
        return true;
    }

    /** xt_tcpmss: the MSS option's value; no options at all gives the inverse; truncated options hot-drop. */
    private static Result tcpmss(Match.TcpMss t, Datagram d) {
        if (d.protocol() != ConntrackTuple.TCP || d.isLaterFragment()) return Result.NO_MATCH;
        if (d.l4Available() < 20) return Result.HOTDROP;
        ByteBuf b = d.buf();
        int o = d.l4Offset();
        int doff = (b.getUnsignedByte(o + 12) >>> 4) * 4;
        if (doff < 20) return Result.HOTDROP;
        int optlen = doff - 20;
        if (optlen == 0) return of(t.inverted());
        if (d.l4Available() < doff) return Result.HOTDROP;
        for (int i = 0; i < optlen; ) {
            int kind = b.getUnsignedByte(o + 20 + i);
            if (kind == 2 && optlen - i >= 4 && b.getUnsignedByte(o + 21 + i) == 4) {
                int mss = b.getUnsignedShort(o + 22 + i);
                return of((mss >= t.min() && mss <= t.max()) != t.inverted());
            }
            if (kind < 2) {
                i++;
            } else {
                int len = i + 1 < optlen ? b.getUnsignedByte(o + 21 + i) : 0;
                i += len == 0 ? 1 : len;
            }
        }
        return of(t.inverted());
    }

    /**
     * xt_set (revision 4) over vnetlab's set types: the first dimension is an address, hash:ip,port's second
     * the protocol and port. Fewer directions than the set has dimensions never match (ip_set_test). A hash:net
     * member flagged nomatch answers "no" (or "yes" with --return-nomatch, which also turns plain hits to "no").
     */
    private boolean ipset(Match.SetMatch sm, Datagram d) {
        Optional<ExtensionState.SetContent> set = state.set(sm.name());
        boolean hit = set.isPresent() && test(set.get(), sm.directions(), d)
                .map(nomatch -> nomatch == sm.returnNomatch()).orElse(false);
        return hit != sm.inverted();
    }

    /** The most specific member that holds the packet's element: its nomatch flag; empty when none does. */
    static Optional<Boolean> test(ExtensionState.SetContent set, java.util.List<Match.SetDirection> dirs, Datagram d) {
        if (dirs.size() < set.type.dimensions()) return Optional.empty();
        Ipv4Address a = dirs.get(0) == Match.SetDirection.SRC ? d.source() : d.destination();
        int[] port = {0};
        if (set.type == org.vnetlab.emulator.netfilter.Ipset.Type.HASH_IP_PORT) {
            Optional<Integer> p = setPort(d, dirs.get(1) == Match.SetDirection.SRC);
            if (p.isEmpty()) return Optional.empty();
            port[0] = p.get();
        }
        org.vnetlab.emulator.netfilter.Ipset.Member best = null;
        for (org.vnetlab.emulator.netfilter.Ipset.Member m : set.members) {
            if (!m.contains(a)) continue;
            if (set.type == org.vnetlab.emulator.netfilter.Ipset.Type.HASH_IP_PORT
                    && (m.protocol() != d.protocol() || m.port() != port[0])) continue;
            if (best == null || m.prefixLength() > best.prefixLength()) best = m;
        }
        return best == null ? Optional.empty() : Optional.of(best.nomatch());
    }

    /**
     * -j SET: adds (--add-set) and deletes (--del-set) the packet's element; returns what happened, for the
     * trace. Timeouts are not kept: an added member stays.
     */
    String setTarget(org.vnetlab.emulator.netfilter.Target.SetTarget st, Datagram d) {
        StringBuilder sb = new StringBuilder();
        st.add().ifPresent(op -> sb.append(setChange(op, d, true)));
        st.delete().ifPresent(op -> sb.append(sb.length() > 0 ? "; " : "").append(setChange(op, d, false)));
        return sb.toString();
    }

    private String setChange(org.vnetlab.emulator.netfilter.Target.SetOperation op, Datagram d, boolean add) {
        Optional<ExtensionState.SetContent> set = state.set(op.set());
        String verb = add ? "add to " : "delete from ";
        if (set.isEmpty()) return verb + op.set() + ": no such set";
        ExtensionState.SetContent s = set.get();
        if (op.directions().size() < s.type.dimensions()) return verb + op.set() + ": too few src/dst directions (nothing done)";
        Ipv4Address a = op.directions().get(0) == Match.SetDirection.SRC ? d.source() : d.destination();
        int proto = 0, port = 0;
        if (s.type == org.vnetlab.emulator.netfilter.Ipset.Type.HASH_IP_PORT) {
            Optional<Integer> p = setPort(d, op.directions().get(1) == Match.SetDirection.SRC);
            if (p.isEmpty()) return verb + op.set() + ": the packet has no port (nothing done)";
            proto = d.protocol();
            port = p.get();
        }
        org.vnetlab.emulator.netfilter.Ipset.Member m = new org.vnetlab.emulator.netfilter.Ipset.Member(a, 32, proto, port, false);
        boolean present = s.members.contains(m);
        if (add && !present) s.members.add(m);
        if (!add) s.members.remove(m);
        String what = a + (s.type == org.vnetlab.emulator.netfilter.Ipset.Type.HASH_IP_PORT ? "," + proto + ":" + port : "");
        return verb + op.set() + " " + what + (add == present ? " (" + (add ? "already there" : "not there") + ")" : "");
    }

    /** ip_set_get_ip4_port: TCP/UDP/SCTP/UDPLITE ports, ICMP type<<8|code; other protocols have none. */
    static Optional<Integer> setPort(Datagram d, boolean source) {
        int p = d.protocol();
        if (d.isLaterFragment()) return Optional.empty();
        if (p == ConntrackTuple.TCP || p == ConntrackTuple.UDP || p == ConntrackTuple.UDPLITE || p == ConntrackTuple.SCTP) {
            if (d.l4Available() < 4) return Optional.empty();
            return Optional.of(d.buf().getUnsignedShort(d.l4Offset() + (source ? 0 : 2)));
        }
        if (p == ConntrackTuple.ICMP) {
            if (d.l4Available() < 2) return Optional.empty();
            return Optional.of((d.buf().getUnsignedByte(d.l4Offset()) << 8) | d.buf().getUnsignedByte(d.l4Offset() + 1));
        }
        return Optional.empty();
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
