package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpType;

/**
 * The namespace's IPv4 fragment queues (ip_fragment.c over inet_fragment.c), one implementation for every
 * {@link DefragUser}: local delivery and nf_defrag_ipv4 at PREROUTING (routed or bridged) and OUTPUT. A queue is
 * keyed by (user, source, destination, protocol, ID) and lives ipfrag_time from its first fragment.
 *
 * <p>The kernel's rules: a last fragment (MF clear) that ends before data already queued, or at another end
 * than an earlier last fragment, a fragment with MF reaching past a known end, and an empty fragment kill the
 * whole queue; a non-last fragment is cut to a multiple of 8. Fragments are kept in runs of contiguous
 * pieces (a piece appended right after the highest one extends its run; any other starts a run): one lying
 * inside a run is a duplicate and only it is dropped; one overlapping anything else kills the queue
 * (RFC 5722 with erratum 3089, since the CVE-2018-5391 fix; ReasmOverlaps). When the first and last are in and
 * nothing is missing the datagram is rebuilt on the offset-0 fragment's header, with DF only if the largest
 * fragment had it, and remembers the largest fragment's size. An expired queue whose first fragment had come
 * sends ICMP time exceeded, fragment reassembly, only from an end host: always for local delivery, for
 * conntrack's PREROUTING queues (routed or bridged) only when the datagram was for this host, never for
 * OUTPUT's (no input device).
 *
 * <p>Limits ({@link FragmentLimits}, the ipfrag sysctls, read when used): inet_frag_find refuses every fragment
 * (ReasmFails) while the queues' memory is above ipfrag_high_thresh — checked before the fragment is counted, so
 * the one that crosses the line is still taken. Memory is what the kernel charges: {@value #QUEUE_SIZE} bytes per
 * queue (struct ipq) plus each queued fragment's skb truesize, approximated as the frame (Ethernet header and
 * datagram) rounded up to a 2 KiB buffer plus {@value #SKB_OVERHEAD} bytes of sk_buff and skb_shared_info — 2944
 * bytes for a 1500-byte fragment, the kernel's own figure; duplicates and refused fragments cost nothing, and a
 * queue gives everything back when it completes, is killed or expires. ipfrag_max_dist (ip_frag_too_far): when
 * a queue was opened with it non-zero, every fragment from the same source, whatever the queue, bumps that
 * source's counter (the inet_peer's rid); a fragment for a queue already holding some that finds more than
 * max_dist counted since that queue's last fragment empties the queue (ReasmFails, timer restarted, its largest
 * sizes kept) and starts it afresh with itself. Not modelled: ECN merging.
 */
final class Reassembly {
    /** sizeof(struct ipq), charged per queue (the kernel's comment in ipv4_frags_init_net says 200). */
    static final int QUEUE_SIZE = 200;
    /** SKB_DATA_ALIGN(sizeof(struct sk_buff)) + SKB_DATA_ALIGN(sizeof(struct skb_shared_info)), rounded. */
    static final int SKB_OVERHEAD = 896;
    private static final int ETH_HLEN = 14;

    private record Key(DefragUser user, Ipv4Address source, Ipv4Address destination, int protocol, int id) { }

    /** Contiguous pieces: the run's start offset is its key in {@link Queue#runs}. */
    private static final class Run {
        final List<byte[]> pieces = new ArrayList<>();
        int length;
    }

    private static final class Queue {
        final TreeMap<Integer, Run> runs = new TreeMap<>();
        int tailEnd = -1; // end of the highest piece, -1 while empty
        int len;          // q.len: known or guessed end of the payload
        boolean firstIn;
        boolean lastIn;
        int meat;
        int count;
        int maxSize;
        int maxDfSize;
        byte[] header;
        FilterPacket first;
        IpStack.Arrival arrival;
        Timer timer;
        long truesize;     // sum of the queued fragments' truesize
        boolean peer;      // opened while ipfrag_max_dist was non-zero
        int rid;           // the source's fragment count at this queue's last fragment
    }

    private enum Insert { OK, DUPLICATE, OVERLAP }

    private final IpStack stack;
    private final Map<Key, Queue> queues = new HashMap<>();
    /** inet_peer's rid per source: fragments seen from it by queues that track disorder. */
    private final Map<Ipv4Address, Integer> peerRid = new HashMap<>();
    private long memory;

