package org.vnetlab.emulator.hostconf.route;

import org.vnetlab.protocols.Ipv4Address;

/** An IPv4 network: an address with no bits set past {@code length}. */
public record Ipv4Prefix(Ipv4Address network, int length) implements Comparable<Ipv4Prefix> {
    public static final Ipv4Prefix DEFAULT = new Ipv4Prefix(Ipv4Address.ANY, 0);

    public Ipv4Prefix {
        if (length < 0 || length > 32) throw new IllegalArgumentException("prefix length " + length + " not in 0..32");
        if ((network.bits() & ~maskBits(length)) != 0) {
            throw new IllegalArgumentException("host bits set in " + network + "/" + length);
        }
    }

    /** The network that contains {@code address}, host bits cleared. */
    public static Ipv4Prefix containing(Ipv4Address address, int length) {
        return new Ipv4Prefix(new Ipv4Address(address.bits() & maskBits(length)), length);
    }

    public static Ipv4Prefix host(Ipv4Address address) { return new Ipv4Prefix(address, 32); }

    /**
     * {@code default}, {@code a.b.c.d} (a host) or {@code a.b.c.d/len}; rejects host bits past the length as
     * the kernel does ("Invalid prefix for given prefix length").
     */
    public static Ipv4Prefix parse(String text) {
        if (text.equals("default")) return DEFAULT;
        int slash = text.indexOf('/');
        if (slash < 0) return host(Ipv4Address.parse(text));
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        return new Ipv4Prefix(Ipv4Address.parse(text.substring(0, slash)), Integer.parseInt(len));
    }

    /** Prefix length of a contiguous netmask such as 255.255.255.0; -1 when the mask has holes. */
    public static int maskLength(Ipv4Address mask) {
        int bits = mask.bits();
        int len = Integer.bitCount(bits);
        return maskBits(len) == bits ? len : -1;
    }

    static int maskBits(int length) { return length == 0 ? 0 : -1 << (32 - length); }

    public Ipv4Address mask() { return new Ipv4Address(maskBits(length)); }

    public boolean contains(Ipv4Address a) { return (a.bits() & maskBits(length)) == network.bits(); }

    public boolean contains(Ipv4Prefix p) { return p.length >= length && contains(p.network); }

    public boolean isDefault() { return length == 0; }

    /** The directed broadcast address of the network. */
    public Ipv4Address broadcast() { return new Ipv4Address(network.bits() | ~maskBits(length)); }

    /** As iproute2 prints a destination: {@code default}, a bare host address for /32, else a.b.c.d/len. */
    public String ipRouteForm() {
        if (length == 0 && network.isAny()) return "default";
        if (length == 32) return network.toString();
        return toString();
    }

    @Override
    public int compareTo(Ipv4Prefix o) {
        int c = network.compareTo(o.network);
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @Override
    public String toString() { return network + "/" + length; }
}
