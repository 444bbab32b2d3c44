package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpType;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.tcp.TcpFlags;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.tcp.TcpOption;
import org.vnetlab.protocols.tcp.TcpSegment;

/**
 * One TCP connection, small but real (RFC 9293 with Linux's choices):
 * <ul>
 *   <li>Handshake with the OS profile's SYN options (MSS from the route MTU, SACK permitted, timestamps,
 *       window scale) and only what both sides offered in use; SYN retransmitted after the initial RTO,
 *       doubling, tcp_syn_retries times (Linux: 1 s, SYNs at 0, 1, 3, 7, 15, 31, 63 s, ETIMEDOUT at 127 s);
 *       SYN-ACKs likewise up to tcp_synack_retries.</li>
 *   <li>Data in order, cut to the effective MSS (peer MSS, route MTU − 40, minus 12 with timestamps), within
 *       the peer's window and a congestion window of 10 segments growing by one per ACK (no loss recovery
 *       beyond retransmitting the oldest segment on RTO, RFC 6298 estimator with Linux's 200 ms minimum,
 *       Karn's rule). Out-of-order segments are dropped and answered with a duplicate ACK (no SACK blocks,
 *       no reordering queue).</li>
 *   <li>Every data segment is acknowledged at once, before the application sees the data: Linux's
 *       quick-ACK mode at the start of a connection; no delayed-ACK timer is emulated.</li>
 *   <li>FIN close (FIN_WAIT_1/2, CLOSING, TIME_WAIT for 60 s, CLOSE_WAIT, LAST_ACK); RST: a reset in
 *       SYN_SENT acknowledging our SYN is "connection refused", in a synchronized state with the expected
 *       sequence "connection reset", elsewhere in the window a challenge ACK (RFC 5961).</li>
 *   <li>ICMP errors: in SYN_SENT they end the attempt with their errno (a REJECT's port unreachable is
 *       "connection refused"); later they are kept as the soft error reported if the connection times out.</li>
 *   <li>IP: DF set (segments fit the route), ID counting from a random start per connection; SYN-ACKs from
 *       the listener side carry ID 0 (ip_build_and_send_pkt).</li>
 * </ul>
 */
public final class TcpConnection {
    public enum State { SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSING, TIME_WAIT, CLOSE_WAIT, LAST_ACK, CLOSED }

    /** What the application hears; every method runs in the event that caused it. */
    public interface Handler {
        default void connected(TcpConnection c) { }

        default void received(TcpConnection c, byte[] data) { }

        /** The peer sent FIN: end of its data (read returns 0). */
        default void peerClosed(TcpConnection c) { }

        /** The connection is gone (after a clean close, TIME_WAIT not waited for). */
        default void closed(TcpConnection c) { }

        /** connect() or the connection failed: refused, reset, timed out, unreachable. */
        default void failed(TcpConnection c, SocketError error) { }
    }

    private static final long TIME_WAIT_NANOS = 60_000_000_000L;
    private static final long MIN_RTO_NANOS = 200_000_000L;
    private static final long MAX_RTO_NANOS = 120_000_000_000L;
    private static final int TCP_RETRIES2 = 15;
    private static final int INITIAL_CWND = 10;

    private final Tcp tcp;
    private final IpStack stack;
    private final Tcp.Key key;
    private final boolean passive;
    private final TcpListener listener;
    private Handler handler;
    private State state;
    private final int routeMtu;

    // send side
    private final long iss;
    private long sndUna;
    private long sndNxt;
    private long sndWnd;
    private int sndScale;
    private final ByteBuf sendQueue = Unpooled.buffer();
    private boolean finQueued;
    private long finSeq = -1;
    private int cwnd = INITIAL_CWND;
    // receive side
    private long irs;
    private long rcvNxt;
    private int rcvScale;
    private final int rcvBuffer;
    // options
    private int peerMss = 536;
    private boolean wscaleOk;
    private boolean tsOk;
    private boolean sackOk;
    private long tsRecent;
    private final long tsOffset;
    private final int[] ipId;
    // timers
    private final Timer rtoTimer;
    private Timer timeWaitTimer;
    private long rto;
    private long srtt = -1;
    private long rttvar;
    private int retries;
    private long rttSeq = -1;
    private long rttStart;
    private Optional<SocketError> softError = Optional.empty();

