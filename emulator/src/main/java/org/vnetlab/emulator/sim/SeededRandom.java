package org.vnetlab.emulator.sim;

import java.nio.charset.StandardCharsets;

/**
 * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a
 * 64-bit counter stepped by the golden-ratio increment and run through a fixed mixing function. Written out
 * here rather than taken from {@link java.util.SplittableRandom} so recorded runs keep their draws on any
 * JDK. Not for security; for reproducible loss, jitter and identifiers.
 *
 * <p>Each element draws from its own stream, derived from the lab seed and the stream's name (see
 * {@link Lab#random(String)}), so adding an element never shifts another element's draws.
 */
public final class SeededRandom {
    private static final long GOLDEN_GAMMA = 0x9e37_79b9_7f4a_7c15L;

    private long state;

    public SeededRandom(long seed) {
        this.state = seed;
    }

    /** The seed of the stream called {@code name} under {@code rootSeed}: a mix of the seed and a hash of the name. */
    static long streamSeed(long rootSeed, String name) {
        long h = 0xcbf2_9ce4_8422_2325L; // FNV-1a 64 over the UTF-8 name: stable across runs and JVMs
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x0000_0100_0000_01b3L;
        }
        return mix(mix(rootSeed) ^ h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), without modulo bias (rejects the short top slice). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
        long limit = (1L << 32) - ((1L << 32) % bound);
        while (true) {
            long r = nextLong() >>> 32;
            if (r < limit) return (int) (r % bound);
        }
    }

    /** True with probability {@code p}; draws nothing when p is 0 or 1, so a lossless link uses no randomness. */
    public boolean chance(double p) {
        if (p <= 0) return false;
        if (p >= 1) return true;
        return nextDouble() < p;
    }
}