    Reassembly(IpStack stack) { this.stack = stack; }

    /** Fragment queues currently open (for tests and {@code /proc}-like views). */
    int openQueues() { return queues.size(); }

    /** The memory charged to the queues, in bytes (frag_mem_limit, see the class comment). */
    long memory() { return memory; }

    /** The truesize rule: the frame in a 2 KiB-rounded buffer plus the skb's own structures. */
    static long truesize(int datagramLength) {
        return ((ETH_HLEN + datagramLength + 2047L) & ~2047L) + SKB_OVERHEAD;
    }

    /**
     * ip_defrag: queues {@code fp}'s fragment for {@code user}; the whole datagram when this fragment completed
     * it, else empty (queued, a duplicate dropped, or the queue killed).
     */
    DefragOutcome add(FilterPacket fp, IpStack.Arrival arrival, DefragUser user) {
        stack.count(Mib.IP_REASM_REQDS);
        FragmentLimits limits = stack.fragmentLimits();
        if (limits.highThresh() == 0 || memory > limits.highThresh()) {
            stack.count(Mib.IP_REASM_FAILS);
            return new DefragOutcome.Dropped("fragment memory " + memory + " bytes is over ipfrag_high_thresh " + limits.highThresh());
        }
        ByteBuf d = fp.datagram();
        int base = d.readerIndex();
        int ihl = (d.getUnsignedByte(base) & 0x0f) * 4;
        int total = d.getUnsignedShort(base + 2);
        int ff = d.getUnsignedShort(base + 6);
        int offset = (ff & 0x1fff) * 8;
        boolean more = (ff & 0x2000) != 0;
        boolean df = (ff & 0x4000) != 0;
        Key key = new Key(user, fp.source(), fp.destination(), d.getUnsignedByte(base + 9), d.getUnsignedShort(base + 4));
        Queue q = queues.computeIfAbsent(key, k -> {
            Queue n = new Queue();
            n.timer = stack.lab().scheduler().daemonTimer(stack.path() + " ipfrag", () -> expire(k));
            n.timer.start(limits.timeoutSeconds() * 1_000_000_000L);
            n.peer = limits.maxDist() != 0;
            memory += QUEUE_SIZE;
            return n;
        });
        if (tooFar(q, key.source(), limits.maxDist())) {
            stack.count(Mib.IP_REASM_FAILS);
            reinit(q, limits);
        }
        int end = offset + total - ihl;
        if (!more) {
            if (end < q.len || (q.lastIn && end != q.len)) return discard(key, q);
            q.lastIn = true;
            q.len = end;
        } else {
            end &= ~7;
            if (end > q.len) {
                if (q.lastIn) return discard(key, q);
                q.len = end;
            }
        }
        if (end <= offset) return discard(key, q);
        byte[] data = new byte[end - offset];
        d.getBytes(base + ihl, data);
        Insert ins = insert(q, offset, data);
        if (ins == Insert.DUPLICATE) return DefragOutcome.HELD;
        if (ins == Insert.OVERLAP) {
            stack.count(Mib.IP_EXT_REASM_OVERLAPS);
            return discard(key, q);
        }
        q.meat += data.length;
        q.count++;
        long ts = truesize(total);
        q.truesize += ts;
        memory += ts;
        if (offset == 0) {
            q.firstIn = true;
            q.header = new byte[ihl];
            d.getBytes(base, q.header);
            q.first = fp;
            q.arrival = arrival;
        }
        int fragSize = data.length + ihl;
        q.maxSize = Math.max(q.maxSize, fragSize);
        if (df) q.maxDfSize = Math.max(q.maxDfSize, fragSize);
        if (!q.firstIn || !q.lastIn || q.meat != q.len) return DefragOutcome.HELD;
        Reassembled whole = rebuild(key, q);
        return whole != null ? new DefragOutcome.Whole(whole)
                : new DefragOutcome.Dropped("reassembled datagram would exceed 65535 bytes");
    }

    /** ip_frag_too_far: max_dist read now, the peer taken when the queue opened. */
    private boolean tooFar(Queue q, Ipv4Address source, int maxDist) {
        if (!q.peer || maxDist == 0) return false;
        int start = q.rid;
        int end = peerRid.merge(source, 1, Integer::sum);
        q.rid = end;
        return q.tailEnd >= 0 && end - start > maxDist;
    }

