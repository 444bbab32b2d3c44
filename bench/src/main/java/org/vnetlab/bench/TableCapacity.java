package org.vnetlab.bench;

import java.util.Map;
import java.util.stream.IntStream;
import org.vnetlab.emulator.conntrack.ConntrackTable;

/**
 * Table capacity, measured (RFC 9693's "maximum connection table size" turned around: what one connection
 * costs): builds {@code N} (default 1,000,000) established connections with {@link Masquerading} and
 * reports the heap they retain — used heap after full GCs with the table alive, minus before — divided by N.
 * For UDP and ICMP, TCP (whose window tracking state is a separate object per connection), with accounting
 * off (the kernel's default) and on, and for the {@code HashMap<FlowKey, Binding>} baseline. Each case runs
 * {@code rounds} times in this JVM; the output is one line per round and a summary with min and max.
 *
 * <p>Run: {@code java -Xms6g -Xmx6g -cp bench/target/benchmarks.jar org.vnetlab.bench.TableCapacity [N] [rounds]}
 */
public final class TableCapacity {
    private TableCapacity() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("# %d connections per table, %d rounds; bytes per connection = retained heap / %d%n", n, rounds, n);
        for (String c : new String[] {"UDP acct=0", "UDP acct=1", "TCP acct=0", "ICMP acct=0", "HashMap UDP"}) {
            double min = Double.MAX_VALUE, max = 0;
            for (int r = 0; r < rounds; r++) {
                long before = usedAfterGc();
                Object kept = build(c, n);
                long after = usedAfterGc();
                double perEntry = (after - before) / (double) n;
                min = Math.min(min, perEntry);
                max = Math.max(max, perEntry);
                System.out.printf("%-12s round %d: %,d bytes retained, %.1f bytes/connection (%s)%n", c, r, after - before,
                        perEntry, describe(kept));
                kept = null;
            }
            System.out.printf("RESULT %-12s min %.1f max %.1f bytes/connection%n", c, min, max);
        }
    }

    private static Object build(String c, int n) {
        int[] ids = IntStream.range(0, n).toArray();
        if (c.startsWith("HashMap")) return HashMapConntrackBaseline.build(Workload.Proto.UDP, n);
        Workload.Proto p = Workload.Proto.valueOf(c.substring(0, c.indexOf(' ')));
        Masquerading m = new Masquerading(Masquerading.settings(n, c.endsWith("acct=1")), 1);
        m.establish(p, ids, 1_000_000_000L);
        return m.table;
    }

    private static String describe(Object kept) {
        if (kept instanceof ConntrackTable t) return t.count() + " entries";
        return ((Map<?, ?>) kept).size() + " map entries (2 per connection)";
    }

    private static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
