package org.vnetlab.protocols.dhcp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.vnetlab.protocols.ParseException;

/**
 * Reads and writes one options area (the options field, or 'file'/'sname' when overloaded) as a sequence of
 * option instances. Long values are written as consecutive 255-byte instances (RFC 3396), which parsing
 * concatenates back.
 */
final class OptionArea {
    private OptionArea() {}

    /** One instance as found on the wire; {@code offset} is where its code byte sits in the message. */
    record Instance(int code, byte[] value, int offset) {}

    /** The instances of one area, up to and including End if there is one; {@code end} is the index after them. */
    record Scan(List<Instance> instances, boolean hasEnd, int end) {}

    static Scan scan(ByteBuf area, int messageOffset, String field) throws ParseException {
        List<Instance> out = new ArrayList<>();
        int n = area.capacity();
        int i = 0;
        while (i < n) {
            int code = area.getUnsignedByte(i);
            if (code == DhcpOption.Pad.CODE) {
                out.add(new Instance(code, null, messageOffset + i));
                i++;
                continue;
            }
            if (code == DhcpOption.End.CODE) {
                out.add(new Instance(code, null, messageOffset + i));
                return new Scan(out, true, i + 1);
            }
            if (i + 1 >= n) {
                throw ParseException.truncated(DhcpPacket.LAYER, field + ": option " + code + " length", messageOffset + i + 1, 1, 0);
            }
            int len = area.getUnsignedByte(i + 1);
            if (i + 2 + len > n) {
                throw new ParseException(DhcpPacket.LAYER, field + ": option " + code, messageOffset + i,
                        "length " + len + " runs past the end of the " + field + " (" + (n - i - 2) + " bytes left)");
            }
            byte[] value = new byte[len];
            area.getBytes(i + 2, value);
            out.add(new Instance(code, value, messageOffset + i));
            i += 2 + len;
        }
        return new Scan(out, false, n);
    }

    /** Bytes {@code options} take on the wire, long values split into 255-byte instances. */
    static int size(List<DhcpOption> options) {
        int size = 0;
        for (DhcpOption o : options) size += size(o);
        return size;
    }

    static int size(DhcpOption o) {
        if (o instanceof DhcpOption.Pad || o instanceof DhcpOption.End) return 1;
        int len = o.value().length;
        int instances = Math.max(1, (len + 254) / 255);
        return 2 * instances + len;
    }

    /** Writes {@code options} at {@code index}; returns the index after them. */
    static int write(ByteBuf buf, int index, List<DhcpOption> options) {
        int i = index;
        for (DhcpOption o : options) {
            if (o instanceof DhcpOption.Pad || o instanceof DhcpOption.End) {
                buf.setByte(i++, o.code());
                continue;
            }
            byte[] v = o.value();
            int at = 0;
            do {
                int chunk = Math.min(255, v.length - at);
                buf.setByte(i, o.code());
                buf.setByte(i + 1, chunk);
                buf.setBytes(i + 2, v, at, chunk);
                i += 2 + chunk;
                at += chunk;
            } while (at < v.length);
        }
        return i;
    }
}
