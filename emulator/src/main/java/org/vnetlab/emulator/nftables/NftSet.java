package org.vnetlab.emulator.nftables;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A named set ({@code set NAME { type T; flags interval; elements = { ... } }}) or verdict map
 * ({@code map NAME { type T : verdict; elements = { k : v } }}). {@code typeof} records the selector the type
 * was given by ({@code typeof ip saddr}), which is how nft prints it back.
 */
public record NftSet(String name, long handle, DataType keyType, Optional<Selector> typeof, boolean isVerdictMap,
                     Set<Flag> flags, boolean autoMerge, List<Element> elements, Optional<String> comment) {

    public enum Flag {
        CONSTANT("constant"), INTERVAL("interval");

        private final String text;

        Flag(String text) { this.text = text; }

        public String text() { return text; }
    }

    /** One element; {@code verdict} is present exactly in verdict maps. */
    public record Element(Rhs.Element key, Optional<Verdict> verdict) {}

    public NftSet {
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        elements = List.copyOf(elements);
    }

    public boolean isInterval() { return flags.contains(Flag.INTERVAL); }

    public NftSet withElements(List<Element> e) {
        return new NftSet(name, handle, keyType, typeof, isVerdictMap, flags, autoMerge, e, comment);
    }
}
