package org.vnetlab.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;
import org.vnetlab.emulator.conntrack.FastPath;

/**
 * {@link EstablishedTranslationBench}'s packets and table (uniform flow choice, {@code nf_conntrack_acct=1}),
 * handed to {@link FastPath#forwardFrames} {@value FastPath#BATCH} frames at a time, as a NIC's receive
 * burst: the index cells, then the entries of the burst are read first so their cache misses overlap. One
 * operation is still one frame; a burst shares one timestamp.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Thread)
public class BatchTranslationBench {
    static final int BATCH = 1024;

    @Param({"1000", "64000", "1000000"})
    public int flows;

    @Param({"UDP", "TCP", "ICMP"})
    public Workload.Proto proto;

    @Param({"OUTBOUND", "INBOUND"})
    public Workload.Direction direction;

    private FastPath fast;
    private PacketRing ring;
    private final ByteBuf[] burst = new ByteBuf[FastPath.BATCH];
    private final int[] verdicts = new int[FastPath.BATCH];
    private int cursor;
    private long now;
    private long misses;

    @Setup(Level.Trial)
    public void setUp(ThreadParams threads) {
        int shard = threads.getThreadIndex(), shards = threads.getThreadCount();
        int[] mine = IntStream.range(0, flows).filter(f -> Workload.shard(f, shards) == shard).toArray();
        Masquerading m = new Masquerading(Masquerading.settings(mine.length, true), 1);
        long t0 = 1_000_000_000L;
        m.establish(proto, mine, t0);
        now = t0 + 4_000_000_000L;
        fast = new FastPath(m.table);
        ring = PacketRing.of(proto, direction, FlowChoice.UNIFORM.draw(flows, PacketRing.ringPackets(mine.length),
                42 + shard, f -> Workload.shard(f, shards) == shard));
        for (int k = 0; k < burst.length; k++) burst[k] = Unpooled.buffer(64, 64).writerIndex(Workload.FRAME);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int translate() {
        int acc = 0;
        for (int i = 0; i < BATCH; i += FastPath.BATCH) {
            for (ByteBuf b : burst) ring.load(cursor++, b);
            int done = fast.forwardFrames(burst, 0, burst.length, now, verdicts);
            now += burst.length;
            misses += burst.length - done;
            for (int k = 0; k < done; k++) acc += verdicts[k] + burst[k].getShort(24);
        }
        return acc;
    }

    @TearDown(Level.Iteration)
    public void noMisses() {
        if (misses > 0) throw new IllegalStateException(misses + " packets missed the fast path: the measurement is void");
    }
}