    private TcpConnection(Tcp tcp, Tcp.Key key, int routeMtu, boolean passive, TcpListener listener, Handler handler) {
        this.tcp = tcp;
        this.stack = tcp.stack();
        this.key = key;
        this.routeMtu = routeMtu;
        this.passive = passive;
        this.listener = listener;
        this.handler = handler;
        OsProfile os = stack.os();
        this.iss = stack.random().nextLong() & 0xffff_ffffL;
        this.tsOffset = stack.random().nextLong() & 0xffff_ffffL;
        this.ipId = new int[] {stack.random().nextInt(65536)};
        this.rcvBuffer = os.tcpReceiveBuffer();
        this.rcvScale = os.tcpWindowScale();
        this.rto = os.tcpInitialRtoMillis() * 1_000_000L;
        this.sndUna = iss;
        this.sndNxt = iss;
        String label = stack.path() + " tcp " + key.localAddress() + ":" + key.localPort() + " " + key.remoteAddress() + ":" + key.remotePort();
        this.rtoTimer = stack.lab().scheduler().timer(label + " rto", this::retransmitTimeout);
    }

    static TcpConnection active(Tcp tcp, Tcp.Key key, int routeMtu, Handler handler) {
        TcpConnection c = new TcpConnection(tcp, key, routeMtu, false, null, handler);
        c.state = State.SYN_SENT;
        return c;
    }

    static TcpConnection passive(Tcp tcp, Tcp.Key key, int routeMtu, TcpListener listener, Ipv4Packet ip, TcpSegment syn) {
        TcpConnection c = new TcpConnection(tcp, key, routeMtu, true, listener, new Handler() { });
        c.state = State.SYN_RECV;
        c.irs = syn.sequence();
        c.rcvNxt = (syn.sequence() + 1) & 0xffff_ffffL;
        c.sndWnd = syn.window();
        c.readOptions(syn, true);
        return c;
    }

    Tcp.Key key() { return key; }

    public State state() { return state; }

    public Ipv4Address localAddress() { return key.localAddress(); }

    public int localPort() { return key.localPort(); }

    public Ipv4Address remoteAddress() { return key.remoteAddress(); }

    public int remotePort() { return key.remotePort(); }

    /** Sets who hears this connection's events (a server sets it in accept, or later). */
    public void setHandler(Handler h) { this.handler = h; }

    void start() {
        sendSyn();
        armRto();
    }

    // ------------------------------------------------------------------ application side

    /** write(): queued, sent as the windows allow. */
    public void write(byte[] data) throws SocketException {
        if (state == State.CLOSED) throw new SocketException(Errno.ENOTCONN, "write");
        if (finQueued) throw new SocketException(Errno.EPERM, "write after shutdown");
        sendQueue.writeBytes(data);
        if (isSynchronized()) trySend();
    }

    /** close(): FIN once the queued data is out. */
    public void close() {
        if (state == State.CLOSED || finQueued) return;
        if (state == State.SYN_SENT) {
            finish(false);
            return;
        }
        finQueued = true;
        if (isSynchronized()) trySend();
    }

    /** close() with SO_LINGER 0: a RST, the connection is gone. */
    public void abort() {
        if (state == State.CLOSED) return;
        if (state != State.SYN_SENT) transmit(TcpFlags.RST | TcpFlags.ACK, sndNxt, new byte[0], false);
        stack.count(Mib.TCP_OUT_RSTS);
        finish(false);
    }

