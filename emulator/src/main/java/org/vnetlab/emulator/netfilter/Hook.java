package org.vnetlab.emulator.netfilter;

/**
 * The five IPv4 netfilter hooks, in the order a forwarded packet meets them; each built-in chain is named
 * after its hook.
 */
public enum Hook {
    PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING;

    /** The built-in chain name for this hook, e.g. {@code "INPUT"}. */
    public String chainName() { return name(); }

    /** The hook whose built-in chain is called {@code name}, if any. */
    public static java.util.Optional<Hook> ofChainName(String name) {
        for (Hook h : values()) if (h.name().equals(name)) return java.util.Optional.of(h);
        return java.util.Optional.empty();
    }
}
