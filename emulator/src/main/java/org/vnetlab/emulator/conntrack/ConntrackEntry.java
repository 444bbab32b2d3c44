package org.vnetlab.emulator.conntrack;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * One tracked connection (struct nf_conn): its original and reply tuples (the reply one altered by NAT),
 * status bits, timeout, protocol state, connection mark and per-direction counters. The state itself lives
 * in the table's {@link EntryStore} (primitive arrays, no object per connection); this is a handle on it,
 * made when the slow path needs one. Handles of one connection are equal. Before confirmation the timeout
 * is relative, afterwards it is an absolute point of the emulated clock, as in the kernel.
 */
public final class ConntrackEntry {
    private final EntryStore store;
    private final int slot;
    private final int id;

    ConntrackEntry(EntryStore store, int slot) {
        this.store = store;
        this.slot = slot;
        this.id = store.id(slot);
    }

    /** The slot, after checking that it still holds this connection (a reused slot is another one). */
    int slot() {
        if (store.id(slot) != id) {
            throw new IllegalStateException("conntrack entry id=" + id() + " was freed and its slot reused");
        }
        return slot;
    }

    /** An identifier like conntrack's {@code id=}; deterministic here (a counter), random in the kernel. */
    public long id() { return id & 0xffff_ffffL; }

    public ConntrackTuple original() { return store.tuple(slot(), Direction.ORIGINAL); }

    public ConntrackTuple reply() { return store.tuple(slot(), Direction.REPLY); }

    public ConntrackTuple tuple(Direction d) { return store.tuple(slot(), d); }

    /** Direction {@code d}'s source address (high 32 bits) and destination address, as the store packs them. */
    long addresses(Direction d) { return store.word(slot(), d == Direction.ORIGINAL ? EntryStore.W_ORIG : EntryStore.W_REPLY); }

    /** Direction {@code d}'s {@code sourceKey << 16 | destinationKey}. */
    int keys(Direction d) { return store.keys(slot(), d.ordinal()); }

    public int protocol() { return store.protocol(slot()); }

    public boolean has(Status s) { return store.has(slot(), s); }

    public Set<Status> status() {
        EnumSet<Status> out = EnumSet.noneOf(Status.class);
        int bits = store.status(slot());
        for (Status s : Status.values()) if ((bits & (1 << s.ordinal())) != 0) out.add(s);
        return Set.copyOf(out);
    }

    public boolean isConfirmed() { return has(Status.CONFIRMED); }

    public boolean isDying() { return has(Status.DYING); }

    /** The TCP state; NONE for other protocols. */
    public TcpState tcpState() { return protocol() == ConntrackTuple.TCP ? tcp().state() : TcpState.NONE; }

    public long mark() { return store.mark(slot()) & 0xffff_ffffL; }

    public void setMark(long mark) {
        if (mark() != mark) {
            store.setMark(slot(), (int) mark);
            cacheEvent(ConntrackEvent.Kind.MARK);
        }
    }

    /** The interface MASQUERADE used (nat->masq_index), so the entry can be flushed when it goes down. */
    public Optional<String> masqueradeInterface() { return Optional.ofNullable(store.masqueradeInterface(slot())); }

    void setMasqueradeInterface(String ifname) { store.setMasqueradeInterface(slot(), ifname); }

    /** Packets seen in direction {@code d}; 0 unless accounting ({@code nf_conntrack_acct}) was on. */
    public long packets(Direction d) { return store.counter(slot(), d.ordinal(), false); }

    /** Bytes (IP total length) seen in direction {@code d}; 0 unless accounting was on. */
    public long bytes(Direction d) { return store.counter(slot(), d.ordinal(), true); }

    /** Seconds left before the entry expires, as conntrack(8) prints them (whole jiffies at HZ=1000). */
    public long remainingSeconds(long nowNanos) {
        long t = store.timeout(slot());
        long left = isConfirmed() ? jiffies(t) - jiffies(nowNanos) : jiffies(t);
        return Math.max(0, left / 1000);
    }

    private static long jiffies(long nanos) { return Math.floorDiv(nanos, 1_000_000L); }

    /** Absolute expiry on the emulated clock (confirmed entries). */
    public long expiresAtNanos() { return store.timeout(slot()); }

