package org.vnetlab.emulator.netfilter;

import org.vnetlab.protocols.Ipv4Address;

/**
 * An inclusive IPv4 address range (iprange, SNAT/DNAT {@code --to}). iptables accepts a reversed range
 * ({@code first > last}, unsigned) and keeps it; it contains no address (the kernel logs "range is
 * reversed and will never match").
 */
public record AddressRange(Ipv4Address first, Ipv4Address last) {
    public AddressRange {
        if (first == null || last == null) throw new IllegalArgumentException("range ends are required");
    }

    public boolean isReversed() { return first.compareTo(last) > 0; }

    public static AddressRange of(Ipv4Address a) { return new AddressRange(a, a); }

    public boolean isSingle() { return first.equals(last); }

    public boolean contains(Ipv4Address a) { return a.compareTo(first) >= 0 && a.compareTo(last) <= 0; }
}