    private boolean isSynchronized() {
        return state != State.SYN_SENT && state != State.SYN_RECV && state != State.CLOSED;
    }

    // ------------------------------------------------------------------ output

    private int effectiveMss() {
        int own = routeMtu - 40;
        return Math.max(1, Math.min(peerMss, own) - (tsOk ? 12 : 0));
    }

    private List<TcpOption> synOptions(boolean synAck) {
        OsProfile os = stack.os();
        int mss = routeMtu - 40;
        boolean ts = synAck ? tsOk : os.tcpTimestamps();
        boolean sack = synAck ? sackOk : os.tcpSack();
        boolean ws = synAck ? wscaleOk : true;
        List<TcpOption> o = new ArrayList<>();
        o.add(new TcpOption.Mss(mss));
        if (os.synOptionOrder() == OsProfile.SynOptionOrder.WINDOWS) {
            if (ws) {
                o.add(new TcpOption.NoOp());
                o.add(new TcpOption.WindowScale(os.tcpWindowScale()));
            }
            if (sack) {
                o.add(new TcpOption.NoOp());
                o.add(new TcpOption.NoOp());
                o.add(new TcpOption.SackPermitted());
            }
            if (ts) {
                o.add(new TcpOption.NoOp());
                o.add(new TcpOption.NoOp());
                o.add(new TcpOption.Timestamps(tsVal(), synAck ? tsRecent : 0));
            }
            return o;
        }
        if (ts) {
            if (sack) o.add(new TcpOption.SackPermitted());
            else {
                o.add(new TcpOption.NoOp());
                o.add(new TcpOption.NoOp());
            }
            o.add(new TcpOption.Timestamps(tsVal(), synAck ? tsRecent : 0));
        } else if (sack) {
            o.add(new TcpOption.NoOp());
            o.add(new TcpOption.NoOp());
            o.add(new TcpOption.SackPermitted());
        }
        if (ws) {
            o.add(new TcpOption.NoOp());
            o.add(new TcpOption.WindowScale(os.tcpWindowScale()));
        }
        return o;
    }

    private long tsVal() { return (stack.lab().now() / 1_000_000L + tsOffset) & 0xffff_ffffL; }

    private void sendSyn() {
        boolean synAck = passive;
        int flags = synAck ? TcpFlags.SYN | TcpFlags.ACK : TcpFlags.SYN;
        TcpHeader h = new TcpHeader(key.localPort(), key.remotePort(), iss, synAck ? rcvNxt : 0, flags,
                stack.os().tcpSynWindow(), 0, synOptions(synAck));
        if (synSentAt < 0) synSentAt = stack.lab().now();
        send(h, new byte[0], synAck);
        sndNxt = (iss + 1) & 0xffff_ffffL;
    }

    private int advertisedWindow() {
        int scale = wscaleOk ? rcvScale : 0;
        return (int) Math.min(rcvBuffer >> scale, 0xffff);
    }

    private void transmit(int flags, long seq, byte[] data, boolean trackRtt) {
        List<TcpOption> opts = tsOk ? List.of(new TcpOption.NoOp(), new TcpOption.NoOp(), new TcpOption.Timestamps(tsVal(), tsRecent))
                : List.of();
        TcpHeader h = new TcpHeader(key.localPort(), key.remotePort(), seq, (flags & TcpFlags.ACK) != 0 ? rcvNxt : 0,
                flags, advertisedWindow(), 0, opts);
        if (trackRtt && rttSeq < 0) {
            rttSeq = seq;
            rttStart = stack.lab().now();
        }
        send(h, data, false);
    }

    private void send(TcpHeader h, byte[] data, boolean listenerSide) {
        SendOptions o = SendOptions.defaults(SendOptions.Pmtu.WANT);
        Optional<Errno> err = stack.send(new IpStack.Outgoing(IpStack.PROTO_TCP, Optional.of(key.localAddress()),
                key.remoteAddress(), o, false, listenerSide ? null : ipId, listenerSide, payload(h, data)));
        if (err.isEmpty()) stack.count(Mib.TCP_OUT_SEGS);
        else softError = Optional.of(SocketError.of(err.get()));
    }

