package org.vnetlab.emulator.conntrack;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * The established-flow path: what the host does to a forwarded packet of a confirmed, replied connection
 * whose NAT is decided — conntrack lookup by the tuple read in place, the protocol tracker's update (UDP
 * and ICMP timeouts; TCP window tracking), accounting, the NAT binding of PREROUTING (destination), the
 * TTL decrement, the binding of POSTROUTING (source) — with the same table, the same tracker code and the
 * same rewrite ({@link NatRewriter#manipulate}) as the hooks, and without allocating.
 *
 * <p>It leaves out the rule walk: like the kernel's flowtable ({@code flow add @ft}), a packet it takes
 * does not traverse the FORWARD chains, so rule counters do not move. Everything it cannot prove the full
 * traversal would treat the same way is a {@link #MISS}, returned before any state changes: fragments,
 * TTL ≤ 1, IP options it cannot read, bad checksums (with {@code nf_conntrack_checksum=1}), unknown or new
 * or unreplied connections, UDP flows not yet ASSURED, TCP segments other than an in-window ACK on an
 * ESTABLISHED connection (SYN, FIN, RST, SACK blocks), ICMP errors, and connections with undelivered
 * events. The caller then runs the packet through the hooks.
 */
public final class FastPath {
    /** The packet is not for the fast path; nothing was changed. */
    public static final int MISS = -1;
    /** Translated; the packet travelled in the connection's original direction. */
    public static final int ORIGINAL = 0;
    /** Translated; the packet travelled in the reply direction. */
    public static final int REPLY = 1;

    private static final int ETHERTYPE_IPV4 = 0x0800, ETH_HEADER = 14;
    private static final int SEEN_REPLY = 1 << Status.SEEN_REPLY.ordinal(), ASSURED = 1 << Status.ASSURED.ordinal(),
            SRC_NAT = 1 << Status.SRC_NAT.ordinal(), DST_NAT = 1 << Status.DST_NAT.ordinal(),
            FIXED_TIMEOUT = 1 << Status.FIXED_TIMEOUT.ordinal();

    private final ConntrackTable table;
    private final EntryStore store;
    private final TupleIndex index;
    /** Repositioned on each TCP packet: the tracker reads the state through it without allocating. */
    private final ConntrackEntry.Tcp tcp = new ConntrackEntry.Tcp();
    /** For buffers without a backing array: the packet is copied here and back. */
    private byte[] scratch = new byte[0];
    /** Frames whose table accesses {@link #forwardFrames} overlaps: enough misses in flight for a core's queue. */
    public static final int BATCH = 16;
    /**
     * Below this many slots the table (48 B a slot, ~11 B of index) fits in a core's L2, so there are no
     * misses to overlap and the read-ahead passes would only cost (measured: +15–20 ns a packet at 1 000 flows).
     */
    public static final int READ_AHEAD_MIN_SLOTS = 16_384;
    private final int readAheadMinSlots;
    /** The touch passes' notes per frame of a batch: the home cell, then the TCP state's number (-1: none). */
    private final int[] hints = new int[BATCH];
    /** What the touch passes read, kept so the JIT cannot drop the loads (they exist for their cache effect). */
    private long touched;

    public FastPath(ConntrackTable table) { this(table, READ_AHEAD_MIN_SLOTS); }

    /**
     * A fast path whose bursts read ahead once the table has {@code readAheadMinSlots} slots (0: always, so
     * that small tables in tests exercise the read-ahead too).
     */
    public FastPath(ConntrackTable table, int readAheadMinSlots) {
        this.readAheadMinSlots = readAheadMinSlots;
        this.table = table;
        this.store = table.store;
        this.index = table.index;
    }

    /** {@link #forward} for the IPv4 datagram in an untagged Ethernet frame (the frame's readable bytes). */
    public int forwardFrame(ByteBuf frame, long now) {
        int start = frame.readerIndex();
        if (frame.readableBytes() < ETH_HEADER + 20 || frame.getUnsignedShort(start + 12) != ETHERTYPE_IPV4) return MISS;
        return forward(frame, start + ETH_HEADER, frame.writerIndex() - start - ETH_HEADER, now);
    }

    /**
     * {@link #forwardFrame} for {@code frames[from]}, {@code frames[from + 1]}, … up to {@code to}, in that
     * order and all at time {@code now}, stopping at the first {@link #MISS}. Returns how many frames were
     * forwarded ({@link #ORIGINAL} or {@link #REPLY} in {@code verdicts} at the same indices); the frame after
     * them, if any, is a miss, left unchanged for the hooks — handling it and calling again with the rest gives
     * exactly the order of one frame at a time.
     *
     * <p>Before translating (in tables of at least {@value #READ_AHEAD_MIN_SLOTS} slots by default), passes that only
     * read go over up to {@value #BATCH} frames at a time: their index
     * cells, then the entries (with counters) those cells name, then TCP state. The cache misses of a batch
     * are then in flight together instead of paid one packet after another — the prefetch loop of VPP or
     * DPDK's examples; Java has no prefetch instruction, so a load stands in for it. The reads change
     * nothing, and the translation itself is {@link #forwardFrame}'s, so the bytes and the table are the same.
     */
    public int forwardFrames(ByteBuf[] frames, int from, int to, long now, int[] verdicts) {
        int i = from;
        while (i < to) {
            int end = Math.min(to, i + BATCH);
            if (store.highWater() >= readAheadMinSlots) touch(frames, i, end);
            for (; i < end; i++) {
                int r = forwardFrame(frames[i], now);
                if (r == MISS) return i - from;
                verdicts[i] = r;
            }
        }
        return to - from;
    }

    private void touch(ByteBuf[] frames, int from, int end) {
        int n = end - from;
        int[] h = hints;
        for (int k = 0; k < n; k++) h[k] = homeCell(frames[from + k]);
        long sink = 0;
        long[][] hot = store.hot;
        long[][] counters = store.counters;
        boolean tcpSeen = false;
        for (int k = 0; k < n; k++) {
            int cell = h[k];
            h[k] = -1;
            if (cell == 0) continue;
            int ref = TupleIndex.refOf(cell);
            int slot = ref >>> 1;
            int p = slot >>> EntryStore.PAGE_BITS, i = slot & EntryStore.PAGE_MASK;
            long meta = hot[p][i * EntryStore.STRIDE + EntryStore.W_META];
            sink += meta + hot[p][i * EntryStore.STRIDE + EntryStore.W_SIDE];
            if (p < counters.length && counters[p] != null) sink += counters[p][i * 4 + (ref & 1) * 2];
            if (((int) meta & 0xff) == ConntrackTuple.TCP) {
                h[k] = (int) (hot[p][i * EntryStore.STRIDE + EntryStore.W_SIDE] >>> 32);
                tcpSeen = true;
            }
        }
        if (tcpSeen) {
            int[][] tcpWords = store.tcpWords;
            for (int k = 0; k < n; k++) {
                int t = h[k];
                if (t >= 0) sink += tcpWords[t >>> EntryStore.PAGE_BITS][(t & EntryStore.PAGE_MASK) * EntryStore.TCP_STRIDE];
            }
        }
        touched += sink;
    }

    /** The index cell a frame's tuple hashes to (0 when the frame is not one the fast path could read). */
    private int homeCell(ByteBuf f) {
        int start = f.readerIndex();
        if (!f.hasArray() || f.writerIndex() - start < ETH_HEADER + 28) return 0;
        byte[] a = f.array();
        int l2 = f.arrayOffset() + start;
        int l3 = l2 + ETH_HEADER;
        int vihl = Bytes.u8(a, l3);
        int l4 = l3 + ((vihl & 0x0f) << 2);
        if (Bytes.u16(a, l2 + 12) != ETHERTYPE_IPV4 || (vihl >>> 4) != 4 || l4 + 8 > f.arrayOffset() + f.writerIndex()) {
            return 0;
        }
        int protocol = Bytes.u8(a, l3 + 9);
        int keys = protocol == ConntrackTuple.ICMP ? Bytes.u16(a, l4 + 4) << 16 | Bytes.u16(a, l4) : Bytes.i32(a, l4);
        return index.homeCell(protocol, Bytes.i32(a, l3 + Datagram.SOURCE), Bytes.i32(a, l3 + Datagram.DESTINATION), keys);
    }

    /**
     * Forwards the IPv4 datagram at {@code l3} ({@code available} bytes of it present) at time {@code now}:
     * returns {@link #ORIGINAL} or {@link #REPLY} after rewriting it in place, or {@link #MISS}. A heap buffer
     * is read and written in its backing array; any other is copied to a scratch array and back.
     */
    public int forward(ByteBuf b, int l3, int available, long now) {
        if (l3 < 0 || available < 0 || available > b.capacity() - l3) {
            throw new IndexOutOfBoundsException("datagram at " + l3 + " of " + available + " bytes outside the buffer");
        }
        if (b.hasArray()) return forward(b.array(), b.arrayOffset() + l3, available, now);
        if (scratch.length < available) scratch = new byte[Math.max(available, 2048)];
        b.getBytes(l3, scratch, 0, available);
        int r = forward(scratch, 0, available, now);
        if (r != MISS) b.setBytes(l3, scratch, 0, available);
        return r;
    }

    /** {@link #forward(ByteBuf, int, int, long)} on an array: the datagram at index {@code l3}. */
    public int forward(byte[] a, int l3, int available, long now) {
        // --- IPv4 header: what ip_rcv and nf_conntrack_in would look at ---
        if (available < 20) return MISS;
        int vihl = Bytes.u8(a, l3);
        int ihl = (vihl & 0x0f) << 2;
        if ((vihl >>> 4) != 4 || ihl < 20) return MISS;
        int total = Bytes.u16(a, l3 + Datagram.TOTAL_LENGTH);
        if (total < ihl + 8 || total > available) return MISS;
        if ((Bytes.u16(a, l3 + Datagram.FLAGS_FRAGMENT) & 0x3fff) != 0) return MISS; // MF or an offset
        int ttlWord = Bytes.u16(a, l3 + Datagram.TTL); // TTL and protocol
        if ((ttlWord >>> 8) <= 1) return MISS;
        int protocol = ttlWord & 0xff;
        int source = Bytes.i32(a, l3 + Datagram.SOURCE);
        int destination = Bytes.i32(a, l3 + Datagram.DESTINATION);
        int l4 = l3 + ihl;
        int l4Length = total - ihl;
        FastSettings settings = table.fastSettings();
        boolean verify = settings.checksum;

        // --- the transport checks of nf_conntrack_in (tcp_error / udp_error / icmp_error) and the tuple ---
        int keys;
        int tcpFlags = 0;
        if (protocol == ConntrackTuple.UDP) {
            int len = Bytes.u16(a, l4 + 4);
            if (len > l4Length || len < 8) return MISS;
            if (verify && Bytes.u16(a, l4 + 6) != 0 && !l4ChecksumOk(a, l4, l4Length, source, destination, protocol)) {
                return MISS;
            }
            keys = Bytes.i32(a, l4);
        } else if (protocol == ConntrackTuple.TCP) {
            if (l4Length < 20) return MISS;
            int doff = (Bytes.u8(a, l4 + 12) >>> 4) << 2;
            if (doff < 20 || doff > l4Length) return MISS;
            tcpFlags = Bytes.u8(a, l4 + 13);
            // an ACK without SYN, FIN or RST (URG, PSH, ECE, CWR may ride along): the one segment kind served
            if ((tcpFlags & (TcpSegmentFacts.SYN | TcpSegmentFacts.FIN | TcpSegmentFacts.RST | TcpSegmentFacts.ACK))
                    != TcpSegmentFacts.ACK) {
                return MISS;
            }
            if (doff > 20 && hasSackBlocks(a, l4 + 20, l4 + doff)) return MISS;
            if (verify && !l4ChecksumOk(a, l4, l4Length, source, destination, protocol)) return MISS;
            keys = Bytes.i32(a, l4);
        } else if (protocol == ConntrackTuple.ICMP) {
            int type = Bytes.u8(a, l4);
            // errors are RELATED and take the quoted-packet path; types past 18 are invalid
            if (type > IcmpTypes.MAX_TYPE || IcmpTypes.isError(type)) return MISS;
            if (verify && InternetChecksum.fold(sum(a, l4, l4Length, 0)) != 0xffff) return MISS;
            keys = Bytes.u16(a, l4 + 4) << 16 | Bytes.u16(a, l4);
        } else {
            return MISS;
        }

        // --- lookup (after the expiry the hooks run first) ---
        table.expire(now);
        int ref = index.find(protocol, source, destination, keys);
        if (ref < 0) return MISS;
        int slot = ref >>> 1;
        int dir = ref & 1;
        long[] page = store.hot[slot >>> EntryStore.PAGE_BITS];
        int base = (slot & EntryStore.PAGE_MASK) * EntryStore.STRIDE;
        long meta = page[base + EntryStore.W_META];
        int status = (int) (meta >>> EntryStore.STATUS_SHIFT) & EntryStore.STATUS_MASK;
        // replied, and no events waiting for a confirm point to deliver them
        if ((status & SEEN_REPLY) == 0 || ((meta >>> EntryStore.EVENT_SHIFT) & EntryStore.EVENT_MASK) != 0) return MISS;

        // --- the protocol tracker ---
        long timeout;
        if (protocol == ConntrackTuple.UDP) {
            // ASSURED is set only past the stream deadline, so this is udp_packet's stream branch
            if ((status & ASSURED) == 0) return MISS;
            timeout = settings.udpStream;
        } else if (protocol == ConntrackTuple.ICMP) {
            int originalType = (int) (page[base + EntryStore.W_KEYS] >>> 40) & 0xff;
            if (!IcmpTypes.startsFlow(originalType)) return MISS;
            timeout = settings.icmp;
        } else {
            if ((status & ASSURED) == 0) return MISS;
            ConntrackEntry.Tcp t = store.tcpAt((int) (page[base + EntryStore.W_SIDE] >>> 32), tcp);
            if (t.state() != TcpState.ESTABLISHED || t.maxwin(dir) == 0) return MISS;
            int dataOffset = (Bytes.u8(a, l4 + 12) >>> 4) << 2;
            int seq = Bytes.i32(a, l4 + 4);
            int end = seq + (l4Length - dataOffset);
            timeout = TcpTracker.establishedAck(t, dir, seq, Bytes.i32(a, l4 + 8), Bytes.u16(a, l4 + 14), end,
                    tcpFlags, settings);
            if (timeout == TcpTracker.WINDOW_INVALID) return MISS;
        }
        if (timeout >= 0 && (status & FIXED_TIMEOUT) == 0) store.setTimeout(slot, now + timeout, true);
        if (settings.acct) store.account(slot, dir, total);

        // --- NAT as the hooks apply it: PREROUTING rewrites the destination, POSTROUTING the source ---
        long other = page[base + (dir == 0 ? EntryStore.W_REPLY : EntryStore.W_ORIG)];
        int otherKeys = (int) (page[base + EntryStore.W_KEYS] >>> (dir == 0 ? 0 : 32));
        boolean icmp = protocol == ConntrackTuple.ICMP;
        if ((status & (dir == 0 ? DST_NAT : SRC_NAT)) != 0) {
            NatRewriter.manipulate(a, l3, l4, l4Length, false, protocol, false, (int) (other >>> 32), otherKeys >>> 16);
        }
        Bytes.set8(a, l3 + Datagram.TTL, (ttlWord >>> 8) - 1);
        Bytes.set16(a, l3 + Datagram.CHECKSUM,
                InternetChecksum.update16(Bytes.u16(a, l3 + Datagram.CHECKSUM), ttlWord, ttlWord - 0x100));
        if ((status & (dir == 0 ? SRC_NAT : DST_NAT)) != 0) {
            NatRewriter.manipulate(a, l3, l4, l4Length, false, protocol, true, (int) other,
                    icmp ? otherKeys >>> 16 : otherKeys & 0xffff);
        }
        return dir;
    }

    private static boolean l4ChecksumOk(byte[] a, int l4, int length, int source, int destination, int protocol) {
        return InternetChecksum.fold(sum(a, l4, length, InternetChecksum.pseudoHeaderSum(source, destination, protocol, length)))
                == 0xffff;
    }

    /**
     * InternetChecksum.partialSum read 32 bits at a time: a big-endian word hi·2¹⁶ + lo is congruent to
     * hi + lo modulo 2¹⁶ − 1, so the folded sum is the same (RFC 1071's "parallel summation").
     */
    private static long sum(byte[] a, int from, int length, long initial) {
        long s = initial;
        int i = from, end = from + length;
        for (; i + 4 <= end; i += 4) s += Bytes.i32(a, i) & 0xffff_ffffL;
        if (i + 2 <= end) {
            s += Bytes.u16(a, i);
            i += 2;
        }
        if (i < end) s += Bytes.u8(a, i) << 8;
        return s;
    }

    /** Whether the TCP options between {@code from} and {@code to} carry SACK blocks (option 5). */
    private static boolean hasSackBlocks(byte[] a, int from, int to) {
        int i = from;
        while (i < to) {
            int kind = Bytes.u8(a, i);
            if (kind == 0) return false;
            if (kind == 1) {
                i++;
                continue;
            }
            if (i + 1 >= to) return false;
            int size = Bytes.u8(a, i + 1);
            if (size < 2) return false;
            if (kind == 5) return true;
            i += size;
        }
        return false;
    }
}
