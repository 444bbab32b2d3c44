package org.vnetlab.emulator.conntrack;

/**
 * The conntrack hash (both tuplehash directions of every confirmed entry in one table, as in the kernel):
 * open addressing with linear probing over an {@code int[]}. A cell holds a 6-bit tag of the tuple's hash
 * and {@code slot * 2 + direction + 1} (0 is empty), so most mismatching probes are rejected without
 * touching the entry. The table size need not be a power of two (multiply-shift picks the home cell), so it
 * can be sized close to its load limit; deletion shifts later cells back (no tombstones). The cells are
 * {@link IntPages} (a million-entry table's 10 MB of cells would otherwise be one humongous array).
 */
final class TupleIndex {
    private static final int TAG_SHIFT = 26, REF_MASK = (1 << TAG_SHIFT) - 1;
    private static final double MAX_LOAD = 0.75;
    private final EntryStore store;
    private int[][] cells;
    /** Cells in all pages. */
    private int length;
    private int used;

    /** {@code expected}: how many entries to make room for without growing (0: start small). */
    TupleIndex(EntryStore store, int expected) {
        this.store = store;
        this.length = sizeFor(Math.max(16, 2L * expected));
        this.cells = IntPages.of(length);
    }

    private static int sizeFor(long keys) {
        long n = (long) Math.ceil(keys / MAX_LOAD) + 1;
        if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException("conntrack index too large: " + keys + " tuples");
        return (int) n;
    }

    /** The tuple hash (a fixed-seed mix: runs repeat; the kernel seeds jhash randomly at boot). */
    static long hash(int protocol, int source, int destination, int keys) {
        long a = ((long) source << 32) | (destination & 0xffff_ffffL);
        long b = ((long) protocol << 32) | (keys & 0xffff_ffffL);
        long h = a * 0x9E37_79B9_7F4A_7C15L ^ b * 0xC2B2_AE3D_27D4_EB4FL;
        h ^= h >>> 29;
        h *= 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 32;
        return h;
    }

    private int home(long h) { return home(h, length); }

    private static int home(long h, int length) { return (int) (((h & 0xffff_ffffL) * length) >>> 32); }

    private static int tag(long h) { return (int) (h >>> 58); }

    int size() { return used; }

    /** Heap bytes of the cell array (for capacity reports). */
    long cellBytes() { return 16L * (cells.length + 1) + 4L * length; }

    /**
     * The entry direction whose tuple is {@code (protocol, source, destination, keys)}: {@code slot * 2 + dir},
     * or -1 when no confirmed entry has that tuple.
     */
    int find(int protocol, int source, int destination, int keys) {
        long h = hash(protocol, source, destination, keys);
        int[][] pages = cells;
        int n = length;
        int i = home(h);
        int[] c = pages[i >>> IntPages.BITS];
        int tag = tag(h);
        long addr = ((long) source << 32) | (destination & 0xffff_ffffL);
        while (true) {
            int cell = c[i & IntPages.MASK];
            if (cell == 0) return -1;
            if ((cell >>> TAG_SHIFT) == tag) {
                int ref = (cell & REF_MASK) - 1;
                int slot = ref >>> 1;
                int dir = ref & 1;
                long[] page = store.hot[slot >>> EntryStore.PAGE_BITS];
                int b = (slot & EntryStore.PAGE_MASK) * EntryStore.STRIDE;
                if (page[b + dir] == addr && ((int) page[b + EntryStore.W_META] & 0xff) == protocol
                        && (int) (page[b + EntryStore.W_KEYS] >>> (dir == 0 ? 32 : 0)) == keys) {
                    return ref;
                }
            }
            if (++i == n) i = 0;
            if ((i & IntPages.MASK) == 0) c = pages[i >>> IntPages.BITS];
        }
    }

    /** {@link #find} for the tuple that direction {@code dir} of {@code slot} holds (read from the store). */
    int findStored(int slot, int dir) {
        long addr = store.word(slot, dir == 0 ? EntryStore.W_ORIG : EntryStore.W_REPLY);
        return find(store.protocol(slot), (int) (addr >>> 32), (int) addr, store.keys(slot, dir));
    }

    /**
     * The content of the home cell of {@code (protocol, source, destination, keys)}: a pure read, used to bring
     * the cell's cache line in before the packet that needs it (the batch path's first pass). 0 when empty.
     */
    int homeCell(int protocol, int source, int destination, int keys) {
        return IntPages.get(cells, home(hash(protocol, source, destination, keys)));
    }

    /** The entry reference ({@code slot * 2 + dir}) a non-empty cell holds. */
    static int refOf(int cell) { return (cell & REF_MASK) - 1; }

    int find(ConntrackTuple t) {
        return find(t.protocol(), t.source().bits(), t.destination().bits(), t.sourceKey() << 16 | t.destinationKey());
    }

    private long hashOf(int slot, int dir) {
        long addr = store.word(slot, dir == 0 ? EntryStore.W_ORIG : EntryStore.W_REPLY);
        return hash(store.protocol(slot), (int) (addr >>> 32), (int) addr, store.keys(slot, dir));
    }

    void insert(int slot, int dir) {
        if (used + 1 > length * MAX_LOAD) grow();
        place(cells, length, slot * 2 + dir, hashOf(slot, dir));
        used++;
    }

    private static void place(int[][] c, int n, int ref, long h) {
        int i = home(h, n);
        while (IntPages.get(c, i) != 0) if (++i == n) i = 0;
        IntPages.set(c, i, tag(h) << TAG_SHIFT | (ref + 1));
    }

    private void grow() {
        int[][] old = cells;
        int n = sizeFor(2L * Math.max(used, 8));
        int[][] fresh = IntPages.of(n);
        for (int[] page : old) {
            for (int cell : page) {
                if (cell == 0) continue;
                int ref = (cell & REF_MASK) - 1;
                place(fresh, n, ref, hashOf(ref >>> 1, ref & 1));
            }
        }
        cells = fresh;
        length = n;
    }

    /** Removes the cell of (slot, dir), shifting the cells after it back so probes stay unbroken. */
    void remove(int slot, int dir) {
        int[][] c = cells;
        int n = length;
        int want = slot * 2 + dir + 1;
        int i = home(hashOf(slot, dir));
        while ((IntPages.get(c, i) & REF_MASK) != want) {
            if (IntPages.get(c, i) == 0) throw new IllegalStateException("tuple of slot " + slot + " not indexed");
            if (++i == n) i = 0;
        }
        int hole = i;
        int j = i;
        while (true) {
            if (++j == n) j = 0;
            int cell = IntPages.get(c, j);
            if (cell == 0) break;
            int ref = (cell & REF_MASK) - 1;
            int h = home(hashOf(ref >>> 1, ref & 1));
            // move j back to the hole unless its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j);
            if (!stays) {
                IntPages.set(c, hole, cell);
                hole = j;
            }
        }
        IntPages.set(c, hole, 0);
        used--;
    }
}
