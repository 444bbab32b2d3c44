package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpType;

/**
 * The namespace's IPv4 fragment queues (ip_fragment.c over inet_fragment.c), one implementation for every
 * {@link DefragUser}: local delivery and nf_defrag_ipv4 at PREROUTING and OUTPUT. A queue is keyed by
 * (user, source, destination, protocol, ID) and lives ipfrag_time (30 s) from its first fragment.
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
 * conntrack's PREROUTING queue only when the datagram was for this host, never for OUTPUT's (no input device).
 * Not modelled: ipfrag_high_thresh / low_thresh memory limits, ipfrag_max_dist, and ECN merging.
 */
final class Reassembly {
    private static final long IPFRAG_TIME_NANOS = 30_000_000_000L;

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
    }

    private enum Insert { OK, DUPLICATE, OVERLAP }

    private final IpStack stack;
    private final Map<Key, Queue> queues = new HashMap<>();

    Reassembly(IpStack stack) { this.stack = stack; }

    /** Fragment queues currently open (for tests and {@code /proc}-like views). */
    int openQueues() { return queues.size(); }

    /**
     * ip_defrag: queues {@code fp}'s fragment for {@code user}; the whole datagram when this fragment completed
     * it, else empty (queued, a duplicate dropped, or the queue killed).
     */
    Optional<Reassembled> add(FilterPacket fp, IpStack.Arrival arrival, DefragUser user) {
        stack.count(Mib.IP_REASM_REQDS);
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
            n.timer.start(IPFRAG_TIME_NANOS);
            return n;
        });
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
        if (ins == Insert.DUPLICATE) return Optional.empty();
        if (ins == Insert.OVERLAP) {
            stack.count(Mib.IP_EXT_REASM_OVERLAPS);
            return discard(key, q);
        }
        q.meat += data.length;
        q.count++;
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
        if (!q.firstIn || !q.lastIn || q.meat != q.len) return Optional.empty();
        return Optional.ofNullable(rebuild(key, q));
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

    private Optional<Reassembled> discard(Key key, Queue q) {
        q.timer.cancel();
        queues.remove(key);
        stack.count(Mib.IP_REASM_FAILS);
        return Optional.empty();
    }

    private void expire(Key key) {
        Queue q = queues.remove(key);
        if (q == null) return;
        stack.count(Mib.IP_REASM_FAILS);
        stack.count(Mib.IP_REASM_TIMEOUT);
        if (!q.firstIn) return;
        boolean endHost = switch (key.user()) {
            case LOCAL_DELIVER -> true;
            case CONNTRACK_IN -> stack.isLocalAddress(key.destination());
            case CONNTRACK_OUT -> false;
        };
        if (endHost && q.arrival != null) {
            stack.icmpSend(q.first, q.arrival, IcmpType.TIME_EXCEEDED, IcmpCode.REASSEMBLY_TIME_EXCEEDED, 0, true, true);
        }
    }
}
