package org.vnetlab.emulator.conntrack;

/**
 * An int array of any length kept as pages of at most 2¹⁷ ints (512 KB), so that no page is a humongous
 * object for G1 (one of half a heap region or more, which occupies whole regions and wastes up to a region
 * each): the conntrack index and the bysource heads of a million-entry table stay at their real size.
 */
final class IntPages {
    static final int BITS = 17, PAGE = 1 << BITS, MASK = PAGE - 1;

    private IntPages() {}

    /** Pages for {@code n} ints, all full but the last. */
    static int[][] of(int n) {
        int[][] p = new int[(n + MASK) >>> BITS][];
        for (int k = 0; k < p.length; k++) p[k] = new int[Math.min(PAGE, n - (k << BITS))];
        return p;
    }

    static int get(int[][] p, int i) { return p[i >>> BITS][i & MASK]; }

    static void set(int[][] p, int i, int v) { p[i >>> BITS][i & MASK] = v; }
}
