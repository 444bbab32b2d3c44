package org.vnetlab.emulator.conntrack;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * The connection table: confirmed entries hashed by both their tuples (the kernel's one hash of
 * tuplehash[ORIGINAL] and tuplehash[REPLY]), the count of all entries including unconfirmed ones (what
 * {@code nf_conntrack_max} limits), event delivery and expiry on the emulated clock. A plain component:
 * the netfilter hooks call {@link #in}, {@link #confirm} and {@link #discard}; {@link FastPath} serves the
 * packets of established flows from the same state.
 *
 * <p>Entries live in an {@link EntryStore} (primitive arrays by slot) and the hash is a {@link TupleIndex}
 * (open addressing over an int array, sized for {@code nf_conntrack_max} like the kernel's hashsize), so a
 * million connections cost tens of bytes each. Listing, expiry and early drop go through entries in the
 * order they were created (the id order).
 */
public final class ConntrackTable {
    final EntryStore store = new EntryStore();
    final TupleIndex index;
    private final List<Consumer<ConntrackEvent>> listeners = new ArrayList<>();
    /** Kernel log warnings, with the time of the packet that caused them. */
    private final ObjLongConsumer<String> kernelLog;
    private ConntrackSettings settings;
    /** The settings the fast path reads per packet, in nanoseconds; follows {@link #settings}. */
    private FastSettings fast;
    /** Clash losers inserted with their reply tuple only (IPS_NAT_CLASH): not listed, gone after a second. */
    private final List<ConntrackEntry> hidden = new ArrayList<>();
    private int count;
    private long clashResolve;
    private long insertFailed;
    /** nf_nat_bysource: chains (through the store) of source-NATed entries by original protocol, source, key. */
    /** Heads (slot + 1) of the chains, a power of two of them, in {@link IntPages}. */
    private int[][] bySource;
    private int bySourceLength;
    private int bySourceCount;

    public ConntrackTable(ConntrackSettings settings, ObjLongConsumer<String> kernelLog) {
        this.settings = settings;
        this.fast = new FastSettings(settings);
        this.kernelLog = kernelLog;
        this.index = new TupleIndex(store, Math.max(0, Math.min(settings.max(), 1 << 22)));
        this.bySourceLength = Integer.highestOneBit(Math.max(16, Math.min(settings.max(), 1 << 22) / 2));
        this.bySource = IntPages.of(bySourceLength);
    }

    ConntrackEntry entry(int slot) { return new ConntrackEntry(store, slot); }

    public ConntrackSettings settings() { return settings; }

    public void setSettings(ConntrackSettings s) {
        settings = s;
        fast = new FastSettings(s);
    }

    FastSettings fastSettings() { return fast; }

    public void addListener(Consumer<ConntrackEvent> l) { listeners.add(l); }

    /** Every entry that exists, confirmed or not ({@code nf_conntrack_count}). */
    public int count() { return count; }

    /** Confirmed entries in the order they were created. */
    public List<ConntrackEntry> entries() {
        int[] slots = liveSlots();
        List<ConntrackEntry> out = new ArrayList<>(slots.length);
        for (int s : slots) out.add(entry(s));
        return List.copyOf(out);
    }

    /** Slots of the confirmed, living entries in id (creation) order. */
    private int[] liveSlots() {
        int n = store.highWater();
        long[] keyed = new long[Math.max(count, 0) + 1];
        int k = 0;
        int confirmed = 1 << Status.CONFIRMED.ordinal(), dying = 1 << Status.DYING.ordinal(),
                clash = 1 << Status.NAT_CLASH.ordinal();
        for (int s = 0; s < n; s++) {
            int st = store.status(s);
            if ((st & confirmed) == 0 || (st & (dying | clash)) != 0) continue; // clash losers are not listed
            if (k == keyed.length) keyed = Arrays.copyOf(keyed, k * 2);
            keyed[k++] = (store.id(s) & 0xffff_ffffL) << 32 | s;
        }
        Arrays.sort(keyed, 0, k);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) out[i] = (int) keyed[i];
        return out;
    }

    /** The confirmed entry one of whose tuples equals {@code t} (nf_conntrack_find_get). */
    public Optional<ConntrackEntry> find(ConntrackTuple t) {
        int ref = index.find(t);
        return ref < 0 ? Optional.empty() : Optional.of(entry(ref >>> 1));
    }

    /** nf_conntrack_tuple_taken: is {@code t} already some other confirmed entry's tuple? */
    public boolean isTaken(ConntrackTuple t, ConntrackEntry ignored) {
        int ref = index.find(t);
        return ref >= 0 && (ref >>> 1) != ignored.slot();
    }

    /** Which direction of its entry {@code t} is. */
    static Direction directionOf(ConntrackEntry e, ConntrackTuple t) {
        return e.original().equals(t) ? Direction.ORIGINAL : Direction.REPLY;
    }

    /** Removes expired entries (the kernel's GC), emitting DESTROY events at their expiry time. */
    public void expire(long now) {
        if (now < store.earliestTimeout) return;
        List<ConntrackEntry> dead = new ArrayList<>();
        long earliest = Long.MAX_VALUE;
        for (int s : liveSlots()) {
            long t = store.timeout(s);
            if (now >= t) dead.add(entry(s));
            else earliest = Math.min(earliest, t);
        }
        for (ConntrackEntry e : hidden) {
            if (e.expired(now)) dead.add(e);
            else earliest = Math.min(earliest, e.expiresAtNanos());
        }
        store.earliestTimeout = earliest;
        for (ConntrackEntry e : dead) kill(e, e.expiresAtNanos());
    }

    /** nf_ct_kill: removes a confirmed entry now and reports DESTROY. */
    public void kill(ConntrackEntry e, long now) {
        if (e.isDying()) return;
        int slot = e.slot();
        if (e.isConfirmed() && hidden.remove(e)) { // indexed by its reply tuple only; never reported, not reported gone
            index.remove(slot, 1);
            e.setStatus(Status.DYING);
            count--;
        } else if (e.isConfirmed()) {
            index.remove(slot, 0);
            index.remove(slot, 1);
            if (e.has(Status.SRC_NAT_DONE)) unlinkBySource(slot);
            e.setStatus(Status.DYING);
            count--;
            if (!listeners.isEmpty()) {
                emit(ConntrackEvent.of(now, ConntrackEvent.Type.DESTROY, Set.of(ConntrackEvent.Kind.DESTROY), e));
            }
        } else {
            e.setStatus(Status.DYING);
        }
        store.release(slot);
    }

    /** Drops an unconfirmed entry whose packet died before the confirm point (it leaves no trace). */
    public void discard(ConntrackEntry e) {
        if (!e.isConfirmed() && !e.has(Status.DYING)) {
            e.setStatus(Status.DYING);
            count--;
            store.release(e.slot());
        }
    }

    /**
     * nf_conntrack_in for an IPv4 datagram: finds or creates the connection and runs the protocol tracker.
     * {@code prerouting} enables the checksum checks the kernel makes only there.
     */
    public Lookup in(Datagram d, boolean prerouting, long now) {
        expire(now);
        if (d.isLaterFragment() || d.moreFragments()) {
            return new Lookup.Invalid("fragment (not reassembled: no IP fragment queue behind this hook)");
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
        // TCP's header facts, read once for the error checks and the tracker
        Optional<TcpSegmentFacts> seg = d.protocol() == ConntrackTuple.TCP ? TcpSegmentFacts.read(d) : Optional.empty();
        String error = l4Error(d, seg, prerouting);
        if (error != null) return new Lookup.Invalid(error);

        for (int attempt = 0; attempt < 2; attempt++) {
            int ref = index.find(tuple.get());
            ConntrackEntry e = ref < 0 ? null : entry(ref >>> 1);
            CtInfo info;
            boolean created = false;
            if (e == null) {
                if (!tuple.get().invertible()) {
                    // an ICMP reply type without a request: the tracker refuses to start a flow with it
                    return new Lookup.Invalid("icmp: invalid new (type " + tuple.get().icmpType() + ")");
                }
                if (settings.max() > 0 && count + 1 > settings.max() && !earlyDrop(now)) {
                    kernelLog.accept("nf_conntrack: nf_conntrack: table full, dropping packet", now);
                    return new Lookup.Drop("nf_conntrack: table full");
                }
                e = entry(store.allocate(tuple.get(), settings.acct()));
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
            Outcome o = track(e, info, d, seg, now, created);
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
            if (settings.acct()) e.account(info.direction(), d.totalLength());
            return new Lookup.Tracked(e, info, created);
        }
        return new Lookup.Invalid("tcp: reopened connection could not be tracked");
    }

    private enum Outcome { ACCEPT, INVALID, REPEAT, KILL }

    /** The per-protocol packet handlers: state, timeout, ASSURED. */
    private Outcome track(ConntrackEntry e, CtInfo info, Datagram d, Optional<TcpSegmentFacts> seg, long now,
                          boolean created) {
        switch (e.protocol()) {
            case ConntrackTuple.TCP -> {
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
                if (!e.isConfirmed()) e.setUdpStreamDeadline(now + 2_000_000_000L);
                if (e.has(Status.SEEN_REPLY)) {
                    boolean stream = false;
                    java.time.Duration extra = settings.udpTimeout();
                    if (pastStreamDeadline(now, e.udpStreamDeadlineJiffies())) {
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

    /** time_after(jiffies, stream_ts) on the 32-bit jiffies the store keeps. */
    static boolean pastStreamDeadline(long now, long deadlineJiffies) {
        return (int) jiffies(now) - (int) deadlineJiffies > 0;
    }

    /** tcp_error / udp_error: truncation, bad checksum (PREROUTING only), impossible TCP flags. */
    private String l4Error(Datagram d, Optional<TcpSegmentFacts> seg, boolean prerouting) {
        ByteBuf b = d.buf();
        int o = d.l4Offset();
        if (d.protocol() == ConntrackTuple.TCP) {
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
        int ref = index.find(innerTuple.get());
        if (ref < 0) return new Lookup.Invalid("icmp: no connection for the quoted packet");
        ConntrackEntry e = entry(ref >>> 1);
        Direction dir = directionOf(e, innerTuple.get());
        if (!e.tuple(dir).destination().equals(d.destination())) {
            return new Lookup.Invalid("icmp: outer daddr " + d.destination() + " != inner " + e.tuple(dir).destination());
        }
        return new Lookup.Tracked(e, CtInfo.related(dir), false);
    }

    /** early_drop: evict one entry that is not ASSURED (or a closing TCP one). */
    private boolean earlyDrop(long now) {
        for (int s : liveSlots()) {
            ConntrackEntry e = entry(s);
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
        ConntrackEntry.Tcp t = e.tcp();
        TcpState old = t.state();
        t.setState(TcpState.CLOSE);
        if (old == TcpState.CLOSE || e.has(Status.FIXED_TIMEOUT)) return;
        e.refresh(settings.tcpTimeout(TcpState.CLOSE), now);
        e.cacheEvent(ConntrackEvent.Kind.PROTOINFO);
    }

    /** Whether one of the unconfirmed {@code e}'s tuples is already another entry's (it lost an insertion race). */
    public boolean clashes(ConntrackEntry e) {
        return !e.isConfirmed() && (isTaken(e.original(), e) || isTaken(e.reply(), e));
    }

    /**
     * nf_ct_resolve_clash: {@code loser}, not yet confirmed, finds one of its tuples taken at the confirm
     * point: another packet of the same new flow created and confirmed an entry first (in the kernel, two
     * CPUs sending the first datagrams of a UDP flow at once, as DNS resolvers send A and AAAA queries; in
     * vnetlab only an interleaving a test builds can do that). For protocols that allow it (UDP, UDPLITE,
     * ICMP, GRE, SCTP) the packet survives: it joins the winner when the winner has no NAT yet or the same
     * tuples both ways; otherwise (the two chose different NAT, e.g. different DNAT targets) the loser is
     * inserted under its reply tuple only, unlisted, for one second (IPS_NAT_CLASH | IPS_FIXED_TIMEOUT), so
     * the answer to its packet still finds its way back. Anything else is dropped (insert_failed).
     * Returns the entry the packet goes on with, or empty when it must be dropped.
     */
    public Optional<ConntrackEntry> resolveClash(ConntrackEntry loser, long now) {
        int ref = index.find(loser.original());
        if (ref < 0) ref = index.find(loser.reply());
        ConntrackEntry winner = ref < 0 ? null : entry(ref >>> 1);
        if (winner == null || winner.equals(loser)) return Optional.of(loser);
        if (allowsClash(loser.protocol()) && !winner.isDying()) {
            boolean winnerWithoutNat = !winner.has(Status.SRC_NAT_DONE) && !winner.has(Status.DST_NAT_DONE);
            if (winnerWithoutNat || (winner.original().equals(loser.original()) && winner.reply().equals(loser.reply()))) {
                discard(loser);
                clashResolve++;
                return Optional.of(winner);
            }
            if (index.find(loser.reply()) < 0) {
                loser.setStatus(Status.FIXED_TIMEOUT);
                loser.setStatus(Status.NAT_CLASH);
                loser.confirm(now);
                loser.setTimeoutAt(now + 1_000_000_000L);
                index.insert(loser.slot(), 1);
                hidden.add(loser);
                clashResolve++;
                return Optional.of(loser);
            }
        }
        discard(loser);
        insertFailed++;
        return Optional.empty();
    }

    private static boolean allowsClash(int protocol) {
        return protocol == ConntrackTuple.UDP || protocol == ConntrackTuple.UDPLITE || protocol == ConntrackTuple.ICMP
                || protocol == 47 || protocol == ConntrackTuple.SCTP;
    }

    /** {@code conntrack -S}'s clash_resolve: packets kept through {@link #resolveClash}. */
    public long clashResolve() { return clashResolve; }

    /** {@code conntrack -S}'s insert_failed: packets dropped because their entry lost a race it may not survive. */
    public long insertFailed() { return insertFailed; }

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
        int slot = e.slot();
        if (index.findStored(slot, 0) >= 0 || index.findStored(slot, 1) >= 0) {
            discard(e);
            insertFailed++;
            return false;
        }
        e.confirm(now);
        index.insert(e.slot(), 0);
        index.insert(e.slot(), 1);
        if (e.has(Status.SRC_NAT_DONE)) linkBySource(e.slot());
        e.cacheEvent(e.has(Status.EXPECTED) ? ConntrackEvent.Kind.RELATED : ConntrackEvent.Kind.NEW);
        deliverEvents(e, now);
        return true;
    }

    private void deliverEvents(ConntrackEntry e, long now) {
        if (e.isDying()) return;
        if (listeners.isEmpty()) { // nobody listens: the pending events are dropped unformatted
            e.clearEvents();
            return;
        }
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
        List<ConntrackEntry> all = entries();
        for (ConntrackEntry e : all) sb.append(e.format(now, true)).append('\n');
        sb.append("conntrack v1.4.7 (conntrack-tools): ").append(all.size())
                .append(" flow entries have been shown.\n");
        return sb.toString();
    }

    // --- NAT support: the bysource index and reply-tuple changes ---

    /**
     * Confirmed, source-NATed entries whose original source (protocol, address, key) equals that of {@code t}
     * (find_appropriate_src's walk of the bysource hash), oldest first.
     */
    List<ConntrackEntry> sameSource(ConntrackTuple t) {
        int source = t.source().bits();
        long[] found = null;
        int n = 0;
        for (int s = IntPages.get(bySource, bucket(t.protocol(), source, t.sourceKey())) - 1; s >= 0; s = store.nextBySource(s) - 1) {
            long addr = store.word(s, EntryStore.W_ORIG);
            if (store.protocol(s) == t.protocol() && (int) (addr >>> 32) == source && store.keys(s, 0) >>> 16 == t.sourceKey()
                    && !store.has(s, Status.DYING)) {
                if (found == null) found = new long[4];
                else if (n == found.length) found = Arrays.copyOf(found, n * 2);
                found[n++] = (store.id(s) & 0xffff_ffffL) << 32 | s;
            }
        }
        if (n == 0) return List.of();
        Arrays.sort(found, 0, n);
        List<ConntrackEntry> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(entry((int) found[i]));
        return out;
    }

    private int bucket(int protocol, int source, int key) {
        long h = TupleIndex.hash(protocol, source, 0, key);
        return (int) h & (bySourceLength - 1);
    }

    private int bucketOf(int slot) {
        return bucket(store.protocol(slot), (int) (store.word(slot, EntryStore.W_ORIG) >>> 32), store.keys(slot, 0) >>> 16);
    }

    private void linkBySource(int slot) {
        if (bySourceCount + 1 > 2 * bySourceLength) rehashBySource(bySourceLength * 2);
        int b = bucketOf(slot);
        store.setNextBySource(slot, IntPages.get(bySource, b));
        IntPages.set(bySource, b, slot + 1);
        bySourceCount++;
    }

    private void unlinkBySource(int slot) {
        int b = bucketOf(slot);
        int prev = -1;
        for (int s = IntPages.get(bySource, b) - 1; s >= 0; prev = s, s = store.nextBySource(s) - 1) {
            if (s != slot) continue;
            if (prev < 0) IntPages.set(bySource, b, store.nextBySource(s));
            else store.setNextBySource(prev, store.nextBySource(s));
            bySourceCount--;
            return;
        }
        throw new IllegalStateException("slot " + slot + " not in its bysource chain");
    }

    private void rehashBySource(int size) {
        int[][] old = bySource;
        bySource = IntPages.of(size);
        bySourceLength = size;
        for (int[] page : old) {
            for (int head : page) {
                for (int s = head - 1; s >= 0; ) {
                    int next = store.nextBySource(s) - 1;
                    int b = bucketOf(s);
                    store.setNextBySource(s, IntPages.get(bySource, b));
                    IntPages.set(bySource, b, s + 1);
                    s = next;
                }
            }
        }
    }
}
