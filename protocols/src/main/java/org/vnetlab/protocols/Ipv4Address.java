package org.vnetlab.protocols;

import io.netty.buffer.ByteBuf;

/** An IPv4 address as an unsigned 32-bit value in an int; immutable, allocation-light. */
public record Ipv4Address(int bits) implements Comparable<Ipv4Address> {
    public static final Ipv4Address ANY = new Ipv4Address(0);
    public static final Ipv4Address BROADCAST = new Ipv4Address(-1);
    public static final int LENGTH = 4;

    /** Strict dotted quad {@code a.b.c.d}; for iptables' lenient forms see the netfilter parser. */
    public static Ipv4Address parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            v = (v << 8) | octet;
        }
        return new Ipv4Address(v);
    }

    public static Ipv4Address of(int a, int b, int c, int d) {
        return new Ipv4Address((a & 0xff) << 24 | (b & 0xff) << 16 | (c & 0xff) << 8 | (d & 0xff));
    }

    public static Ipv4Address of(byte[] b) {
        if (b.length != 4) throw new IllegalArgumentException("IPv4 address needs 4 bytes");
        return new Ipv4Address((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff));
    }

    public static Ipv4Address read(ByteBuf buf, int index) { return new Ipv4Address(buf.getInt(index)); }

    public void write(ByteBuf buf, int index) { buf.setInt(index, bits); }

    public byte[] toBytes() {
        return new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
    }

    /** The address as an unsigned value, for arithmetic over ranges. */
    public long unsigned() { return bits & 0xffff_ffffL; }

    public boolean isBroadcast() { return bits == -1; }
    public boolean isAny() { return bits == 0; }
    public boolean isMulticast() { return (bits >>> 28) == 0xe; }
    public boolean isLoopback() { return (bits >>> 24) == 127; }

    public boolean inPrefix(Ipv4Address network, int prefixLength) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return (bits & mask) == (network.bits & mask);
    }

    @Override
    public int compareTo(Ipv4Address o) { return Integer.compareUnsigned(bits, o.bits); }

    @Override
    public String toString() {
        return ((bits >>> 24) & 0xff) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
