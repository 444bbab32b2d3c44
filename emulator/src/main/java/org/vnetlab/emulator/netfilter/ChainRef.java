package org.vnetlab.emulator.netfilter;

/** A chain's identity; for a built-in chain, also the key of its policy counter. */
public record ChainRef(TableName table, String chain) {
    @Override
    public String toString() { return table + ":" + chain; }
}
