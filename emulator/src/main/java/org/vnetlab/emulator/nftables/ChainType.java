package org.vnetlab.emulator.nftables;

import java.util.Optional;

/** A base chain's type: {@code filter}, {@code nat} (consulted for a connection's first packet) or {@code route}. */
public enum ChainType {
    FILTER("filter"), NAT("nat"), ROUTE("route");

    private final String nftName;

    ChainType(String nftName) { this.nftName = nftName; }

    public String nftName() { return nftName; }

    public static Optional<ChainType> of(String word) {
        for (ChainType t : values()) if (t.nftName.equals(word)) return Optional.of(t);
        return Optional.empty();
    }

    /**
     * Whether the kernel has this chain type for {@code family} and {@code hook} (nft_chain_filter / nft_chain_nat /
     * nft_chain_route registrations): nat on prerouting, input, output, postrouting of ip, ip6 and inet; route on
     * output of ip, ip6 and inet; filter everywhere the family has the hook.
     */
    public boolean validFor(Family family, NftHook hook) {
        if (!hook.validIn(family)) return false;
        return switch (this) {
            case FILTER -> true;
            case NAT -> (family == Family.IP || family == Family.IP6 || family == Family.INET)
                    && (hook == NftHook.PREROUTING || hook == NftHook.INPUT || hook == NftHook.OUTPUT || hook == NftHook.POSTROUTING);
            case ROUTE -> (family == Family.IP || family == Family.IP6 || family == Family.INET) && hook == NftHook.OUTPUT;
        };
    }

    @Override
    public String toString() { return nftName; }
}