    static IpStack.Payload payload(TcpHeader h, byte[] data) {
        return new IpStack.Payload() {
            @Override
            public int length() { return h.length() + data.length; }

            @Override
            public void write(ByteBuf buf, int offset, Ipv4Address s, Ipv4Address d) {
                buf.setBytes(offset + h.length(), data);
                h.emit(buf, offset, data.length, s, d);
            }
        };
    }

    private long inFlight() { return (sndNxt - sndUna) & 0xffff_ffffL; }

    private void trySend() {
        if (!isSynchronized()) return;
        int mss = effectiveMss();
        while (true) {
            long queuedUnsent = sendQueue.readableBytes() - dataInFlight();
            long window = Math.min(sndWnd, (long) cwnd * mss) - inFlight();
            if (queuedUnsent <= 0 || window <= 0) break;
            int len = (int) Math.min(Math.min(mss, queuedUnsent), window);
            byte[] data = new byte[len];
            sendQueue.getBytes(sendQueue.readerIndex() + (int) dataInFlight(), data);
            boolean last = len == queuedUnsent;
            int flags = TcpFlags.ACK | (last ? TcpFlags.PSH : 0);
            boolean fin = last && finQueued && finSeq < 0 && canSendFin();
            if (fin) flags |= TcpFlags.FIN;
            transmit(flags, sndNxt, data, true);
            sndNxt = (sndNxt + len) & 0xffff_ffffL;
            if (fin) sentFin();
            armRtoIfIdle();
        }
        if (finQueued && finSeq < 0 && sendQueue.readableBytes() == dataInFlight() && canSendFin()) {
            transmit(TcpFlags.FIN | TcpFlags.ACK, sndNxt, new byte[0], false);
            sentFin();
            armRtoIfIdle();
        }
    }

    private boolean canSendFin() { return state == State.ESTABLISHED || state == State.CLOSE_WAIT; }

    private void sentFin() {
        finSeq = sndNxt;
        sndNxt = (sndNxt + 1) & 0xffff_ffffL;
        state = state == State.CLOSE_WAIT ? State.LAST_ACK : State.FIN_WAIT_1;
    }

    /** Bytes of the send queue already sent and not yet acknowledged (SYN and FIN excluded). */
    private long dataInFlight() {
        long f = inFlight();
        if (finSeq >= 0 && seqLe(finSeq, sndNxt) && seqLt(finSeq, sndNxt) && seqLe(sndUna, finSeq)) f -= 1;
        return Math.max(0, Math.min(f, sendQueue.readableBytes()));
    }

    private void ackNow() { transmit(TcpFlags.ACK, sndNxt, new byte[0], false); }

    // ------------------------------------------------------------------ timers

    private void armRto() { rtoTimer.start(rto); }

    private void armRtoIfIdle() { if (!rtoTimer.isPending()) armRto(); }

    private void retransmitTimeout() {
        if (state == State.CLOSED || state == State.TIME_WAIT) return;
        boolean handshake = state == State.SYN_SENT || state == State.SYN_RECV;
        int limit = handshake ? (passive ? stack.settings().tcpSynackRetries() : stack.settings().tcpSynRetries()) : TCP_RETRIES2;
        if (retries >= limit) {
            SocketError e = softError.orElse(SocketError.of(Errno.ETIMEDOUT));
            if (handshake && !passive) stack.count(Mib.TCP_ATTEMPT_FAILS);
            fail(e);
            return;
        }
        retries++;
        rto = Math.min(rto * 2, MAX_RTO_NANOS);
        rttSeq = -1; // Karn: no sample from a retransmitted segment
        cwnd = 1;
        stack.count(Mib.TCP_RETRANS_SEGS);
        if (handshake) {
            sendSyn();
        } else {
            long dataOut = dataInFlight();
            if (dataOut > 0) {
                byte[] data = new byte[(int) Math.min(effectiveMss(), dataOut)];
                sendQueue.getBytes(sendQueue.readerIndex(), data);
                transmit(TcpFlags.ACK | TcpFlags.PSH, sndUna, data, false);
            } else if (finSeq >= 0) {
                transmit(TcpFlags.FIN | TcpFlags.ACK, finSeq, new byte[0], false);
            }
        }
        armRto();
    }

