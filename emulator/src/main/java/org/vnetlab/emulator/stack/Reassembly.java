package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpType;

/**
 * ip_defrag for datagrams delivered locally: fragments collected per (source, destination, protocol, ID)
 * until the last one and every gap is filled; incomplete queues expire after ipfrag_time (30 s), and when
 * the first fragment had arrived the sender hears ICMP time exceeded, fragment reassembly (code 1).
 * Overlapping fragments drop the whole queue, as the kernel has done since 2018 (CVE-2018-5391 fix).
 */
final class Reassembly {
    private static final long IPFRAG_TIME_NANOS = 30_000_000_000L;

    private record Key(Ipv4Address source, Ipv4Address destination, int protocol, int id) { }

    private static final class Queue {
        final TreeMap<Integer, byte[]> pieces = new TreeMap<>();
        byte[] header;
        int totalPayload = -1;
        FilterPacket first;
        IpStack.Arrival arrival;
        Timer timer;
    }

    private final IpStack stack;
    private final Map<Key, Queue> queues = new HashMap<>();

    Reassembly(IpStack stack) { this.stack = stack; }

    Optional<ByteBuf> add(FilterPacket fp, IpStack.Arrival arrival) {
        stack.count(Mib.IP_REASM_REQDS);
        ByteBuf d = fp.datagram();
        int base = d.readerIndex();
        int ihl = (d.getUnsignedByte(base) & 0x0f) * 4;
        int total = d.getUnsignedShort(base + 2);
        int ff = d.getUnsignedShort(base + 6);
        int offset = (ff & 0x1fff) * 8;
        boolean more = (ff & 0x2000) != 0;
        Key key = new Key(fp.source(), fp.destination(), d.getUnsignedByte(base + 9), d.getUnsignedShort(base + 4));
        Queue q = queues.computeIfAbsent(key, k -> {
            Queue n = new Queue();
            n.timer = stack.lab().scheduler().daemonTimer(stack.path() + " ipfrag", () -> expire(k));
            n.timer.start(IPFRAG_TIME_NANOS);
            return n;
        });
        byte[] data = new byte[total - ihl];
        d.getBytes(base + ihl, data);
        if (overlaps(q, offset, data.length) || (!more && q.totalPayload >= 0 && q.totalPayload != offset + data.length)) {
            drop(key, q);
            return Optional.empty();
        }
        q.pieces.put(offset, data);
        if (offset == 0) {
            q.header = new byte[ihl];
            d.getBytes(base, q.header);
            q.first = fp;
            q.arrival = arrival;
        }
        if (!more) q.totalPayload = offset + data.length;
        if (q.header == null || q.totalPayload < 0) return Optional.empty();
        int have = 0;
        for (Map.Entry<Integer, byte[]> e : q.pieces.entrySet()) {
            if (e.getKey() != have) return Optional.empty();
            have += e.getValue().length;
        }
        if (have != q.totalPayload) return Optional.empty();
        q.timer.cancel();
        queues.remove(key);
        int hl = q.header.length;
        ByteBuf whole = Unpooled.buffer(hl + have);
        whole.writeBytes(q.header);
        for (byte[] piece : q.pieces.values()) whole.writeBytes(piece);
        whole.setShort(2, hl + have);
        whole.setShort(6, whole.getUnsignedShort(6) & 0x4000);
        whole.setShort(10, 0);
        whole.setShort(10, InternetChecksum.compute(whole, 0, hl));
        stack.count(Mib.IP_REASM_OKS);
        return Optional.of(whole);
    }

    private static boolean overlaps(Queue q, int offset, int length) {
        Map.Entry<Integer, byte[]> before = q.pieces.floorEntry(offset + length - 1);
        if (before == null) return false;
        if (before.getKey() == offset && before.getValue().length == length) return false; // duplicate: harmless
        return before.getKey() + before.getValue().length > offset;
    }

    private void drop(Key key, Queue q) {
        q.timer.cancel();
        queues.remove(key);
        stack.count(Mib.IP_REASM_FAILS);
    }

    private void expire(Key key) {
        Queue q = queues.remove(key);
        if (q == null) return;
        stack.count(Mib.IP_REASM_TIMEOUT);
        stack.count(Mib.IP_REASM_FAILS);
        if (q.first != null) {
            stack.icmpSend(q.first, q.arrival, IcmpType.TIME_EXCEEDED, IcmpCode.REASSEMBLY_TIME_EXCEEDED, 0, true, true);
        }
    }
}