    /** ip_frag_reinit: the queue emptied and its timer restarted; max_size and max_df_size stay. */
    private void reinit(Queue q, FragmentLimits limits) {
        q.timer.cancel();
        q.timer.start(limits.timeoutSeconds() * 1_000_000_000L);
        memory -= q.truesize;
        q.truesize = 0;
        q.runs.clear();
        q.tailEnd = -1;
        q.len = 0;
        q.meat = 0;
        q.count = 0;
        q.firstIn = false;
        q.lastIn = false;
        q.header = null;
        q.first = null;
        q.arrival = null;
    }

    /** inet_frag_destroy: the queue's fragments and its own size given back. */
    private void release(Queue q) {
        memory -= q.truesize + QUEUE_SIZE;
        q.truesize = 0;
    }

    /** inet_frag_queue_insert. */
    private static Insert insert(Queue q, int offset, byte[] data) {
        int end = offset + data.length;
        if (q.tailEnd < 0 || q.tailEnd < end) {
            if (q.tailEnd >= 0 && offset < q.tailEnd) return Insert.OVERLAP;
            if (q.tailEnd >= 0 && offset == q.tailEnd) {
                Run last = q.runs.lastEntry().getValue();
                last.pieces.add(data);
                last.length += data.length;
            } else {
                newRun(q, offset, data);
            }
            q.tailEnd = end;
            return Insert.OK;
        }
        for (Map.Entry<Integer, Run> e : q.runs.entrySet()) {
            int start = e.getKey();
            int runEnd = start + e.getValue().length;
            if (end <= start || offset >= runEnd) continue;
            return offset >= start && end <= runEnd ? Insert.DUPLICATE : Insert.OVERLAP;
        }
        newRun(q, offset, data);
        return Insert.OK;
    }

    private static void newRun(Queue q, int offset, byte[] data) {
        Run r = new Run();
        r.pieces.add(data);
        r.length = data.length;
        q.runs.put(offset, r);
    }

    /** ip_frag_reasm; null when the datagram would pass 65535 bytes. */
    private Reassembled rebuild(Key key, Queue q) {
        q.timer.cancel();
        queues.remove(key);
        release(q);
        int hl = q.header.length;
        if (hl + q.len > 65535) {
            stack.count(Mib.IP_REASM_FAILS);
            return null;
        }
        ByteBuf whole = Unpooled.buffer(hl + q.len);
        whole.writeBytes(q.header);
        List<Integer> lengths = new ArrayList<>();
        for (Run r : q.runs.values()) {
            for (byte[] piece : r.pieces) {
                whole.writeBytes(piece);
                lengths.add(piece.length);
            }
        }
        whole.setShort(2, hl + q.len);
        // DF again only when the largest fragments carried it, so the way out never sends bigger DF pieces
        whole.setShort(6, q.maxDfSize == q.maxSize ? 0x4000 : 0);
        whole.setShort(10, 0);
        whole.setShort(10, InternetChecksum.compute(whole, 0, hl));
        stack.count(Mib.IP_REASM_OKS);
        return new Reassembled(whole, q.count, Math.max(q.maxDfSize, q.maxSize), lengths);
    }

    private DefragOutcome discard(Key key, Queue q) {
        q.timer.cancel();
        queues.remove(key);
        release(q);
        stack.count(Mib.IP_REASM_FAILS);
        return new DefragOutcome.Dropped("fragment queue killed (bad end, overlap or empty fragment)");
    }

    private void expire(Key key) {
        Queue q = queues.remove(key);
        if (q == null) return;
        release(q);
        stack.count(Mib.IP_REASM_FAILS);
        stack.count(Mib.IP_REASM_TIMEOUT);
        if (!q.firstIn) return;
        boolean endHost = switch (key.user()) {
            case LOCAL_DELIVER -> true;
            case CONNTRACK_IN, CONNTRACK_BRIDGE_IN -> stack.isLocalAddress(key.destination());
            case CONNTRACK_OUT -> false;
        };
        if (endHost && q.arrival != null) {
            stack.icmpSend(q.first, q.arrival, IcmpType.TIME_EXCEEDED, IcmpCode.REASSEMBLY_TIME_EXCEEDED, 0, true, true);
        }
    }
}
