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
        ConntrackEntry.TcpSide o = t.seen[0];
        if (next == SS) {
            t.reset();
            o.tdEnd = s.end();
            o.tdMaxwin = Math.max(s.window(), 1);
            o.tdMaxend = o.tdEnd;
            applyOptions(o, s);
        } else if (!settings.tcpLoose()) {
            return false;
        } else {
            t.reset();
            // mid-stream pickup: history lost, trust the segment and be liberal
            o.tdEnd = s.end();
            o.tdMaxwin = Math.max(s.window(), 1);
            o.tdMaxend = o.tdEnd + o.tdMaxwin;
            t.seen[0].flags = F_SACK_PERM | F_BE_LIBERAL;
            t.seen[1].flags = F_SACK_PERM | F_BE_LIBERAL;
        }
        t.lastIndex = NONE_SET;
        return true;
    }

    private static void applyOptions(ConntrackEntry.TcpSide side, TcpSegmentFacts s) {
        if (s.headerLength() <= 20) return;
        side.tdScale = 0;
        side.flags &= F_BE_LIBERAL;
        if (s.sackPermitted()) side.flags |= F_SACK_PERM;
        if (s.windowScale() >= 0) {
            side.tdScale = s.windowScale();
            side.flags |= F_WINDOW_SCALE;
        }
    }

    /** nf_conntrack_tcp_packet for an entry in {@code dir}; updates state and timeout. */
    static Outcome packet(ConntrackEntry ct, Direction dir, TcpSegmentFacts s, ConntrackSettings settings,
                          long now) {
        ConntrackEntry.Tcp t = ct.tcp();
        TcpState old = t.state;
        int d = dir.ordinal();
        int index = index(s);
        Object nextObj = TABLE[d][index][old.ordinal()];
        TcpState next = nextObj instanceof TcpState ts ? ts : null;
        boolean ignore = nextObj == IG;
        Boolean skipWindow = false;

        if (next == TcpState.SYN_SENT && old.ordinal() >= TcpState.TIME_WAIT.ordinal()) {
            if (((t.seen[d].flags | t.seen[1 - d].flags) & F_CLOSE_INIT) != 0
                    || (t.lastDir == d && t.lastIndex == RST_SET)) {
                return Outcome.REPEAT;
            }
            ignore = true;
        }
        if (ignore) {
            if (index == SYNACK_SET && t.lastIndex == SYN_SET && t.lastDir != d && s.ackSeq() == t.lastEnd) {
                // the SYN/ACK answers a SYN we ignored: client and server agree, resync from it
                old = TcpState.SYN_SENT;
                next = TcpState.SYN_RECV;
                ConntrackEntry.TcpSide l = t.seen[t.lastDir];
                l.tdEnd = t.lastEnd;
                l.tdMaxend = t.lastEnd;
                l.tdMaxwin = t.lastWin == 0 ? 1 : t.lastWin;
                l.tdScale = t.lastWscale;
                t.lastFlags &= ~F_EXP_CHALLENGE_ACK;
                l.flags = t.lastFlags;
                t.seen[d].resetWindow();
            } else {
                t.lastIndex = index;
                t.lastDir = d;
                t.lastSeq = s.seq();
                t.lastEnd = s.end();
                t.lastWin = s.window();
                if (index == SYN_SET && dir == Direction.ORIGINAL) {
                    t.lastFlags = 0;
                    t.lastWscale = 0;
                    if (s.windowScale() >= 0) {
                        t.lastFlags |= F_WINDOW_SCALE;
                        t.lastWscale = s.windowScale();
                    }
                    if (s.sackPermitted()) t.lastFlags |= F_SACK_PERM;
                    if (old == TcpState.LAST_ACK) t.lastFlags |= F_EXP_CHALLENGE_ACK;
                }
                if (old == TcpState.SYN_SENT && index == ACK_SET && dir == Direction.REPLY) t.lastAck = s.ackSeq();
                return Outcome.IGNORE;
            }
        } else if (next == null) {
            return Outcome.INVALID;
        } else if (next == TcpState.TIME_WAIT) {
            if (old == TcpState.LAST_ACK && index == ACK_SET && t.lastDir != d && t.lastIndex == SYN_SET
                    && (t.lastFlags & F_EXP_CHALLENGE_ACK) != 0) {
                t.lastFlags &= ~F_EXP_CHALLENGE_ACK;
                return Outcome.IGNORE;
            }
        } else if (next == TcpState.SYN_SENT2) {
            t.lastFlags |= F_SIMULTANEOUS_OPEN;
        } else if (next == TcpState.SYN_RECV) {
            if (dir == Direction.REPLY && index == ACK_SET && (t.lastFlags & F_SIMULTANEOUS_OPEN) != 0) {
                next = TcpState.ESTABLISHED;
            }
        } else if (next == TcpState.CLOSE && index == RST_SET) {
            skipWindow = rstSkipsWindow(ct, t, d, s, old, settings);
            if (skipWindow == null) return Outcome.INVALID;
            if (t.keepStateOnRst) {
                next = old;
                t.keepStateOnRst = false;
            }
        }

        if (!skipWindow) {
            Outcome w = inWindow(ct, d, index, s, settings);
            if (w == Outcome.IGNORE) return Outcome.IGNORE;
            if (w == Outcome.INVALID) return Outcome.INVALID;
        }
        t.lastIndex = index;
        t.lastDir = d;
        t.state = next;
        if (old != next && next == TcpState.FIN_WAIT) t.seen[d].flags |= F_CLOSE_INIT;

        Duration timeout;
        Duration stateTimeout = settings.tcpTimeout(next);
        if (t.retrans >= settings.tcpMaxRetrans() && stateTimeout.compareTo(settings.tcpRetransTimeout()) > 0) {
            timeout = settings.tcpRetransTimeout();
        } else if (index == RST_SET) {
            timeout = settings.tcpTimeout(TcpState.CLOSE);
        } else if (((t.seen[0].flags | t.seen[1].flags) & F_DATA_UNACKNOWLEDGED) != 0
                && stateTimeout.compareTo(settings.tcpUnackTimeout()) > 0) {
            timeout = settings.tcpUnackTimeout();
        } else if (t.lastWin == 0 && stateTimeout.compareTo(settings.tcpRetransTimeout()) > 0) {
            timeout = settings.tcpRetransTimeout();
        } else {
            timeout = stateTimeout;
        }
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

    /**
     * The RST checks of the CLOSE transition. Returns null for an invalid RST (sequence before the highest
     * ACK seen), TRUE when the window check is skipped, FALSE when it applies. Sets {@code keepStateOnRst}
     * when the RST does not hit the expected sequence exactly (a challenge ACK may follow).
     */
    private static Boolean rstSkipsWindow(ConntrackEntry ct, ConntrackEntry.Tcp t, int d, TcpSegmentFacts s,
                                          TcpState old, ConntrackSettings settings) {
        if (old.canEarlyDrop()) return true;
        int rd = 1 - d;
        if ((t.seen[rd].flags & F_MAXACK_SET) != 0 && t.lastIndex != SYN_SET) {
            int seq = s.seq();
            boolean established = old == TcpState.ESTABLISHED && ct.has(Status.ASSURED);
            if (seq == 0 && !established) return false;
            if (before(seq, t.seen[rd].tdMaxack) && !settings.tcpIgnoreInvalidRst()) return null;
            if (!established || seq == t.seen[rd].tdMaxack) return false;
            if (t.lastIndex == ACK_SET && t.lastDir == d && seq == t.lastEnd) return false;
            t.keepStateOnRst = true;
        }
        if (((ct.has(Status.SEEN_REPLY) && t.lastIndex == SYN_SET) || (!ct.has(Status.ASSURED) && t.lastIndex == ACK_SET))
                && s.ackSeq() == t.lastEnd) {
            return true;
        }
        return old == TcpState.SYN_SENT && t.lastIndex == ACK_SET && t.lastDir == 1 && s.seq() == t.lastAck;
    }

    private static void initSender(ConntrackEntry.TcpSide sender, ConntrackEntry.TcpSide receiver,
                                   TcpSegmentFacts s, int end, int win, int d) {
        sender.tdEnd = end;
        sender.tdMaxend = end;
        sender.tdMaxwin = win == 0 ? 1 : win;
        applyOptions(sender, s);
        if (d == 1 && !((sender.flags & F_WINDOW_SCALE) != 0 && (receiver.flags & F_WINDOW_SCALE) != 0)) {
            sender.tdScale = 0;
            receiver.tdScale = 0;
        }
    }

    private static int maxAckWindow(ConntrackEntry.TcpSide sender) {
        return Integer.compareUnsigned(sender.tdMaxwin, MAXACKWINCONST) > 0 ? sender.tdMaxwin : MAXACKWINCONST;
    }

    /** tcp_in_window; returns ACCEPT, IGNORE or INVALID (liberal senders never get INVALID/IGNORE). */
    private static Outcome inWindow(ConntrackEntry ct, int d, int index, TcpSegmentFacts s,
                                    ConntrackSettings settings) {
        ConntrackEntry.Tcp state = ct.tcp();
        ConntrackEntry.TcpSide sender = state.seen[d];
        ConntrackEntry.TcpSide receiver = state.seen[1 - d];
        int seq = s.seq();
        int ack = s.ackSeq();
        int sack = ack;
        int winRaw = s.window();
        int win = winRaw;
        int end = s.end();
        if ((receiver.flags & F_SACK_PERM) != 0 && s.highestSack().isPresent() && after(s.highestSack().get(), sack)) {
            sack = s.highestSack().get();
        }
        if (sender.tdMaxwin == 0) {
            if (s.syn()) {
                initSender(sender, receiver, s, end, win, d);
                if (!s.ack()) return Outcome.ACCEPT; // simultaneous open
            } else {
                sender.tdEnd = end;
                int swin = win << sender.tdScale;
                sender.tdMaxwin = swin == 0 ? 1 : swin;
                sender.tdMaxend = end + sender.tdMaxwin;
                if (receiver.tdMaxwin == 0) {
                    receiver.tdEnd = sack;
                    receiver.tdMaxend = sack;
                } else if (sack == receiver.tdEnd + 1) {
                    receiver.tdEnd++;
                }
            }
        } else if (s.syn() && after(end, sender.tdEnd)
                && (state.state == TcpState.SYN_SENT || state.state == TcpState.SYN_RECV)) {
            initSender(sender, receiver, s, end, win, d);
            if (d == 1 && !s.ack()) return Outcome.ACCEPT;
        }
        if (!s.ack()) {
            ack = receiver.tdEnd;
            sack = ack;
        } else if (s.rst() && ack == 0) {
            ack = receiver.tdEnd;
            sack = ack;
        }
        if (s.rst() && seq == 0 && state.state == TcpState.SYN_SENT) {
            seq = sender.tdEnd;
            end = seq;
        }
        boolean liberal = (sender.flags & F_BE_LIBERAL) != 0 || settings.tcpBeLiberal();
        boolean seqOk = before(seq, sender.tdMaxend + 1);
        if (!seqOk) {
            int overshot = end - sender.tdMaxend + 1;
            boolean ackOk = after(sack, receiver.tdEnd - maxAckWindow(sender) - 1);
            boolean inRecvWin = receiver.tdMaxwin != 0 && after(end, sender.tdEnd - receiver.tdMaxwin - 1);
            if (inRecvWin && ackOk && Integer.compareUnsigned(overshot, receiver.tdMaxwin) <= 0
                    && before(sack, receiver.tdEnd + 1)) {
                sender.tdEnd = end;
                sender.flags |= F_DATA_UNACKNOWLEDGED;
                return liberal ? Outcome.ACCEPT : Outcome.IGNORE;
            }
            return liberal ? Outcome.ACCEPT : Outcome.INVALID;
        }
        if (!before(sack, receiver.tdEnd + 1)) return liberal ? Outcome.ACCEPT : Outcome.INVALID;
        boolean inRecvWin = receiver.tdMaxwin == 0 || after(end, sender.tdEnd - receiver.tdMaxwin - 1);
        if (!inRecvWin) return liberal ? Outcome.ACCEPT : Outcome.IGNORE;
        if (!after(sack, receiver.tdEnd - maxAckWindow(sender) - 1)) return liberal ? Outcome.ACCEPT : Outcome.IGNORE;

        if (!s.syn()) win <<= sender.tdScale;
        int swin = win + (sack - ack);
        if (Integer.compareUnsigned(sender.tdMaxwin, swin) < 0) sender.tdMaxwin = swin;
        if (after(end, sender.tdEnd)) {
            sender.tdEnd = end;
            sender.flags |= F_DATA_UNACKNOWLEDGED;
        }
        if (s.ack()) {
            if ((sender.flags & F_MAXACK_SET) == 0) {
                sender.tdMaxack = ack;
                sender.flags |= F_MAXACK_SET;
            } else if (after(ack, sender.tdMaxack)) {
                sender.tdMaxack = ack;
            }
        }
        if (receiver.tdMaxwin != 0 && after(end, sender.tdMaxend)) receiver.tdMaxwin += end - sender.tdMaxend;
        if (after(sack + win, receiver.tdMaxend - 1)) {
            receiver.tdMaxend = sack + win;
            if (win == 0) receiver.tdMaxend++;
        }
        if (ack == receiver.tdEnd) receiver.flags &= ~F_DATA_UNACKNOWLEDGED;
        if (index == ACK_SET) {
            if (state.lastDir == d && state.lastSeq == seq && state.lastAck == ack && state.lastEnd == end
                    && state.lastWin == winRaw) {
                state.retrans++;
            } else {
                state.lastDir = d;
                state.lastSeq = seq;
                state.lastAck = ack;
                state.lastEnd = end;
                state.lastWin = winRaw;
                state.retrans = 0;
            }
        }
        return Outcome.ACCEPT;
    }
}