    private void rttSample(long nanos) {
        if (srtt < 0) {
            srtt = nanos;
            rttvar = nanos / 2;
        } else {
            long err = Math.abs(srtt - nanos);
            rttvar = (3 * rttvar + err) / 4;
            srtt = (7 * srtt + nanos) / 8;
        }
        rto = Math.min(Math.max(srtt + Math.max(1_000_000L, 4 * rttvar), MIN_RTO_NANOS), MAX_RTO_NANOS);
    }

    // ------------------------------------------------------------------ input

    private void readOptions(TcpSegment seg, boolean syn) {
        boolean ws = false;
        boolean ts = false;
        boolean sack = false;
        for (TcpOption o : seg.optionList()) {
            if (o instanceof TcpOption.Mss m && syn) peerMss = m.value();
            else if (o instanceof TcpOption.WindowScale w && syn) {
                ws = true;
                sndScale = Math.min(w.shift(), 14);
            } else if (o instanceof TcpOption.SackPermitted && syn) sack = true;
            else if (o instanceof TcpOption.Timestamps t) {
                ts = true;
                tsRecent = t.value();
            }
        }
        if (syn) {
            OsProfile os = stack.os();
            wscaleOk = ws;
            if (!ws) {
                sndScale = 0;
                rcvScale = 0;
            }
            tsOk = ts && os.tcpTimestamps();
            sackOk = sack && os.tcpSack();
        }
    }

    void segment(Ipv4Packet ip, TcpSegment seg) {
        switch (state) {
            case CLOSED -> { }
            case SYN_SENT -> synSent(seg);
            default -> synchronizedSegment(seg);
        }
    }

    private void synSent(TcpSegment seg) {
        boolean ack = seg.has(TcpFlags.ACK);
        if (ack && seg.acknowledgment() != sndNxt) {
            if (!seg.has(TcpFlags.RST)) tcp.sendReset(ipOf(seg), seg);
            return;
        }
        if (seg.has(TcpFlags.RST)) {
            if (ack) {
                stack.count(Mib.TCP_ATTEMPT_FAILS);
                fail(SocketError.of(Errno.ECONNREFUSED));
            }
            return;
        }
        if (!seg.has(TcpFlags.SYN) || !ack) return; // simultaneous open is not emulated
        irs = seg.sequence();
        rcvNxt = (irs + 1) & 0xffff_ffffL;
        readOptions(seg, true);
        sndUna = seg.acknowledgment();
        sndWnd = (long) seg.window(); // the SYN-ACK's window is never scaled
        state = State.ESTABLISHED;
        rtoTimer.cancel();
        if (retries == 0) rttSample(stack.lab().now() - rttStartOfSyn());
        retries = 0;
        stack.confirmNeighbour(key.remoteAddress());
        ackNow();
        handler.connected(this);
        trySend();
    }

    private long synSentAt = -1;

    private long rttStartOfSyn() { return synSentAt < 0 ? stack.lab().now() : synSentAt; }

