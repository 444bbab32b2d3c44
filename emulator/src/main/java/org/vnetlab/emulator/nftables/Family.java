package org.vnetlab.emulator.nftables;

import java.util.Optional;

/**
 * An nftables address family. vnetlab's stack is IPv4, so only {@code ip} and {@code inet} tables see its
 * packets; {@code ip6}, {@code bridge}, {@code arp} and {@code netdev} tables are loaded, listed and reported,
 * never evaluated.
 */
public enum Family {
    IP("ip"), IP6("ip6"), INET("inet"), ARP("arp"), BRIDGE("bridge"), NETDEV("netdev");

    private final String nftName;

    Family(String nftName) { this.nftName = nftName; }

    public String nftName() { return nftName; }

    /** Whether IPv4 packets at the ip hooks reach this family's base chains. */
    public boolean seesIpv4() { return this == IP || this == INET; }

    /** The family of an nft word ({@code ip}, {@code inet}, ...). */
    public static Optional<Family> of(String word) {
        for (Family f : values()) if (f.nftName.equals(word)) return Optional.of(f);
        return Optional.empty();
    }

    @Override
    public String toString() { return nftName; }
}
