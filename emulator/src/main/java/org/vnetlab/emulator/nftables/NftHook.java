package org.vnetlab.emulator.nftables;

import java.util.Optional;
import org.vnetlab.emulator.netfilter.Hook;

/** A hook an nft base chain attaches to, as nft names it. */
public enum NftHook {
    PREROUTING("prerouting", Hook.PREROUTING), INPUT("input", Hook.INPUT), FORWARD("forward", Hook.FORWARD),
    OUTPUT("output", Hook.OUTPUT), POSTROUTING("postrouting", Hook.POSTROUTING), INGRESS("ingress", null),
    EGRESS("egress", null);

    private final String nftName;
    private final Hook hook;

    NftHook(String nftName, Hook hook) {
        this.nftName = nftName;
        this.hook = hook;
    }

    public String nftName() { return nftName; }

    /** The IPv4 netfilter hook, for the five ip/inet hooks. */
    public Optional<Hook> netfilterHook() { return Optional.ofNullable(hook); }

    public static Optional<NftHook> of(String word) {
        for (NftHook h : values()) if (h.nftName.equals(word)) return Optional.of(h);
        return Optional.empty();
    }

    /** Whether a base chain of {@code family} may use this hook (the kernel's per-family hook masks). */
    public boolean validIn(Family family) {
        return switch (family) {
            case IP, IP6 -> hook != null;
            case INET -> hook != null || this == INGRESS;
            case BRIDGE -> hook != null;
            case ARP -> this == INPUT || this == OUTPUT;
            case NETDEV -> this == INGRESS || this == EGRESS;
        };
    }

    @Override
    public String toString() { return nftName; }
}