    boolean expired(long nowNanos) { return isConfirmed() && nowNanos >= store.timeout(slot()); }

    Tcp tcp() { return store.tcp(slot()); }

    /** UDP: the end of the first two seconds, after which a replied flow counts as a stream (stream_ts). */
    long udpStreamDeadlineJiffies() { return store.protoWord(slot()); }

    void setUdpStreamDeadline(long nanos) { store.setProtoWord(slot(), (int) jiffies(nanos)); }

    void setStatus(Status s) { store.setStatus(slot(), s); }

    void clearStatus(Status s) { store.clearStatus(slot(), s); }

    void setReply(ConntrackTuple t) { store.setTuple(slot(), Direction.REPLY, t); }

    /** nf_ct_refresh: relative before confirmation, absolute after; fixed-timeout entries keep theirs. */
    void refresh(Duration timeout, long nowNanos) {
        int s = slot();
        if (store.has(s, Status.FIXED_TIMEOUT)) return;
        long t = timeout.toNanos();
        boolean confirmed = store.has(s, Status.CONFIRMED);
        store.setTimeout(s, confirmed ? nowNanos + t : t, confirmed);
    }

    /** An absolute expiry for a confirmed entry, whatever its protocol's timeout says (clash losers). */
    void setTimeoutAt(long nanos) { store.setTimeout(slot(), nanos, isConfirmed()); }

    void confirm(long nowNanos) {
        int s = slot();
        store.setStatus(s, Status.CONFIRMED);
        store.setTimeout(s, store.timeout(s) + nowNanos, true);
    }

    void account(Direction d, int length) { store.account(slot(), d.ordinal(), length); }

    void cacheEvent(ConntrackEvent.Kind k) { store.addEvent(slot(), k); }

    void clearEvents() { store.clearEvents(slot()); }

    Set<ConntrackEvent.Kind> takeEvents() {
        int s = slot();
        int bits = store.events(s);
        store.clearEvents(s);
        EnumSet<ConntrackEvent.Kind> out = EnumSet.noneOf(ConntrackEvent.Kind.class);
        for (ConntrackEvent.Kind k : ConntrackEvent.Kind.values()) if ((bits & (1 << k.ordinal())) != 0) out.add(k);
        return out;
    }

    /** {@code conntrack -L} line (without the trailing {@code mark=… use=1} when {@code withMark} is false). */
    public String format(long nowNanos, boolean withMark) {
        StringBuilder sb = new StringBuilder();
        String proto = ConntrackProtocols.name(protocol());
        sb.append(String.format("%-8s %d %d ", proto, protocol(), remainingSeconds(nowNanos)));
        if (protocol() == ConntrackTuple.TCP) sb.append(tcpState().name()).append(' ');
        sb.append(original().format()).append(' ');
        if (!has(Status.SEEN_REPLY)) sb.append("[UNREPLIED] ");
        sb.append(reply().format());
        if (has(Status.ASSURED)) sb.append(" [ASSURED]");
        if (withMark) sb.append(" mark=").append(mark()).append(" use=1");
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConntrackEntry e && e.store == store && e.slot == slot && e.id == id;
    }

    @Override
    public int hashCode() { return slot * 31 + id; }

    @Override
    public String toString() { return format(0, false); }

    /**
     * A cursor on one connection's TCP tracking state (struct ip_ct_tcp), which lives in the store's TCP
     * pages as {@value EntryStore#TCP_STRIDE} ints: per direction td_end, td_maxend, td_maxwin, td_maxack;
     * last_seq, last_ack, last_end; last_win | last_wscale << 16 | last_flags << 24; both directions' flags
     * and td_scale with state, last_dir and last_index in one word; retrans (a u8, as in the kernel) and
     * the keep-state-on-RST bit. The slow path makes one per packet; {@link FastPath} repositions its own.
     */
    static final class Tcp {
        private static final int LAST_SEQ = 8, LAST_ACK = 9, LAST_END = 10, LAST_WIN = 11, PACKED = 12, RETRANS = 13;
        private static final TcpState[] STATES = TcpState.values();
        private int[] w;
        private int b;

        Tcp at(int[] words, int base) {
            this.w = words;
            this.b = base;
            return this;
        }

