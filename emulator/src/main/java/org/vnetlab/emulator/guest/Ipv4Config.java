package org.vnetlab.emulator.guest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/**
 * One interface's IPv4 settings: address and prefix length, the default gateway (absent on an APIPA
 * address or a static address without a gateway) and the DNS servers the resolver uses.
 */
public record Ipv4Config(Ipv4Address address, int prefixLength, Optional<Ipv4Address> gateway,
                         List<Ipv4Address> dnsServers) {

    public Ipv4Config {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("prefix length " + prefixLength);
        Objects.requireNonNull(gateway, "gateway");
        dnsServers = List.copyOf(dnsServers);
    }

    public Ipv4Address mask() {
        return new Ipv4Address(prefixLength == 0 ? 0 : -1 << (32 - prefixLength));
    }

    public Ipv4Address network() {
        return new Ipv4Address(address.bits() & mask().bits());
    }

    public Ipv4Address broadcast() {
        return new Ipv4Address(address.bits() | ~mask().bits());
    }

    public boolean onLink(Ipv4Address destination) {
        return destination.inPrefix(network(), prefixLength);
    }

    /** The prefix length of a dotted mask; rejects a non-contiguous one as Windows and Linux do. */
    public static int prefixOf(Ipv4Address mask) {
        int bits = mask.bits();
        int len = Integer.bitCount(bits);
        if (len != 0 && bits != -1 << (32 - len)) throw new IllegalArgumentException("non-contiguous mask " + mask);
        return len;
    }

    public Ipv4Config withDnsServers(List<Ipv4Address> servers) {
        return new Ipv4Config(address, prefixLength, gateway, servers);
    }
}
