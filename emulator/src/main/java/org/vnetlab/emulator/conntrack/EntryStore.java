package org.vnetlab.emulator.conntrack;

import java.util.Arrays;

/**
 * Every connection's state in primitive arrays, one slot per entry (the kernel's nf_conn slab, flattened):
 * no object per connection, so a million flows cost a few tens of bytes each and the fields a packet needs
 * sit next to each other. Arrays are paged (4096 slots a page) so the store grows without copying.
 *
 * <p>Per slot, six adjacent longs and nothing else (48 bytes): both tuples, the keys of both, a meta word
 * (protocol, status bits, pending event bits, MASQUERADE interface and the link of the source-NAT chain,
 * nf_nat_bysource), the timeout, and a side word: the id and a protocol word (UDP: the stream deadline in
 * 32-bit jiffies; TCP: the index of its window-tracking state, {@value #TCP_STRIDE} ints in the TCP pages).
 * A packet of an established flow reads one stripe, TCP state included in it. The connection mark's page
 * exists only once a slot in it is marked. Per-direction packet and byte counters exist only with
 * {@code nf_conntrack_acct=1}, like the kernel's acct extension.
 *
 * <p>A freed slot is reused only after {@value #QUARANTINE} later frees, so that the handle a packet still
 * holds on a connection that died under it keeps reading the dead entry (the kernel keeps a reference);
 * handles check the id and refuse to read a slot reused since.
 */
final class EntryStore {
    static final int PAGE_BITS = 12, PAGE = 1 << PAGE_BITS, PAGE_MASK = PAGE - 1;
    /** Longs per slot in the hot pages. */
    static final int STRIDE = 6;
    /** Ints per TCP connection in the TCP pages (see {@link ConntrackEntry.Tcp}). */
    static final int TCP_STRIDE = 14;
    static final int W_ORIG = 0, W_REPLY = 1, W_KEYS = 2, W_META = 3, W_TIMEOUT = 4, W_SIDE = 5;
    /**
     * Meta word: protocol in bits 0–7, status bits 8–19, pending events 20–27, MASQUERADE interface (its
     * number + 1) 28–38, the next slot + 1 of the bysource chain 39–63.
     */
    static final int STATUS_SHIFT = 8, EVENT_SHIFT = 20, MASQ_SHIFT = 28, BYSOURCE_SHIFT = 39;
    static final int STATUS_MASK = 0xfff, EVENT_MASK = 0xff, MASQ_MASK = 0x7ff;
    static {
        if (Status.values().length > 12 || ConntrackEvent.Kind.values().length > 8) {
            throw new IllegalStateException("the meta word holds 12 status bits and 8 event bits");
        }
    }
    /** The index packs (slot, direction) into 26 bits. */
    static final int MAX_SLOTS = (1 << 25) - 1;
    private static final int QUARANTINE = 64;

    long[][] hot = new long[0][];
    /** Connection marks; a page exists only once some slot in it got a non-zero mark (most tables never mark). */
    private int[][] marks = new int[0][];
    /** packets orig, bytes orig, packets reply, bytes reply; pages allocated only while accounting. */
    long[][] counters = new long[0][];
    private int highWater;
    private int[] free = new int[64];
    private int freeHead, freeCount;
    private int nextId = 1;
    /** TCP tracking state, {@value #TCP_STRIDE} ints per TCP connection, paged; a TCP slot's protocol word indexes it. */
    int[][] tcpWords = new int[0][];
    private int[] tcpFree = new int[16];
    private int tcpFreeCount, tcpHighWater;
    /** Positioned on a TCP state being reset for a new connection. */
    private final ConntrackEntry.Tcp resetCursor = new ConntrackEntry.Tcp();
    private String[] interfaces = new String[4];
    private int interfaceCount;
    /** A lower bound of the earliest absolute timeout of a confirmed entry: expiry scans only after it. */
    long earliestTimeout = Long.MAX_VALUE;

    // --- slots ---

