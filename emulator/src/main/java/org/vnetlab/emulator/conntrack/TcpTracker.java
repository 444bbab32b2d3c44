package org.vnetlab.emulator.conntrack;

import java.time.Duration;

/**
 * The kernel's TCP connection tracker (nf_conntrack_proto_tcp.c): the state transition table indexed by
 * direction, segment kind (SYN, SYN/ACK, FIN, ACK, RST, none) and state, the window checks of tcp_in_window
 * (so an out-of-window RST is INVALID), and the timeout choice. State lives in {@link ConntrackEntry}.
 */
final class TcpTracker {
    // flags of one direction (IP_CT_TCP_FLAG_*)
    static final int F_WINDOW_SCALE = 0x01, F_SACK_PERM = 0x02, F_CLOSE_INIT = 0x04, F_BE_LIBERAL = 0x08,
            F_DATA_UNACKNOWLEDGED = 0x10, F_MAXACK_SET = 0x20, F_EXP_CHALLENGE_ACK = 0x40,
            F_SIMULTANEOUS_OPEN = 0x80;
    static final int SYN_SET = 0, SYNACK_SET = 1, FIN_SET = 2, ACK_SET = 3, RST_SET = 4, NONE_SET = 5;
    private static final int MAXACKWINCONST = 66000;

    private static final TcpState NO = TcpState.NONE, SS = TcpState.SYN_SENT, SR = TcpState.SYN_RECV,
            ES = TcpState.ESTABLISHED, FW = TcpState.FIN_WAIT, CW = TcpState.CLOSE_WAIT, LA = TcpState.LAST_ACK,
            TW = TcpState.TIME_WAIT, CL = TcpState.CLOSE, S2 = TcpState.SYN_SENT2;
    /** sIV and sIG of the kernel table. */
    private static final TcpState IV = null;
    private static final Object IG = new Object();

