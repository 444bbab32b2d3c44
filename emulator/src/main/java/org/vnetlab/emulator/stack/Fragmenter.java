package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * ip_do_fragment: a datagram cut into fragments of at most {@code mtu} bytes, each with a copy of the header
 * (options are copied to every fragment: the stack never emits options, so the copy-flag rule does not
 * arise), the original IP ID, offsets in 8-byte units and MF on all but the last (on all when the datagram was
 * itself a non-last fragment).
 *
 * <p>Two ways, as the kernel has them. A datagram nf_defrag_ipv4 gathered still holds its fragments (the
 * skb's frag_list); when each fits the MTU and all but the last are multiples of 8 bytes, they go out again
 * exactly as they came, with MF on all but the last and DF cleared (ip_fraglist_init / ip_fraglist_prepare
 * write only MF and the offset). Otherwise the slow path cuts pieces of the room left after the header,
 * rounded down to 8 bytes except for the final piece, and keeps DF as the datagram has it.
 */
public final class Fragmenter {
    private Fragmenter() { }

    /** The slow path only: a datagram built here, with no fragments of its own. */
    public static List<ByteBuf> fragment(ByteBuf datagram, int mtu) { return fragment(datagram, mtu, List.of()); }

    /** {@code fragmentPayloads}: the payload lengths of the fragments it was gathered from (empty if none). */
    public static List<ByteBuf> fragment(ByteBuf datagram, int mtu, List<Integer> fragmentPayloads) {
        int base = datagram.readerIndex();
        int ihl = (datagram.getUnsignedByte(base) & 0x0f) * 4;
        int room = mtu - ihl;
        if (room < 8) throw new IllegalArgumentException("MTU " + mtu + " cannot carry a fragment");
        if (fragmentPayloads.size() > 1 && fits(fragmentPayloads, room)) return alongFragments(datagram, ihl, fragmentPayloads);
        int total = datagram.getUnsignedShort(base + 2);
        int flagsOffset = datagram.getUnsignedShort(base + 6);
        int originalOffset = (flagsOffset & 0x1fff) * 8;
        boolean originalMore = (flagsOffset & 0x2000) != 0;
        int payload = total - ihl;
        List<ByteBuf> out = new ArrayList<>();
        int at = 0;
        while (at < payload) {
            int left = payload - at;
            int len = Math.min(left, room);
            if (len < left) len &= ~7;
            boolean more = at + len < payload || originalMore;
            out.add(piece(datagram, base, ihl, at, len, (flagsOffset & 0x4000) | (more ? 0x2000 : 0) | ((originalOffset + at) / 8)));
            at += len;
        }
        return out;
    }

    /** ip_do_fragment's frag_list geometry check. */
    private static boolean fits(List<Integer> payloads, int room) {
        for (int i = 0; i < payloads.size(); i++) {
            int len = payloads.get(i);
            boolean last = i == payloads.size() - 1;
            if (len > room || (!last && (len & 7) != 0)) return false;
        }
        return true;
    }

    private static List<ByteBuf> alongFragments(ByteBuf datagram, int ihl, List<Integer> payloads) {
        int base = datagram.readerIndex();
        List<ByteBuf> out = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < payloads.size(); i++) {
            int len = payloads.get(i);
            boolean more = i < payloads.size() - 1;
            out.add(piece(datagram, base, ihl, at, len, (more ? 0x2000 : 0) | (at / 8)));
            at += len;
        }
        return out;
    }

    private static ByteBuf piece(ByteBuf datagram, int base, int ihl, int at, int len, int flagsOffset) {
        ByteBuf f = Unpooled.buffer(ihl + len);
        f.writeBytes(datagram, base, ihl);
        f.writeBytes(datagram, base + ihl + at, len);
        f.setShort(2, ihl + len);
        f.setShort(6, flagsOffset);
        f.setShort(10, 0);
        f.setShort(10, InternetChecksum.compute(f, 0, ihl));
        return f;
    }
}