    /** The peer's view for a reset to an unacceptable SYN-ACK (tcp_v4_send_reset needs the addresses). */
    private Ipv4Packet ipOf(TcpSegment seg) {
        org.vnetlab.protocols.ipv4.Ipv4Header h = org.vnetlab.protocols.ipv4.Ipv4Header.of(key.remoteAddress(), key.localAddress(),
                org.vnetlab.protocols.ipv4.IpProtocol.TCP, 64, 0, true, seg.length());
        ByteBuf b = Unpooled.buffer(h.totalLength());
        h.emit(b, 0);
        b.setBytes(h.length(), seg.buffer(), seg.buffer().readerIndex(), seg.length());
        b.writerIndex(h.totalLength());
        return IpStack.ipv4(b);
    }

    private void synchronizedSegment(TcpSegment seg) {
        long seq = seg.sequence();
        int len = seg.length() - seg.headerLength();
        int segLen = len + (seg.has(TcpFlags.SYN) ? 1 : 0) + (seg.has(TcpFlags.FIN) ? 1 : 0);
        long wnd = Math.max(1, rcvBuffer);
        boolean acceptable = segLen == 0 ? seqLe(rcvNxt, seq) && seqLt(seq, rcvNxt + wnd)
                : (seqLe(rcvNxt, seq) && seqLt(seq, rcvNxt + wnd)) || (seqLe(rcvNxt, seq + segLen - 1) && seqLt(seq + segLen - 1, rcvNxt + wnd));
        if (state == State.SYN_RECV && seg.has(TcpFlags.SYN) && !seg.has(TcpFlags.ACK) && seq == irs) {
            sendSyn(); // a retransmitted SYN: answer with the SYN-ACK again
            return;
        }
        if (seg.has(TcpFlags.RST)) {
            if (seq == rcvNxt) {
                if (state == State.SYN_RECV) {
                    finish(false);
                    return;
                }
                if (state == State.ESTABLISHED || state == State.CLOSE_WAIT) stack.count(Mib.TCP_ESTAB_RESETS);
                fail(SocketError.of(Errno.ECONNRESET));
            } else if (acceptable && state != State.SYN_RECV) {
                ackNow(); // RFC 5961 challenge ACK
            }
            return;
        }
        if (!acceptable) {
            if (state != State.SYN_RECV) ackNow();
            return;
        }
        if (seg.has(TcpFlags.SYN)) {
            ackNow(); // RFC 5961: a SYN in a synchronized state gets a challenge ACK
            return;
        }
        if (!seg.has(TcpFlags.ACK)) return;
        if (tsOk) readOptions(seg, false);
        long ack = seg.acknowledgment();
        if (state == State.SYN_RECV) {
            if (!(seqLt(sndUna, ack) && seqLe(ack, sndNxt))) {
                tcp.sendReset(ipOf(seg), seg);
                return;
            }
            sndUna = ack;
            sndWnd = (long) seg.window() << sndScale;
            state = State.ESTABLISHED;
            rtoTimer.cancel();
            retries = 0;
            ipId[0] = stack.random().nextInt(65536); // tcp_v4_syn_recv_sock: the child's own random ID start
            handler = listener.acceptor().accept(this);
            if (handler == null) handler = new Handler() { };
        } else if (seqLt(sndNxt, ack)) {
            ackNow(); // acknowledges something not sent yet
            return;
        } else if (seqLt(sndUna, ack)) {
            long acked = (ack - sndUna) & 0xffff_ffffL;
            boolean finAcked = finSeq >= 0 && seqLt(finSeq, ack);
            long dataAcked = Math.min(acked - (finAcked ? 1 : 0), sendQueue.readableBytes());
            sendQueue.skipBytes((int) dataAcked);
            sendQueue.discardReadBytes();
            if (rttSeq >= 0 && seqLt(rttSeq, ack)) {
                rttSample(stack.lab().now() - rttStart);
                rttSeq = -1;
            }
            sndUna = ack;
            retries = 0;
            cwnd++;
            stack.confirmNeighbour(key.remoteAddress());
            if (sndUna == sndNxt) rtoTimer.cancel();
            else armRto();
            if (finAcked) {
                switch (state) {
                    case FIN_WAIT_1 -> state = State.FIN_WAIT_2;
                    case CLOSING -> enterTimeWait();
                    case LAST_ACK -> {
                        finish(true);
                        return;
                    }
                    default -> { }
                }
            }
        }
        sndWnd = (long) seg.window() << sndScale;
        if (state == State.TIME_WAIT) {
            if (seg.has(TcpFlags.FIN)) ackNow();
            return;
        }
        byte[] data = new byte[0];
        if (len > 0) {
            if (seq == rcvNxt && (state == State.ESTABLISHED || state == State.FIN_WAIT_1 || state == State.FIN_WAIT_2)) {
                data = ByteBufUtil.getBytes(seg.payload());
                rcvNxt = (rcvNxt + len) & 0xffff_ffffL;
            } else {
                ackNow(); // out of order or old: duplicate ACK, nothing queued
                return;
            }
        }
        boolean fin = seg.has(TcpFlags.FIN) && ((seq + len) & 0xffff_ffffL) == rcvNxt;
        if (fin) rcvNxt = (rcvNxt + 1) & 0xffff_ffffL;
        if (len > 0 || fin) ackNow();
        if (data.length > 0) handler.received(this, data);
        if (fin) {
            switch (state) {
                case ESTABLISHED -> {
                    state = State.CLOSE_WAIT;
                    handler.peerClosed(this);
                }
                case FIN_WAIT_1 -> {
                    if (finSeq >= 0 && seqLt(finSeq, sndUna)) enterTimeWait();
                    else state = State.CLOSING;
                    handler.peerClosed(this);
                }
                case FIN_WAIT_2 -> {
                    enterTimeWait();
                    handler.peerClosed(this);
                }
                default -> { }
            }
        }
        trySend();
    }