    // [dir][index][state]; IG encoded as a marker outside TcpState
    private static final Object[][][] TABLE = {
        { // ORIGINAL   sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
            /*syn*/    {SS, SS, IG, IG, IG, IG, IG, SS, SS, S2},
            /*synack*/ {IV, IV, SR, IV, IV, IV, IV, IV, IV, SR},
            /*fin*/    {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
            /*ack*/    {ES, IV, ES, ES, CW, CW, TW, TW, CL, IV},
            /*rst*/    {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
            /*none*/   {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV},
        },
        { // REPLY      sNO  sSS  sSR  sES  sFW  sCW  sLA  sTW  sCL  sS2
            /*syn*/    {IV, S2, IV, IV, IV, IV, IV, SS, IV, S2},
            /*synack*/ {IV, SR, IG, IG, IG, IG, IG, IG, IG, SR},
            /*fin*/    {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
            /*ack*/    {IV, IG, SR, ES, CW, CW, TW, TW, CL, IG},
            /*rst*/    {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
            /*none*/   {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV},
        }
    };

    /** What the tracker decided for one segment. */
    enum Outcome {
        /** In window; state and timeout updated. */
        ACCEPT,
        /** Let through without touching the state (sIG, or a benign out-of-window segment). */
        IGNORE,
        /** Invalid: the packet continues without a connection (ctstate INVALID). */
        INVALID,
        /** A SYN reopening a closed connection: kill the entry and look up again. */
        REPEAT,
        /** Accepted and the connection destroyed at once (RST before any reply). */
        KILL
    }

    private TcpTracker() {}

    static int index(TcpSegmentFacts s) {
        if (s.rst()) return RST_SET;
        if (s.syn()) return s.ack() ? SYNACK_SET : SYN_SET;
        if (s.fin()) return FIN_SET;
        if (s.ack()) return ACK_SET;
        return NONE_SET;
    }

    /** tcp_error's flag check: the combinations a real stack may send (PSH, ECE, CWR ignored). */
    static boolean validFlags(int flags) {
        int f = flags & 0x3f & ~TcpSegmentFacts.PSH;
        return switch (f) {
            case TcpSegmentFacts.SYN, TcpSegmentFacts.SYN | TcpSegmentFacts.URG,
                 TcpSegmentFacts.SYN | TcpSegmentFacts.ACK, TcpSegmentFacts.RST,
                 TcpSegmentFacts.RST | TcpSegmentFacts.ACK, TcpSegmentFacts.FIN | TcpSegmentFacts.ACK,
                 TcpSegmentFacts.FIN | TcpSegmentFacts.ACK | TcpSegmentFacts.URG, TcpSegmentFacts.ACK,
                 TcpSegmentFacts.ACK | TcpSegmentFacts.URG -> true;
            default -> false;
        };
    }

    private static boolean before(int a, int b) { return a - b < 0; }

    private static boolean after(int a, int b) { return before(b, a); }

    /** tcp_new: may this segment start tracking? Initialises the original direction. */
    static boolean startNew(ConntrackEntry.Tcp t, TcpSegmentFacts s, ConntrackSettings settings) {
        Object next = TABLE[0][index(s)][TcpState.NONE.ordinal()];
        if (next == IV || next == IG) return false;
        if (next == SS) {
            t.reset();
            t.setEnd(0, s.end());
            t.setMaxwin(0, Math.max(s.window(), 1));
            t.setMaxend(0, t.end(0));
            applyOptions(t, 0, s);
        } else if (!settings.tcpLoose()) {
            return false;
        } else {
            t.reset();
            // mid-stream pickup: history lost, trust the segment and be liberal
            t.setEnd(0, s.end());
            t.setMaxwin(0, Math.max(s.window(), 1));
            t.setMaxend(0, t.end(0) + t.maxwin(0));
            t.setFlags(0, F_SACK_PERM | F_BE_LIBERAL);
            t.setFlags(1, F_SACK_PERM | F_BE_LIBERAL);
        }
        t.setLastIndex(NONE_SET);
        return true;
    }

    private static void applyOptions(ConntrackEntry.Tcp t, int side, TcpSegmentFacts s) {
        if (s.headerLength() <= 20) return;
        t.setScale(side, 0);
        t.setFlags(side, t.flags(side) & F_BE_LIBERAL);
        if (s.sackPermitted()) t.setFlags(side, t.flags(side) | F_SACK_PERM);
        if (s.windowScale() >= 0) {
            t.setScale(side, s.windowScale());
            t.setFlags(side, t.flags(side) | F_WINDOW_SCALE);
        }
    }

    /** nf_conntrack_tcp_packet for an entry in {@code dir}; updates state and timeout. */
    static Outcome packet(ConntrackEntry ct, Direction dir, TcpSegmentFacts s, ConntrackSettings settings,
                          long now) {
        ConntrackEntry.Tcp t = ct.tcp();
        TcpState old = t.state();
        int d = dir.ordinal();
        int index = index(s);
        Object nextObj = TABLE[d][index][old.ordinal()];
        TcpState next = nextObj instanceof TcpState ts ? ts : null;
        boolean ignore = nextObj == IG;
        Boolean skipWindow = false;

        if (next == TcpState.SYN_SENT && old.ordinal() >= TcpState.TIME_WAIT.ordinal()) {
            if (((t.flags(d) | t.flags(1 - d)) & F_CLOSE_INIT) != 0
                    || (t.lastDir() == d && t.lastIndex() == RST_SET)) {
                return Outcome.REPEAT;
            }
            ignore = true;
        }
        if (ignore) {
            if (index == SYNACK_SET && t.lastIndex() == SYN_SET && t.lastDir() != d && s.ackSeq() == t.lastEnd()) {
                // the SYN/ACK answers a SYN we ignored: client and server agree, resync from it
                old = TcpState.SYN_SENT;
                next = TcpState.SYN_RECV;
                int l = t.lastDir();
                t.setEnd(l, t.lastEnd());
                t.setMaxend(l, t.lastEnd());
                t.setMaxwin(l, t.lastWin() == 0 ? 1 : t.lastWin());
                t.setScale(l, t.lastWscale());
                t.setLastFlags(t.lastFlags() & ~F_EXP_CHALLENGE_ACK);
                t.setFlags(l, t.lastFlags());
                t.resetWindow(d);
            } else {
                t.setLastIndex(index);
                t.setLastDir(d);
                t.setLastSeq(s.seq());
                t.setLastEnd(s.end());
                t.setLastWin(s.window());
                if (index == SYN_SET && dir == Direction.ORIGINAL) {
                    t.setLastFlags(0);
                    t.setLastWscale(0);
                    if (s.windowScale() >= 0) {
                        t.setLastFlags(t.lastFlags() | F_WINDOW_SCALE);
                        t.setLastWscale(s.windowScale());
                    }
                    if (s.sackPermitted()) t.setLastFlags(t.lastFlags() | F_SACK_PERM);
                    if (old == TcpState.LAST_ACK) t.setLastFlags(t.lastFlags() | F_EXP_CHALLENGE_ACK);
                }
                if (old == TcpState.SYN_SENT && index == ACK_SET && dir == Direction.REPLY) t.setLastAck(s.ackSeq());
                return Outcome.IGNORE;
            }
        } else if (next == null) {
            return Outcome.INVALID;
        } else if (next == TcpState.TIME_WAIT) {
            if (old == TcpState.LAST_ACK && index == ACK_SET && t.lastDir() != d && t.lastIndex() == SYN_SET
                    && (t.lastFlags() & F_EXP_CHALLENGE_ACK) != 0) {
                t.setLastFlags(t.lastFlags() & ~F_EXP_CHALLENGE_ACK);
                return Outcome.IGNORE;
            }
        } else if (next == TcpState.SYN_SENT2) {
            t.setLastFlags(t.lastFlags() | F_SIMULTANEOUS_OPEN);
        } else if (next == TcpState.SYN_RECV) {
            if (dir == Direction.REPLY && index == ACK_SET && (t.lastFlags() & F_SIMULTANEOUS_OPEN) != 0) {
                next = TcpState.ESTABLISHED;
            }
        } else if (next == TcpState.CLOSE && index == RST_SET) {
            skipWindow = rstSkipsWindow(ct, t, d, s, old, settings);
            if (skipWindow == null) return Outcome.INVALID;
            if (t.keepStateOnRst()) {
                next = old;
                t.setKeepStateOnRst(false);
            }
        }

        if (!skipWindow) {
            Outcome w = inWindow(t, d, index, s, settings);
            if (w == Outcome.IGNORE) return Outcome.IGNORE;
            if (w == Outcome.INVALID) return Outcome.INVALID;
        }
        t.setLastIndex(index);
        t.setLastDir(d);
        t.setState(next);
        if (old != next && next == TcpState.FIN_WAIT) t.setFlags(d, t.flags(d) | F_CLOSE_INIT);

        Duration timeout = timeout(t, next, index, settings);
        if (next != old) ct.cacheEvent(ConntrackEvent.Kind.PROTOINFO);

        if (!ct.has(Status.SEEN_REPLY)) {
            if (s.rst()) return Outcome.KILL;
            if (index == SYN_SET && old == TcpState.SYN_SENT) return Outcome.ACCEPT; // no refresh on SYN retransmit
            if (next == TcpState.ESTABLISHED && timeout.compareTo(settings.tcpUnackTimeout()) > 0) {
                timeout = settings.tcpUnackTimeout();
            }
        } else if (!ct.has(Status.ASSURED) && (old == TcpState.SYN_RECV || old == TcpState.ESTABLISHED)
                && next == TcpState.ESTABLISHED) {
            ct.setStatus(Status.ASSURED);
            ct.cacheEvent(ConntrackEvent.Kind.ASSURED);
        }
        ct.refresh(timeout, now);
        return Outcome.ACCEPT;
    }

    /** The timeout a segment leaves: the state's, shortened after retransmissions, unacked data or a zero window. */
    private static Duration timeout(ConntrackEntry.Tcp t, TcpState next, int index, ConntrackSettings settings) {
        Duration stateTimeout = settings.tcpTimeout(next);
        if (t.retrans() >= settings.tcpMaxRetrans() && stateTimeout.compareTo(settings.tcpRetransTimeout()) > 0) {
            return settings.tcpRetransTimeout();
        } else if (index == RST_SET) {
            return settings.tcpTimeout(TcpState.CLOSE);
        } else if (((t.flags(0) | t.flags(1)) & F_DATA_UNACKNOWLEDGED) != 0
                && stateTimeout.compareTo(settings.tcpUnackTimeout()) > 0) {
            return settings.tcpUnackTimeout();
        } else if (t.lastWin() == 0 && stateTimeout.compareTo(settings.tcpRetransTimeout()) > 0) {
            return settings.tcpRetransTimeout();
        }
        return stateTimeout;
    }

    /**
     * {@link #packet} for the one case the established fast path serves: a segment with ACK and without
     * SYN, FIN or RST on an ESTABLISHED, ASSURED connection whose sender window is initialised (no SACK
     * blocks: {@code sack == ack}). The transition is ESTABLISHED to ESTABLISHED, so only the window check,
     * the last-segment bookkeeping and the timeout remain, in packet()'s order. Returns the timeout to set
     * in nanoseconds; {@link #WINDOW_IGNORED} when the segment passes without touching the state (the caller
     * must not refresh); {@link #WINDOW_INVALID} when it is out of window, with nothing changed.
     */
    static long establishedAck(ConntrackEntry.Tcp t, int d, int seq, int ack, int window, int end, int flags,
                               FastSettings settings) {
        Outcome w = window(t, d, ACK_SET, seq, ack, ack, window, end, flags, settings.tcpBeLiberal);
        if (w == Outcome.INVALID) return WINDOW_INVALID;
        if (w == Outcome.IGNORE) return WINDOW_IGNORED;
        t.setLastIndex(ACK_SET);
        t.setLastDir(d);
        // timeout(t, ESTABLISHED, ACK_SET, ...) on the nanosecond values
        long state = settings.tcpEstablished;
        if (t.retrans() >= settings.tcpMaxRetrans && state > settings.tcpRetrans) return settings.tcpRetrans;
        if (((t.flags(0) | t.flags(1)) & F_DATA_UNACKNOWLEDGED) != 0 && state > settings.tcpUnack) return settings.tcpUnack;
        if (t.lastWin() == 0 && state > settings.tcpRetrans) return settings.tcpRetrans;
        return state;
    }

    static final long WINDOW_IGNORED = -1, WINDOW_INVALID = -2;

    /**
     * The RST checks of the CLOSE transition. Returns null for an invalid RST (sequence before the highest
     * ACK seen), TRUE when the window check is skipped, FALSE when it applies. Sets {@code keepStateOnRst}
     * when the RST does not hit the expected sequence exactly (a challenge ACK may follow).
     */
    private static Boolean rstSkipsWindow(ConntrackEntry ct, ConntrackEntry.Tcp t, int d, TcpSegmentFacts s,
                                          TcpState old, ConntrackSettings settings) {
        if (old.canEarlyDrop()) return true;
        int rd = 1 - d;
        if ((t.flags(rd) & F_MAXACK_SET) != 0 && t.lastIndex() != SYN_SET) {
            int seq = s.seq();
            boolean established = old == TcpState.ESTABLISHED && ct.has(Status.ASSURED);
            if (seq == 0 && !established) return false;
            if (before(seq, t.maxack(rd)) && !settings.tcpIgnoreInvalidRst()) return null;
            if (!established || seq == t.maxack(rd)) return false;
            if (t.lastIndex() == ACK_SET && t.lastDir() == d && seq == t.lastEnd()) return false;
            t.setKeepStateOnRst(true);
        }
        if (((ct.has(Status.SEEN_REPLY) && t.lastIndex() == SYN_SET) || (!ct.has(Status.ASSURED) && t.lastIndex() == ACK_SET))
                && s.ackSeq() == t.lastEnd()) {
            return true;
        }
        return old == TcpState.SYN_SENT && t.lastIndex() == ACK_SET && t.lastDir() == 1 && s.seq() == t.lastAck();
    }

    private static void initSender(ConntrackEntry.Tcp t, int sender, TcpSegmentFacts s, int end, int win, int d) {
        int receiver = 1 - sender;
        t.setEnd(sender, end);
        t.setMaxend(sender, end);
        t.setMaxwin(sender, win == 0 ? 1 : win);
        applyOptions(t, sender, s);
        if (d == 1 && !((t.flags(sender) & F_WINDOW_SCALE) != 0 && (t.flags(receiver) & F_WINDOW_SCALE) != 0)) {
            t.setScale(sender, 0);
            t.setScale(receiver, 0);
        }
    }

    private static int maxAckWindow(int senderMaxwin) {
        return Integer.compareUnsigned(senderMaxwin, MAXACKWINCONST) > 0 ? senderMaxwin : MAXACKWINCONST;
    }

    /** tcp_in_window; returns ACCEPT, IGNORE or INVALID (liberal senders never get INVALID/IGNORE). */
    private static Outcome inWindow(ConntrackEntry.Tcp t, int d, int index, TcpSegmentFacts s,
                                    ConntrackSettings settings) {
        int sender = d, receiver = 1 - d;
        int seq = s.seq();
        int ack = s.ackSeq();
        int sack = ack;
        int winRaw = s.window();
        int win = winRaw;
        int end = s.end();
        if ((t.flags(receiver) & F_SACK_PERM) != 0 && s.highestSack().isPresent() && after(s.highestSack().get(), sack)) {
            sack = s.highestSack().get();
        }
        if (t.maxwin(sender) == 0) {
            if (s.syn()) {
                initSender(t, sender, s, end, win, d);
                if (!s.ack()) return Outcome.ACCEPT; // simultaneous open
            } else {
                t.setEnd(sender, end);
                int swin = win << t.scale(sender);
                t.setMaxwin(sender, swin == 0 ? 1 : swin);
                t.setMaxend(sender, end + t.maxwin(sender));
                if (t.maxwin(receiver) == 0) {
                    t.setEnd(receiver, sack);
                    t.setMaxend(receiver, sack);
                } else if (sack == t.end(receiver) + 1) {
                    t.setEnd(receiver, t.end(receiver) + 1);
                }
            }
        } else if (s.syn() && after(end, t.end(sender))
                && (t.state() == TcpState.SYN_SENT || t.state() == TcpState.SYN_RECV)) {
            initSender(t, sender, s, end, win, d);
            if (d == 1 && !s.ack()) return Outcome.ACCEPT;
        }
        return window(t, d, index, seq, ack, sack, winRaw, end, s.flags(), settings.tcpBeLiberal());
    }

    /** tcp_in_window after the sender's initialisation: the checks and window updates on plain values. */
    private static Outcome window(ConntrackEntry.Tcp t, int d, int index, int seq, int ack, int sack, int winRaw,
                                  int end, int flags, boolean beLiberal) {
        int sender = d, receiver = 1 - d;
        boolean syn = (flags & TcpSegmentFacts.SYN) != 0, hasAck = (flags & TcpSegmentFacts.ACK) != 0,
                rst = (flags & TcpSegmentFacts.RST) != 0;
        int win = winRaw;
        if (!hasAck) {
            ack = t.end(receiver);
            sack = ack;
        } else if (rst && ack == 0) {
            ack = t.end(receiver);
            sack = ack;
        }
        if (rst && seq == 0 && t.state() == TcpState.SYN_SENT) {
            seq = t.end(sender);
            end = seq;
        }
        int senderFlags = t.flags(sender);
        boolean liberal = (senderFlags & F_BE_LIBERAL) != 0 || beLiberal;
        int senderEnd = t.end(sender), senderMaxend = t.maxend(sender), senderMaxwin = t.maxwin(sender);
        int receiverEnd = t.end(receiver), receiverMaxwin = t.maxwin(receiver);
        boolean seqOk = before(seq, senderMaxend + 1);
        if (!seqOk) {
            int overshot = end - senderMaxend + 1;
            boolean ackOk = after(sack, receiverEnd - maxAckWindow(senderMaxwin) - 1);
            boolean inRecvWin = receiverMaxwin != 0 && after(end, senderEnd - receiverMaxwin - 1);
            if (inRecvWin && ackOk && Integer.compareUnsigned(overshot, receiverMaxwin) <= 0
                    && before(sack, receiverEnd + 1)) {
                t.setEnd(sender, end);
                t.setFlags(sender, senderFlags | F_DATA_UNACKNOWLEDGED);
                return liberal ? Outcome.ACCEPT : Outcome.IGNORE;
            }
            return liberal ? Outcome.ACCEPT : Outcome.INVALID;
        }
        if (!before(sack, receiverEnd + 1)) return liberal ? Outcome.ACCEPT : Outcome.INVALID;
        boolean inRecvWin = receiverMaxwin == 0 || after(end, senderEnd - receiverMaxwin - 1);
        if (!inRecvWin) return liberal ? Outcome.ACCEPT : Outcome.IGNORE;
        if (!after(sack, receiverEnd - maxAckWindow(senderMaxwin) - 1)) return liberal ? Outcome.ACCEPT : Outcome.IGNORE;

        if (!syn) win <<= t.scale(sender);
        int swin = win + (sack - ack);
        if (Integer.compareUnsigned(senderMaxwin, swin) < 0) t.setMaxwin(sender, swin);
        if (after(end, senderEnd)) {
            t.setEnd(sender, end);
            senderFlags |= F_DATA_UNACKNOWLEDGED;
        }
        if (hasAck) {
            if ((senderFlags & F_MAXACK_SET) == 0) {
                t.setMaxack(sender, ack);
                senderFlags |= F_MAXACK_SET;
            } else if (after(ack, t.maxack(sender))) {
                t.setMaxack(sender, ack);
            }
        }
        t.setFlags(sender, senderFlags);
        if (receiverMaxwin != 0 && after(end, senderMaxend)) t.setMaxwin(receiver, receiverMaxwin + (end - senderMaxend));
        if (after(sack + win, t.maxend(receiver) - 1)) {
            t.setMaxend(receiver, sack + win + (win == 0 ? 1 : 0));
        }
        if (ack == receiverEnd) t.setFlags(receiver, t.flags(receiver) & ~F_DATA_UNACKNOWLEDGED);
        if (index == ACK_SET) {
            if (t.lastDir() == d && t.lastSeq() == seq && t.lastAck() == ack && t.lastEnd() == end
                    && t.lastWin() == winRaw) {
                t.setRetrans(t.retrans() + 1);
            } else {
                t.setLastDir(d);
                t.setLastSeq(seq);
                t.setLastAck(ack);
                t.setLastEnd(end);
                t.setLastWin(winRaw);
                t.setRetrans(0);
            }
        }
        return Outcome.ACCEPT;
    }
}
