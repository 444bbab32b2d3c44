package org.vnetlab.bench;

import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vnetlab.emulator.conntrack.ConntrackTable;

/**
 * RFC 9693's connection tear-down rate, as conntrack does it for idle flows: {@value #FLOWS} established
 * connections whose timeouts have all passed, reaped by the table's expiry (unhashed, counted, a DESTROY
 * event made for each, slot freed). A listener receives the events, as {@code conntrack -E} would. Each
 * invocation sets the flows up again (not measured).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class ExpiryBench {
    static final int FLOWS = 65_536;

    @Param({"UDP", "TCP"})
    public Workload.Proto proto;

    private ConntrackTable table;
    private long destroyed;

    @Setup(Level.Invocation)
    public void establish() {
        Masquerading m = new Masquerading(Masquerading.settings(FLOWS, false), 1);
        m.establish(proto, IntStream.range(0, FLOWS).toArray(), 1_000_000_000L);
        table = m.table;
        table.addListener(e -> destroyed++);
    }

    @Benchmark
    @OperationsPerInvocation(FLOWS)
    public int expire() {
        // past UDP's stream timeout (120 s) and TCP's unacknowledged-data cap; TCP ESTABLISHED would last 5 days
        table.expire(1_000_000_000L + 6L * 24 * 3600 * 1_000_000_000L);
        if (table.count() != 0) throw new IllegalStateException(table.count() + " entries left");
        return table.count();
    }
}