    private void enterTimeWait() {
        state = State.TIME_WAIT;
        rtoTimer.cancel();
        timeWaitTimer = stack.lab().scheduler().daemonTimer(stack.path() + " tcp time-wait", () -> finish(false));
        timeWaitTimer.start(TIME_WAIT_NANOS);
        handler.closed(this);
    }

    /** tcp_v4_err. */
    void icmpError(SocketError.Icmp icmp) {
        Errno err;
        if (icmp.type() == IcmpType.DESTINATION_UNREACHABLE) {
            if (icmp.code() > 15 || icmp.code() == IcmpCode.FRAGMENTATION_NEEDED) return;
            err = SocketError.unreachableErrno(icmp.code());
        } else if (icmp.type() == IcmpType.TIME_EXCEEDED) {
            err = Errno.EHOSTUNREACH;
        } else if (icmp.type() == IcmpType.PARAMETER_PROBLEM) {
            err = Errno.EPROTO;
        } else {
            return;
        }
        SocketError e = new SocketError(err, Optional.of(icmp));
        if (state == State.SYN_SENT || state == State.SYN_RECV) {
            if (!passive) stack.count(Mib.TCP_ATTEMPT_FAILS);
            fail(e);
        } else {
            softError = Optional.of(e);
        }
    }

    private void fail(SocketError e) {
        Handler h = handler;
        finish(false);
        h.failed(this, e);
    }

    private void finish(boolean notifyClosed) {
        boolean wasTimeWait = state == State.TIME_WAIT;
        state = State.CLOSED;
        rtoTimer.cancel();
        if (timeWaitTimer != null && !wasTimeWait) timeWaitTimer.cancel();
        tcp.remove(this);
        if (notifyClosed) handler.closed(this);
    }

    static boolean seqLt(long a, long b) { return (int) (a - b) < 0; }

    static boolean seqLe(long a, long b) { return (int) (a - b) <= 0; }

    @Override
    public String toString() {
        return "TcpConnection[" + key.localAddress() + ":" + key.localPort() + " -> " + key.remoteAddress() + ":" + key.remotePort()
                + " " + state + "]";
    }
}
