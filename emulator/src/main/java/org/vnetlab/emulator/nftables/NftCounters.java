package org.vnetlab.emulator.nftables;

import java.util.HashMap;
import java.util.Map;

/**
 * What the engine counted beside the immutable ruleset: per counter statement (table handle, rule handle,
 * statement index), packets and bytes added since the rule was loaded. {@code nft list} prints the loaded
 * values plus these. Not thread-safe: one emulation thread owns it.
 */
public final class NftCounters {
    /** Identifies one counter statement; table handles are never reused in a namespace. */
    public record Key(long table, long rule, int statement) {}

    private final Map<Key, long[]> counts = new HashMap<>();

    public void count(Key key, long bytes) {
        long[] c = counts.computeIfAbsent(key, k -> new long[2]);
        c[0]++;
        c[1] += bytes;
    }

    public long packets(Key key) {
        long[] c = counts.get(key);
        return c == null ? 0 : c[0];
    }

    public long bytes(Key key) {
        long[] c = counts.get(key);
        return c == null ? 0 : c[1];
    }

    /** The counter as listed: loaded values plus what was counted. */
    public Stmt.Counter current(Key key, Stmt.Counter loaded) {
        return new Stmt.Counter(loaded.packets() + packets(key), loaded.bytes() + bytes(key));
    }

    /** {@code nft reset counters}-like: everything counted so far is forgotten. */
    public void clear() { counts.clear(); }
}
