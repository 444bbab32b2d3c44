package org.vnetlab.bench;

import io.netty.buffer.ByteBuf;

/**
 * The packets a benchmark feeds, in order: one 60-byte frame per draw, 64 bytes apart in one array, read
 * front to back like a NIC's receive ring (sequential, so the prefetcher hides it; the conntrack table is
 * what gets random access). At least as many packets as flows, so a pass touches most of the table.
 */
final class PacketRing {
    static final int SLOT = 64;
    final byte[] bytes;
    final int mask;

    PacketRing(int packets) {
        int n = Integer.highestOneBit(Math.max(packets, 2) - 1) << 1;
        bytes = new byte[n * SLOT];
        mask = n - 1;
    }

    int size() { return mask + 1; }

    void put(int k, ByteBuf frame) {
        frame.getBytes(frame.readerIndex(), bytes, k * SLOT, Workload.FRAME);
    }

    /** Copies packet {@code k} (modulo the ring) into {@code work} (a 60-byte buffer), as a NIC's DMA would. */
    void load(int k, ByteBuf work) {
        work.setBytes(0, bytes, (k & mask) * SLOT, Workload.FRAME);
    }

    /** A ring sized for {@code flows}: packets of {@code dir} for the flows {@code choice} draws. */
    static PacketRing of(Workload.Proto p, Workload.Direction dir, int[] draws) {
        PacketRing r = new PacketRing(draws.length);
        for (int k = 0; k < r.size(); k++) {
            int f = draws[k % draws.length];
            r.put(k, dir == Workload.Direction.OUTBOUND ? Workload.outbound(p, f, 0x10)
                    : Workload.inbound(p, f, Workload.guestPort(f), 0x10));
        }
        return r;
    }

    static int ringPackets(int flows) { return Math.max(flows, 1 << 16); }
}
