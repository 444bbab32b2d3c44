package org.vnetlab.emulator.netfilter;

import org.vnetlab.protocols.Ipv4Address;

/**
 * An address test as iptables stores it: {@code (addr & mask) == address}, optionally inverted. The address
 * is kept already masked (iptables masks it when parsing: {@code -s 192.168.122.1/24} becomes
 * {@code 192.168.122.0/24}). {@link #ANY} (0.0.0.0/0, not inverted) is the absent {@code -s}/{@code -d}.
 */
public record AddressFilter(Ipv4Address address, Ipv4Address mask, boolean inverted) {
    public static final AddressFilter ANY = new AddressFilter(Ipv4Address.ANY, Ipv4Address.ANY, false);

    public AddressFilter {
        if (address == null || mask == null) throw new IllegalArgumentException("address and mask are required");
        address = new Ipv4Address(address.bits() & mask.bits());
    }

    public static AddressFilter of(Ipv4Address address, int prefixLength, boolean inverted) {
        return new AddressFilter(address, maskOf(prefixLength), inverted);
    }

    public static Ipv4Address maskOf(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("prefix length " + prefixLength);
        return new Ipv4Address(prefixLength == 0 ? 0 : -1 << (32 - prefixLength));
    }

    /** True for 0.0.0.0/0 not inverted: the rule does not look at this address. */
    public boolean isAny() { return mask.bits() == 0 && !inverted; }

    /** The prefix length when the mask is contiguous, else -1 (iptables then prints the dotted mask). */
    public int prefixLength() {
        int m = mask.bits();
        int len = Integer.bitCount(m);
        return (len == 0 ? 0 : -1 << (32 - len)) == m ? len : -1;
    }

    /** The test itself, inversion included (kept here because every user needs exactly this). */
    public boolean matches(Ipv4Address a) {
        return ((a.bits() & mask.bits()) == address.bits()) != inverted;
    }
}
