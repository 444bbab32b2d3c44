package org.vnetlab.protocols;

import io.netty.buffer.ByteBuf;
import java.util.Locale;

/** A 48-bit Ethernet address held in a long; immutable and cheap to compare. */
public record MacAddress(long bits) implements Comparable<MacAddress> {
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);
    public static final MacAddress ZERO = new MacAddress(0);
    public static final int LENGTH = 6;

    public MacAddress {
        if ((bits & ~0xffff_ffff_ffffL) != 0) throw new IllegalArgumentException("MAC address wider than 48 bits");
    }

    /** Parses {@code 52:54:00:aa:bb:01} (also with '-' separators, as Windows prints it). */
    public static MacAddress parse(String text) {
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            try {
                v = (v << 8) | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
        }
        return new MacAddress(v);
    }

    public static MacAddress read(ByteBuf buf, int index) {
        return new MacAddress(((long) buf.getUnsignedShort(index) << 32) | buf.getUnsignedInt(index + 2));
    }

    public static MacAddress of(byte[] b) {
        if (b.length != 6) throw new IllegalArgumentException("MAC address needs 6 bytes");
        long v = 0;
        for (byte x : b) v = (v << 8) | (x & 0xff);
        return new MacAddress(v);
    }

    public void write(ByteBuf buf, int index) {
        buf.setShort(index, (int) (bits >>> 32));
        buf.setInt(index + 2, (int) bits);
    }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) b[i] = (byte) (bits >>> (40 - 8 * i));
        return b;
    }

    public boolean isBroadcast() { return bits == BROADCAST.bits; }

    /** The I/G bit: group (multicast or broadcast) addresses. */
    public boolean isMulticast() { return ((bits >>> 40) & 1) != 0; }

    @Override
    public int compareTo(MacAddress o) { return Long.compare(bits, o.bits); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) sb.append(':');
            sb.append(String.format(Locale.ROOT, "%02x", (bits >>> (40 - 8 * i)) & 0xff));
        }
        return sb.toString();
    }
}
