package org.vnetlab.emulator.netfilter;

import org.vnetlab.protocols.Ipv4Address;

/** An inclusive IPv4 address range (iprange, SNAT/DNAT {@code --to}); {@code first <= last} unsigned. */
public record AddressRange(Ipv4Address first, Ipv4Address last) {
    public AddressRange {
        if (first.compareTo(last) > 0) throw new IllegalArgumentException("address range " + first + "-" + last + " is reversed");
    }

    public static AddressRange of(Ipv4Address a) { return new AddressRange(a, a); }

    public boolean isSingle() { return first.equals(last); }

    public boolean contains(Ipv4Address a) { return a.compareTo(first) >= 0 && a.compareTo(last) <= 0; }
}