        TcpState state() { return STATES[(w[b + PACKED] >>> 24) & 0xf]; }

        void setState(TcpState s) { w[b + PACKED] = (w[b + PACKED] & ~(0xf << 24)) | s.ordinal() << 24; }

        int lastDir() { return (w[b + PACKED] >>> 28) & 1; }

        void setLastDir(int d) { w[b + PACKED] = (w[b + PACKED] & ~(1 << 28)) | d << 28; }

        int lastIndex() { return w[b + PACKED] >>> 29; }

        void setLastIndex(int i) { w[b + PACKED] = (w[b + PACKED] & ~(7 << 29)) | i << 29; }

        // one direction's window data (struct ip_ct_tcp_state); sequence numbers unsigned 32-bit in ints
        int end(int d) { return w[b + d * 4]; }

        void setEnd(int d, int v) { w[b + d * 4] = v; }

        int maxend(int d) { return w[b + d * 4 + 1]; }

        void setMaxend(int d, int v) { w[b + d * 4 + 1] = v; }

        int maxwin(int d) { return w[b + d * 4 + 2]; }

        void setMaxwin(int d, int v) { w[b + d * 4 + 2] = v; }

        int maxack(int d) { return w[b + d * 4 + 3]; }

        void setMaxack(int d, int v) { w[b + d * 4 + 3] = v; }

        int flags(int d) { return (w[b + PACKED] >>> (d * 8)) & 0xff; }

        void setFlags(int d, int f) { w[b + PACKED] = (w[b + PACKED] & ~(0xff << (d * 8))) | (f & 0xff) << (d * 8); }

        int scale(int d) { return (w[b + PACKED] >>> (16 + d * 4)) & 0xf; }

        void setScale(int d, int s) { w[b + PACKED] = (w[b + PACKED] & ~(0xf << (16 + d * 4))) | (s & 0xf) << (16 + d * 4); }

        int lastSeq() { return w[b + LAST_SEQ]; }

        void setLastSeq(int v) { w[b + LAST_SEQ] = v; }

        int lastAck() { return w[b + LAST_ACK]; }

        void setLastAck(int v) { w[b + LAST_ACK] = v; }

        int lastEnd() { return w[b + LAST_END]; }

        void setLastEnd(int v) { w[b + LAST_END] = v; }

        int lastWin() { return w[b + LAST_WIN] & 0xffff; }

        void setLastWin(int v) { w[b + LAST_WIN] = (w[b + LAST_WIN] & 0xffff_0000) | (v & 0xffff); }

        int lastWscale() { return (w[b + LAST_WIN] >>> 16) & 0xff; }

        void setLastWscale(int v) { w[b + LAST_WIN] = (w[b + LAST_WIN] & ~(0xff << 16)) | (v & 0xff) << 16; }

        int lastFlags() { return w[b + LAST_WIN] >>> 24; }

        void setLastFlags(int v) { w[b + LAST_WIN] = (w[b + LAST_WIN] & 0x00ff_ffff) | (v & 0xff) << 24; }

        int retrans() { return w[b + RETRANS] & 0xff; }

        void setRetrans(int v) { w[b + RETRANS] = (w[b + RETRANS] & ~0xff) | (v & 0xff); }

        boolean keepStateOnRst() { return (w[b + RETRANS] & 0x100) != 0; }

        void setKeepStateOnRst(boolean k) { w[b + RETRANS] = (w[b + RETRANS] & ~0x100) | (k ? 0x100 : 0); }

        /** A fresh state (tcp_new); the keep-state-on-RST bit survives, as it always did here. */
        void reset() {
            boolean keep = keepStateOnRst();
            java.util.Arrays.fill(w, b, b + EntryStore.TCP_STRIDE, 0);
            setLastIndex(TcpTracker.NONE_SET);
            setKeepStateOnRst(keep);
        }

        /** Forgets direction {@code d}'s window, keeping only its BE_LIBERAL flag. */
        void resetWindow(int d) {
            setEnd(d, 0);
            setMaxend(d, 0);
            setMaxwin(d, 0);
            setMaxack(d, 0);
            setScale(d, 0);
            setFlags(d, flags(d) & TcpTracker.F_BE_LIBERAL);
        }
    }
}
