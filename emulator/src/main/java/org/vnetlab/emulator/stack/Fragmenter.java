package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * ip_fragment for a datagram without DF that does not fit the MTU: the payload cut into pieces of a
 * multiple of 8 bytes, each with a copy of the header (options are copied to every fragment: the stack never
 * emits options, so the copy-flag rule does not arise), MF on all but the last, offsets in 8-byte units.
 */
final class Fragmenter {
    private Fragmenter() { }

    static List<ByteBuf> fragment(ByteBuf datagram, int mtu) {
        int base = datagram.readerIndex();
        int ihl = (datagram.getUnsignedByte(base) & 0x0f) * 4;
        int total = datagram.getUnsignedShort(base + 2);
        int flagsOffset = datagram.getUnsignedShort(base + 6);
        int originalOffset = (flagsOffset & 0x1fff) * 8;
        boolean originalMore = (flagsOffset & 0x2000) != 0;
        int payload = total - ihl;
        int chunk = ((mtu - ihl) / 8) * 8;
        if (chunk <= 0) throw new IllegalArgumentException("MTU " + mtu + " cannot carry a fragment");
        List<ByteBuf> out = new ArrayList<>();
        for (int at = 0; at < payload; at += chunk) {
            int len = Math.min(chunk, payload - at);
            boolean more = at + len < payload || originalMore;
            ByteBuf f = Unpooled.buffer(ihl + len);
            f.writeBytes(datagram, base, ihl);
            f.writeBytes(datagram, base + ihl + at, len);
            f.setShort(2, ihl + len);
            f.setShort(6, (flagsOffset & 0x4000) | (more ? 0x2000 : 0) | ((originalOffset + at) / 8));
            f.setShort(10, 0);
            f.setShort(10, InternetChecksum.compute(f, 0, ihl));
            out.add(f);
        }
        return out;
    }
}
