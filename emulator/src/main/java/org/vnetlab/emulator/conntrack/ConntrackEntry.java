package org.vnetlab.emulator.conntrack;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * One tracked connection (struct nf_conn): its original and reply tuples (the reply one altered by NAT),
 * status bits, timeout, protocol state, connection mark and per-direction counters. Mutable: this is the
 * state conntrack keeps. Before confirmation the timeout is relative, afterwards it is an absolute point of
 * the emulated clock, as in the kernel.
 */
public final class ConntrackEntry {
    private final long id;
    private final ConntrackTuple original;
    private ConntrackTuple reply;
    private final EnumSet<Status> status = EnumSet.noneOf(Status.class);
    private long timeoutNanos;
    private final Tcp tcp;
    long udpStreamDeadline;
    private long mark;
    private Optional<String> masqueradeInterface = Optional.empty();
    private final long[] packets = new long[2];
    private final long[] bytes = new long[2];
    private final EnumSet<ConntrackEvent.Kind> pendingEvents = EnumSet.noneOf(ConntrackEvent.Kind.class);

    ConntrackEntry(long id, ConntrackTuple original) {
        this.id = id;
        this.original = original;
        this.reply = original.inverted();
        this.tcp = original.protocol() == ConntrackTuple.TCP ? new Tcp() : null;
    }

    /** An identifier like conntrack's {@code id=}; deterministic here (a counter), random in the kernel. */
    public long id() { return id; }

    public ConntrackTuple original() { return original; }

    public ConntrackTuple reply() { return reply; }

    public ConntrackTuple tuple(Direction d) { return d == Direction.ORIGINAL ? original : reply; }

    public int protocol() { return original.protocol(); }

    public boolean has(Status s) { return status.contains(s); }

    public Set<Status> status() { return Set.copyOf(status); }

    public boolean isConfirmed() { return status.contains(Status.CONFIRMED); }

    public boolean isDying() { return status.contains(Status.DYING); }

    /** The TCP state; NONE for other protocols. */
    public TcpState tcpState() { return tcp == null ? TcpState.NONE : tcp.state; }

    public long mark() { return mark; }

    public void setMark(long mark) {
        if (this.mark != mark) {
            this.mark = mark;
            cacheEvent(ConntrackEvent.Kind.MARK);
        }
    }

    /** The interface MASQUERADE used (nat->masq_index), so the entry can be flushed when it goes down. */
    public Optional<String> masqueradeInterface() { return masqueradeInterface; }

    void setMasqueradeInterface(String ifname) { masqueradeInterface = Optional.of(ifname); }

    public long packets(Direction d) { return packets[d.ordinal()]; }

    public long bytes(Direction d) { return bytes[d.ordinal()]; }

    /** Seconds left before the entry expires, as conntrack(8) prints them (whole jiffies at HZ=1000). */
    public long remainingSeconds(long nowNanos) {
        long left = isConfirmed() ? jiffies(timeoutNanos) - jiffies(nowNanos) : jiffies(timeoutNanos);
        return Math.max(0, left / 1000);
    }

    private static long jiffies(long nanos) { return Math.floorDiv(nanos, 1_000_000L); }

    /** Absolute expiry on the emulated clock (confirmed entries). */
    public long expiresAtNanos() { return timeoutNanos; }

    boolean expired(long nowNanos) { return isConfirmed() && nowNanos >= timeoutNanos; }

    Tcp tcp() { return tcp; }

    void setStatus(Status s) { status.add(s); }

    void clearStatus(Status s) { status.remove(s); }

    void setReply(ConntrackTuple t) { reply = t; }

    /** nf_ct_refresh: relative before confirmation, absolute after; fixed-timeout entries keep theirs. */
    void refresh(Duration timeout, long nowNanos) {
        if (status.contains(Status.FIXED_TIMEOUT)) return;
        long t = timeout.toNanos();
        timeoutNanos = isConfirmed() ? nowNanos + t : t;
    }

    /** An absolute expiry for a confirmed entry, whatever its protocol's timeout says (clash losers). */
    void setTimeoutAt(long nanos) { timeoutNanos = nanos; }

    void confirm(long nowNanos) {
        timeoutNanos += nowNanos;
        status.add(Status.CONFIRMED);
    }

    void account(Direction d, int length) {
        packets[d.ordinal()]++;
        bytes[d.ordinal()] += length;
    }

    void cacheEvent(ConntrackEvent.Kind k) { pendingEvents.add(k); }

    Set<ConntrackEvent.Kind> takeEvents() {
        Set<ConntrackEvent.Kind> s = EnumSet.copyOf(pendingEvents.isEmpty() ? EnumSet.noneOf(ConntrackEvent.Kind.class) : pendingEvents);
        pendingEvents.clear();
        return s;
    }

    /** {@code conntrack -L} line (without the trailing {@code mark=… use=1} when {@code withMark} is false). */
    public String format(long nowNanos, boolean withMark) {
        StringBuilder sb = new StringBuilder();
        String proto = ConntrackProtocols.name(protocol());
        sb.append(String.format("%-8s %d %d ", proto, protocol(), remainingSeconds(nowNanos)));
        if (tcp != null) sb.append(tcp.state.name()).append(' ');
        sb.append(original.format()).append(' ');
        if (!has(Status.SEEN_REPLY)) sb.append("[UNREPLIED] ");
        sb.append(reply.format());
        if (has(Status.ASSURED)) sb.append(" [ASSURED]");
        if (withMark) sb.append(" mark=").append(mark).append(" use=1");
        return sb.toString();
    }

    @Override
    public String toString() { return format(0, false); }

    /** TCP tracking state (struct ip_ct_tcp). */
    static final class Tcp {
        TcpState state = TcpState.NONE;
        final TcpSide[] seen = {new TcpSide(), new TcpSide()};
        int lastIndex = TcpTracker.NONE_SET;
        int lastDir;
        int lastSeq, lastAck, lastEnd, lastWin, lastWscale, lastFlags;
        int retrans;
        boolean keepStateOnRst;

        void reset() {
            state = TcpState.NONE;
            seen[0] = new TcpSide();
            seen[1] = new TcpSide();
            lastIndex = TcpTracker.NONE_SET;
            lastDir = 0;
            lastSeq = lastAck = lastEnd = lastWin = lastWscale = lastFlags = retrans = 0;
        }
    }

    /** One direction's window data (struct ip_ct_tcp_state); sequence numbers are unsigned 32-bit in ints. */
    static final class TcpSide {
        int tdEnd, tdMaxend, tdMaxwin, tdMaxack, tdScale, flags;

        void resetWindow() {
            tdEnd = tdMaxend = tdMaxwin = tdMaxack = tdScale = 0;
            flags &= TcpTracker.F_BE_LIBERAL;
        }
    }
}
