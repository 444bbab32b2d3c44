package org.vnetlab.emulator.conntrack;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * The connection table: confirmed entries hashed by both their tuples (the kernel's one hash of
 * tuplehash[ORIGINAL] and tuplehash[REPLY]), the count of all entries including unconfirmed ones (what
 * {@code nf_conntrack_max} limits), event delivery and expiry on the emulated clock. A plain component:
 * the netfilter hooks call {@link #in}, {@link #confirm} and {@link #discard}.
 */
public final class ConntrackTable {
    private final Map<ConntrackTuple, ConntrackEntry> byTuple = new HashMap<>();
    /** Confirmed entries in insertion order, for {@code conntrack -L}. */
    private final Map<Long, ConntrackEntry> entries = new LinkedHashMap<>();
    private final List<Consumer<ConntrackEvent>> listeners = new ArrayList<>();
    /** Kernel log warnings, with the time of the packet that caused them. */
    private final ObjLongConsumer<String> kernelLog;
    private ConntrackSettings settings;
    private long nextId = 1;
    private int count;

    public ConntrackTable(ConntrackSettings settings, ObjLongConsumer<String> kernelLog) {
        this.settings = settings;
        this.kernelLog = kernelLog;
    }

    public ConntrackSettings settings() { return settings; }

    public void setSettings(ConntrackSettings s) { settings = s; }

    public void addListener(Consumer<ConntrackEvent> l) { listeners.add(l); }

    /** Every entry that exists, confirmed or not ({@code nf_conntrack_count}). */
    public int count() { return count; }

    /** Confirmed entries in the order they were confirmed. */
    public List<ConntrackEntry> entries() { return List.copyOf(entries.values()); }

    /** The confirmed entry one of whose tuples equals {@code t} (nf_conntrack_find_get). */
    public Optional<ConntrackEntry> find(ConntrackTuple t) { return Optional.ofNullable(byTuple.get(t)); }

    /** nf_conntrack_tuple_taken: is {@code t} already some other confirmed entry's tuple? */
    public boolean isTaken(ConntrackTuple t, ConntrackEntry ignored) {
        ConntrackEntry e = byTuple.get(t);
        return e != null && e != ignored;
    }

    /** Which direction of its entry {@code t} is. */
    static Direction directionOf(ConntrackEntry e, ConntrackTuple t) {
        return e.original().equals(t) ? Direction.ORIGINAL : Direction.REPLY;
    }

    /** Removes expired entries (the kernel's GC), emitting DESTROY events at their expiry time. */
    public void expire(long now) {
        List<ConntrackEntry> dead = new ArrayList<>();
        for (ConntrackEntry e : entries.values()) if (e.expired(now)) dead.add(e);
        for (ConntrackEntry e : dead) kill(e, e.expiresAtNanos());
    }

    /** nf_ct_kill: removes a confirmed entry now and reports DESTROY. */
    public void kill(ConntrackEntry e, long now) {
        if (e.isDying()) return;
        e.setStatus(Status.DYING);
        if (e.isConfirmed()) {
            byTuple.remove(e.original(), e);
            byTuple.remove(e.reply(), e);
            entries.remove(e.id());
            count--;
            emit(ConntrackEvent.of(now, ConntrackEvent.Type.DESTROY, Set.of(ConntrackEvent.Kind.DESTROY), e));
        }
    }

    /** Drops an unconfirmed entry whose packet died before the confirm point (it leaves no trace). */
    public void discard(ConntrackEntry e) {
        if (!e.isConfirmed() && !e.has(Status.DYING)) {
            e.setStatus(Status.DYING);
            count--;
        }
    }

    /**
     * nf_conntrack_in for an IPv4 datagram: finds or creates the connection and runs the protocol tracker.
     * {@code prerouting} enables the checksum checks the kernel makes only there.
     */
    public Lookup in(Datagram d, boolean prerouting, long now) {
        expire(now);
        if (d.isLaterFragment() || d.moreFragments()) {
            return new Lookup.Invalid("fragment (vnetlab does not reassemble before conntrack)");
        }
        if (d.protocol() == ConntrackTuple.ICMP) {
            if (d.l4Available() < 8) return new Lookup.Invalid("icmp: short packet");
            if (prerouting && settings.checksum() && !InternetChecksum.verify(d.buf(), d.l4Offset(), d.l4Length())) {
                return new Lookup.Invalid("icmp: bad hw icmp checksum");
            }
            int type = d.buf().getUnsignedByte(d.l4Offset());
            if (type > IcmpTypes.MAX_TYPE) return new Lookup.Invalid("icmp: invalid icmp type");
            if (IcmpTypes.isError(type)) return related(d);
        }
        Optional<ConntrackTuple> tuple = d.tuple();
        if (tuple.isEmpty()) return new Lookup.Invalid(ConntrackProtocols.name(d.protocol()) + ": short packet");
        String error = l4Error(d, prerouting);
        if (error != null) return new Lookup.Invalid(error);

        for (int attempt = 0; attempt < 2; attempt++) {
            ConntrackEntry e = byTuple.get(tuple.get());
            CtInfo info;
            boolean created = false;
            if (e == null) {
                Optional<ConntrackTuple> inv = tuple.get().invert();
                if (inv.isEmpty()) {
                    // an ICMP reply type without a request: the tracker refuses to start a flow with it
                    return new Lookup.Invalid("icmp: invalid new (type " + tuple.get().icmpType() + ")");
                }
                if (settings.max() > 0 && count + 1 > settings.max() && !earlyDrop(now)) {
                    kernelLog.accept("nf_conntrack: nf_conntrack: table full, dropping packet", now);
                    return new Lookup.Drop("nf_conntrack: table full");
                }
                e = new ConntrackEntry(nextId++, tuple.get());
                count++;
                info = CtInfo.NEW;
                created = true;
            } else {
                Direction dir = directionOf(e, tuple.get());
                if (dir == Direction.REPLY) info = CtInfo.ESTABLISHED_REPLY;
                else if (e.has(Status.SEEN_REPLY)) info = CtInfo.ESTABLISHED;
                else if (e.has(Status.EXPECTED)) info = CtInfo.RELATED;
                else info = CtInfo.NEW;
            }
            Outcome o = track(e, info, d, now, created);
            switch (o) {
                case REPEAT -> {
                    kill(e, now);
                    continue;
                }
                case INVALID -> {
                    if (created) discard(e);
                    return new Lookup.Invalid(ConntrackProtocols.name(d.protocol()) + ": packet not in state machine or window");
                }
                default -> { }
            }
            // the tracker's kill reports DESTROY before nf_conntrack_in sets SEEN_REPLY: still [UNREPLIED]
            if (o == Outcome.KILL) kill(e, now);
            if (info == CtInfo.ESTABLISHED_REPLY && !e.has(Status.SEEN_REPLY)) {
                e.setStatus(Status.SEEN_REPLY);
                e.cacheEvent(ConntrackEvent.Kind.REPLY);
            }
            e.account(info.direction(), d.totalLength());
            return new Lookup.Tracked(e, info, created);
        }
        return new Lookup.Invalid("tcp: reopened connection could not be tracked");
    }

    private enum Outcome { ACCEPT, INVALID, REPEAT, KILL }

    /** The per-protocol packet handlers: state, timeout, ASSURED. */
    private Outcome track(ConntrackEntry e, CtInfo info, Datagram d, long now, boolean created) {
        switch (e.protocol()) {
            case ConntrackTuple.TCP -> {
                Optional<TcpSegmentFacts> seg = TcpSegmentFacts.read(d);
                if (seg.isEmpty()) return Outcome.INVALID;
                if (!e.isConfirmed() && created && !TcpTracker.startNew(e.tcp(), seg.get(), settings)) return Outcome.INVALID;
                return switch (TcpTracker.packet(e, info.direction(), seg.get(), settings, now)) {
                    case ACCEPT, IGNORE -> Outcome.ACCEPT;
                    case INVALID -> Outcome.INVALID;
                    case REPEAT -> Outcome.REPEAT;
                    case KILL -> Outcome.KILL;
                };
            }
            case ConntrackTuple.UDP, ConntrackTuple.UDPLITE -> {
                if (!e.isConfirmed()) e.udpStreamDeadline = now + 2_000_000_000L;
                if (e.has(Status.SEEN_REPLY)) {
                    boolean stream = false;
                    java.time.Duration extra = settings.udpTimeout();
                    if (jiffies(now) > jiffies(e.udpStreamDeadline)) {
                        extra = settings.udpStreamTimeout();
                        stream = !e.has(Status.ASSURED);
                    }
                    e.refresh(extra, now);
                    if (stream && !e.has(Status.NAT_CLASH)) {
                        e.setStatus(Status.ASSURED);
                        e.cacheEvent(ConntrackEvent.Kind.ASSURED);
                    }
                } else {
                    e.refresh(settings.udpTimeout(), now);
                }
                return Outcome.ACCEPT;
            }
            case ConntrackTuple.ICMP -> {
                if (!IcmpTypes.startsFlow(e.original().icmpType())) return Outcome.INVALID;
                e.refresh(settings.icmpTimeout(), now);
                return Outcome.ACCEPT;
            }
            default -> {
                e.refresh(settings.genericTimeout(), now);
                return Outcome.ACCEPT;
            }
        }
    }

    private static long jiffies(long nanos) { return Math.floorDiv(nanos, 1_000_000L); }

    /** tcp_error / udp_error: truncation, bad checksum (PREROUTING only), impossible TCP flags. */
    private String l4Error(Datagram d, boolean prerouting) {
        ByteBuf b = d.buf();
        int o = d.l4Offset();
        if (d.protocol() == ConntrackTuple.TCP) {
            Optional<TcpSegmentFacts> seg = TcpSegmentFacts.read(d);
            if (seg.isEmpty()) return "tcp: truncated packet";
            if (prerouting && settings.checksum() && !l4ChecksumOk(d)) return "tcp: bad checksum";
            if (!TcpTracker.validFlags(seg.get().flags())) return "tcp: invalid tcp flag combination";
        } else if (d.protocol() == ConntrackTuple.UDP) {
            if (d.l4Available() < 8) return "udp: short packet";
            int len = b.getUnsignedShort(o + 4);
            if (len > d.l4Length() || len < 8) return "udp: truncated/malformed packet";
            if (b.getUnsignedShort(o + 6) != 0 && prerouting && settings.checksum() && !l4ChecksumOk(d)) {
                return "udp: bad checksum";
            }
        }
        return null;
    }

    private static boolean l4ChecksumOk(Datagram d) {
        if (d.l4Available() < d.l4Length()) return true; // not all bytes here: cannot check, like CHECKSUM_UNNECESSARY
        long sum = InternetChecksum.partialSum(d.buf(), d.l4Offset(), d.l4Length(),
                InternetChecksum.pseudoHeaderSum(d.source().bits(), d.destination().bits(), d.protocol(), d.l4Length()));
        return InternetChecksum.fold(sum) == 0xffff;
    }

    /** An ICMP error: RELATED to the connection of the datagram it quotes (nf_conntrack_inet_error). */
    private Lookup related(Datagram d) {
        Optional<Datagram> inner = Datagram.read(d.buf(), d.l4Offset() + 8, d.l4Available() - 8);
        if (inner.isEmpty()) return new Lookup.Invalid("icmp: no inner IP header");
        Optional<ConntrackTuple> orig = inner.get().tuple();
        if (orig.isEmpty()) return new Lookup.Invalid("icmp: inner transport header missing");
        Optional<ConntrackTuple> innerTuple = orig.get().invert();
        if (innerTuple.isEmpty()) return new Lookup.Invalid("icmp: quoted packet has no connection (not invertible)");
        ConntrackEntry e = byTuple.get(innerTuple.get());
        if (e == null) return new Lookup.Invalid("icmp: no connection for the quoted packet");
        Direction dir = directionOf(e, innerTuple.get());
        if (!e.tuple(dir).destination().equals(d.destination())) {
            return new Lookup.Invalid("icmp: outer daddr " + d.destination() + " != inner " + e.tuple(dir).destination());
        }
        return new Lookup.Tracked(e, CtInfo.related(dir), false);
    }

    /** early_drop: evict one entry that is not ASSURED (or a closing TCP one). */
    private boolean earlyDrop(long now) {
        for (ConntrackEntry e : entries.values()) {
            if (!e.has(Status.ASSURED) || (e.protocol() == ConntrackTuple.TCP && e.tcpState().canEarlyDrop())) {
                kill(e, now);
                return true;
            }
        }
        return false;
    }

    /**
     * nf_ct_set_closing (nf_conntrack_tcp_set_closing), called when a REJECT answers a TCP segment with a
     * reset: a confirmed TCP connection goes to CLOSE with CLOSE's timeout (10 s), so an established
     * connection killed by a reset rule does not linger for days. Unconfirmed entries are left alone (they
     * never reach the table), so are connections already closing and fixed-timeout ones. The state change is
     * an event delivered when the reset passes the confirm point.
     */
    public void setClosing(ConntrackEntry e, long now) {
        if (e.protocol() != ConntrackTuple.TCP || !e.isConfirmed()) return;
        TcpState old = e.tcp().state;
        e.tcp().state = TcpState.CLOSE;
        if (old == TcpState.CLOSE || e.has(Status.FIXED_TIMEOUT)) return;
        e.refresh(settings.tcpTimeout(TcpState.CLOSE), now);
        e.cacheEvent(ConntrackEvent.Kind.PROTOINFO);
    }

    /**
     * __nf_conntrack_confirm: the packet that created {@code e} survived to the end of POSTROUTING or INPUT.
     * Returns false (the packet must be dropped) when another entry took one of its tuples meanwhile.
     */
    public boolean confirm(ConntrackEntry e, CtInfo info, long now) {
        if (e.isConfirmed()) {
            deliverEvents(e, now);
            return true;
        }
        if (info.direction() != Direction.ORIGINAL || e.isDying()) return true;
        if (byTuple.containsKey(e.original()) || byTuple.containsKey(e.reply())) {
            discard(e);
            return false;
        }
        e.confirm(now);
        byTuple.put(e.original(), e);
        byTuple.put(e.reply(), e);
        entries.put(e.id(), e);
        e.cacheEvent(e.has(Status.EXPECTED) ? ConntrackEvent.Kind.RELATED : ConntrackEvent.Kind.NEW);
        deliverEvents(e, now);
        return true;
    }

    private void deliverEvents(ConntrackEntry e, long now) {
        if (e.isDying()) return;
        Set<ConntrackEvent.Kind> kinds = e.takeEvents();
        if (kinds.isEmpty()) return;
        ConntrackEvent.Type t = kinds.contains(ConntrackEvent.Kind.NEW) || kinds.contains(ConntrackEvent.Kind.RELATED)
                ? ConntrackEvent.Type.NEW : ConntrackEvent.Type.UPDATE;
        emit(ConntrackEvent.of(now, t, kinds, e));
    }

    private void emit(ConntrackEvent ev) {
        for (Consumer<ConntrackEvent> l : listeners) l.accept(ev);
    }

    /** {@code conntrack -L}: one line per confirmed entry. */
    public String list(long now) {
        expire(now);
        StringBuilder sb = new StringBuilder();
        for (ConntrackEntry e : entries.values()) sb.append(e.format(now, true)).append('\n');
        sb.append("conntrack v1.4.7 (conntrack-tools): ").append(entries.size())
                .append(" flow entries have been shown.\n");
        return sb.toString();
    }

    // --- NAT support: the bysource index and reply-tuple changes ---

    /** Entries whose original source (protocol, address, key) equals that of {@code t} (find_appropriate_src). */
    List<ConntrackEntry> sameSource(ConntrackTuple t) {
        List<ConntrackEntry> out = new ArrayList<>();
        for (ConntrackEntry e : entries.values()) {
            ConntrackTuple o = e.original();
            if ((e.has(Status.SRC_NAT_DONE)) && o.protocol() == t.protocol() && o.source().equals(t.source())
                    && o.sourceKey() == t.sourceKey()) {
                out.add(e);
            }
        }
        return out;
    }
}