    /** A new slot holding {@code original} as both tuples (the reply one inverted). Returns the slot. */
    int allocate(ConntrackTuple original, boolean accounting) {
        int slot;
        if (freeCount > QUARANTINE) {
            slot = free[freeHead];
            freeHead = (freeHead + 1) % free.length;
            freeCount--;
            if (protocol(slot) == ConntrackTuple.TCP) {
                int t = protoWord(slot);
                if (tcpFreeCount == tcpFree.length) tcpFree = Arrays.copyOf(tcpFree, tcpFreeCount * 2);
                tcpFree[tcpFreeCount++] = t;
            }
        } else {
            if (highWater == MAX_SLOTS) throw new IllegalStateException("conntrack store full (" + MAX_SLOTS + " slots)");
            slot = highWater++;
            ensurePage(slot >>> PAGE_BITS);
        }
        long[] h = hot[slot >>> PAGE_BITS];
        int b = (slot & PAGE_MASK) * STRIDE;
        Arrays.fill(h, b, b + STRIDE, 0L);
        h[b + W_META] = original.protocol();
        setTuple(slot, Direction.ORIGINAL, original);
        setTuple(slot, Direction.REPLY, original.inverted());
        int p = slot >>> PAGE_BITS, i = slot & PAGE_MASK;
        int protoWord = original.protocol() == ConntrackTuple.TCP ? newTcp() : 0;
        h[b + W_SIDE] = (long) protoWord << 32 | (nextId++ & 0xffff_ffffL);
        if (nextId == 0) nextId = 1;
        if (marks[p] != null) marks[p][i] = 0;
        if (accounting) {
            long[] c = counterPage(p);
            Arrays.fill(c, i * 4, i * 4 + 4, 0L);
        } else if (p < counters.length && counters[p] != null) {
            Arrays.fill(counters[p], i * 4, i * 4 + 4, 0L);
        }
        return slot;
    }

    /** Gives a dead entry's slot back; it is reused after the quarantine (its TCP state with it). */
    void release(int slot) {
        if (freeCount == free.length) {
            int[] bigger = new int[free.length * 2];
            for (int k = 0; k < freeCount; k++) bigger[k] = free[(freeHead + k) % free.length];
            free = bigger;
            freeHead = 0;
        }
        free[(freeHead + freeCount) % free.length] = slot;
        freeCount++;
    }

    /** Slots ever handed out; live and dead ones are below this. */
    int highWater() { return highWater; }

    private void ensurePage(int p) {
        if (p < hot.length) return;
        int n = p + 1;
        hot = Arrays.copyOf(hot, n);
        marks = Arrays.copyOf(marks, n);
        hot[p] = new long[PAGE * STRIDE];
    }

    private long[] counterPage(int p) {
        if (p >= counters.length) counters = Arrays.copyOf(counters, hot.length);
        if (counters[p] == null) counters[p] = new long[PAGE * 4];
        return counters[p];
    }

    private int newTcp() {
        int t;
        if (tcpFreeCount > 0) {
            t = tcpFree[--tcpFreeCount];
        } else {
            t = tcpHighWater++;
            int p = t >>> PAGE_BITS;
            if (p >= tcpWords.length) {
                tcpWords = Arrays.copyOf(tcpWords, p + 1);
                tcpWords[p] = new int[PAGE * TCP_STRIDE];
            }
        }
        ConntrackEntry.Tcp fresh = tcpAt(t, resetCursor);
        fresh.reset();
        fresh.setKeepStateOnRst(false); // a reused number starts clean
        return t;
    }

    // --- fields ---

    long word(int slot, int w) { return hot[slot >>> PAGE_BITS][(slot & PAGE_MASK) * STRIDE + w]; }

    void setWord(int slot, int w, long v) { hot[slot >>> PAGE_BITS][(slot & PAGE_MASK) * STRIDE + w] = v; }

    int id(int slot) { return (int) word(slot, W_SIDE); }

    int protocol(int slot) { return (int) word(slot, W_META) & 0xff; }

    int mark(int slot) {
        int[] page = marks[slot >>> PAGE_BITS];
        return page == null ? 0 : page[slot & PAGE_MASK];
    }

    void setMark(int slot, int mark) {
        int p = slot >>> PAGE_BITS;
        if (marks[p] == null) {
            if (mark == 0) return;
            marks[p] = new int[PAGE];
        }
        marks[p][slot & PAGE_MASK] = mark;
    }

    int protoWord(int slot) { return (int) (word(slot, W_SIDE) >>> 32); }

    void setProtoWord(int slot, int v) { setWord(slot, W_SIDE, (long) v << 32 | (word(slot, W_SIDE) & 0xffff_ffffL)); }

    /** The next slot + 1 in this entry's bysource chain (0: the end). */
    int nextBySource(int slot) { return (int) (word(slot, W_META) >>> BYSOURCE_SHIFT); }

    void setNextBySource(int slot, int next) {
        long m = word(slot, W_META) & ~(-1L << BYSOURCE_SHIFT);
        setWord(slot, W_META, m | (long) next << BYSOURCE_SHIFT);
    }

    /** A new cursor on the TCP state of {@code slot} (a TCP connection). */
    ConntrackEntry.Tcp tcp(int slot) { return tcpAt(protoWord(slot), new ConntrackEntry.Tcp()); }

