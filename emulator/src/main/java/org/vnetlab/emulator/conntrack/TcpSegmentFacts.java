package org.vnetlab.emulator.conntrack;

import io.netty.buffer.ByteBuf;
import java.util.Optional;

/**
 * What the TCP tracker reads from a segment: sequence numbers, window, flags, lengths and the options that
 * matter for window tracking (window scale, SACK permitted, the highest SACK edge), parsed the way
 * nf_conntrack_proto_tcp's simplified option parser does.
 */
public record TcpSegmentFacts(int seq, int ackSeq, int window, int flags, int headerLength, int payloadLength,
                              int windowScale, boolean sackPermitted, Optional<Integer> highestSack) {
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40,
            CWR = 0x80;

    public boolean syn() { return (flags & SYN) != 0; }
    public boolean ack() { return (flags & ACK) != 0; }
    public boolean fin() { return (flags & FIN) != 0; }
    public boolean rst() { return (flags & RST) != 0; }

    /** seq + data length + SYN + FIN: the sequence number after this segment (segment_seq_plus_len). */
    public int end() { return seq + payloadLength + (syn() ? 1 : 0) + (fin() ? 1 : 0); }

    /**
     * Reads the TCP header of {@code d}; empty when the header is truncated or its data offset is impossible
     * (the kernel's "truncated packet").
     */
    public static Optional<TcpSegmentFacts> read(Datagram d) {
        ByteBuf b = d.buf();
        int o = d.l4Offset();
        if (d.l4Available() < 20) return Optional.empty();
        int doff = (b.getUnsignedByte(o + 12) >>> 4) * 4;
        if (doff < 20 || d.l4Length() < doff || d.l4Available() < doff) return Optional.empty();
        int wscale = -1;
        boolean sackPerm = false;
        Integer sack = null;
        int i = o + 20;
        int end = o + doff;
        while (i < end) {
            int kind = b.getUnsignedByte(i);
            if (kind == 0) break;
            if (kind == 1) { i++; continue; }
            if (i + 1 >= end) break;
            int size = b.getUnsignedByte(i + 1);
            if (size < 2 || i + size > end) break;
            if (kind == 4 && size == 2) sackPerm = true;
            else if (kind == 3 && size == 3) wscale = Math.min(b.getUnsignedByte(i + 2), 14);
            else if (kind == 5 && size >= 10 && (size - 2) % 8 == 0) {
                for (int k = i + 2; k < i + size; k += 8) {
                    int right = b.getInt(k + 4);
                    if (sack == null || right - sack > 0) sack = right;
                }
            }
            i += size;
        }
        return Optional.of(new TcpSegmentFacts(b.getInt(o + 4), b.getInt(o + 8), b.getUnsignedShort(o + 14),
                b.getUnsignedByte(o + 13), doff, d.l4Length() - doff, wscale, sackPerm, Optional.ofNullable(sack)));
    }
}