    /** Positions {@code cursor} on TCP state number {@code t}. */
    ConntrackEntry.Tcp tcpAt(int t, ConntrackEntry.Tcp cursor) {
        return cursor.at(tcpWords[t >>> PAGE_BITS], (t & PAGE_MASK) * TCP_STRIDE);
    }

    int status(int slot) { return (int) (word(slot, W_META) >>> STATUS_SHIFT) & STATUS_MASK; }

    boolean has(int slot, Status s) { return (status(slot) & (1 << s.ordinal())) != 0; }

    void setStatus(int slot, Status s) { setWord(slot, W_META, word(slot, W_META) | (1L << (STATUS_SHIFT + s.ordinal()))); }

    void clearStatus(int slot, Status s) { setWord(slot, W_META, word(slot, W_META) & ~(1L << (STATUS_SHIFT + s.ordinal()))); }

    int events(int slot) { return (int) (word(slot, W_META) >>> EVENT_SHIFT) & EVENT_MASK; }

    void addEvent(int slot, ConntrackEvent.Kind k) { setWord(slot, W_META, word(slot, W_META) | (1L << (EVENT_SHIFT + k.ordinal()))); }

    void clearEvents(int slot) { setWord(slot, W_META, word(slot, W_META) & ~((long) EVENT_MASK << EVENT_SHIFT)); }

    /** The MASQUERADE interface's name, or null when none was recorded. */
    String masqueradeInterface(int slot) {
        int i = (int) (word(slot, W_META) >>> MASQ_SHIFT) & MASQ_MASK;
        return i == 0 ? null : interfaces[i - 1];
    }

    void setMasqueradeInterface(int slot, String name) {
        int i = 0;
        while (i < interfaceCount && !interfaces[i].equals(name)) i++;
        if (i == interfaceCount) {
            if (interfaceCount == MASQ_MASK - 1) throw new IllegalStateException("too many MASQUERADE interfaces");
            if (interfaceCount == interfaces.length) interfaces = Arrays.copyOf(interfaces, interfaceCount * 2);
            interfaces[interfaceCount++] = name;
        }
        long m = word(slot, W_META) & ~((long) MASQ_MASK << MASQ_SHIFT);
        setWord(slot, W_META, m | ((long) (i + 1) << MASQ_SHIFT));
    }

    long timeout(int slot) { return word(slot, W_TIMEOUT); }

    /** Sets the timeout; an absolute one (confirmed entries) may lower the expiry scan's bound. */
    void setTimeout(int slot, long t, boolean absolute) {
        setWord(slot, W_TIMEOUT, t);
        if (absolute && t < earliestTimeout) earliestTimeout = t;
    }

    ConntrackTuple tuple(int slot, Direction d) {
        long addr = word(slot, d == Direction.ORIGINAL ? W_ORIG : W_REPLY);
        int keys = keys(slot, d.ordinal());
        return new ConntrackTuple(protocol(slot), new org.vnetlab.protocols.Ipv4Address((int) (addr >>> 32)),
                new org.vnetlab.protocols.Ipv4Address((int) addr), keys >>> 16, keys & 0xffff);
    }

    /** {@code sourceKey << 16 | destinationKey} of direction {@code dir} (0 original, 1 reply). */
    int keys(int slot, int dir) {
        long k = word(slot, W_KEYS);
        return dir == 0 ? (int) (k >>> 32) : (int) k;
    }

    void setTuple(int slot, Direction d, ConntrackTuple t) {
        long addr = ((long) t.source().bits() << 32) | (t.destination().bits() & 0xffff_ffffL);
        setWord(slot, d == Direction.ORIGINAL ? W_ORIG : W_REPLY, addr);
        long keys = word(slot, W_KEYS);
        long mine = ((long) t.sourceKey() << 16 | t.destinationKey()) & 0xffff_ffffL;
        keys = d == Direction.ORIGINAL ? (keys & 0xffff_ffffL) | (mine << 32) : (keys & 0xffff_ffff_0000_0000L) | mine;
        setWord(slot, W_KEYS, keys);
    }

    long counter(int slot, int dir, boolean bytes) {
        int p = slot >>> PAGE_BITS;
        if (p >= counters.length || counters[p] == null) return 0;
        return counters[p][(slot & PAGE_MASK) * 4 + dir * 2 + (bytes ? 1 : 0)];
    }

    /** Counts one packet of {@code length} bytes in direction {@code dir} (nf_ct_acct_update). */
    void account(int slot, int dir, int length) {
        long[] c = counterPage(slot >>> PAGE_BITS);
        int b = (slot & PAGE_MASK) * 4 + dir * 2;
        c[b]++;
        c[b + 1] += length;
    }
}
