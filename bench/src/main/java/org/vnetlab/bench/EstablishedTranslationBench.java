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
 * RFC 9693's throughput of established flows, per packet: a 60-byte frame of an established connection
 * through {@link FastPath} — tuple read in place, conntrack lookup, tracker update (TCP window check),
 * counters ({@code nf_conntrack_acct=1}) and timeout, NAT rewrite with incremental checksums, TTL − 1 —
 * outbound (SNAT) or inbound (de-NAT), for UDP, TCP and ICMP echo, over {@code flows} concurrent flows
 * chosen uniformly or Zipf-skewed. Each operation first copies the frame from the packet ring into the
 * work buffer (what a NIC's DMA does). With {@code -t N}, flows are sharded over N threads by tuple hash
 * (like RSS), each thread with its own table.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Thread)
public class EstablishedTranslationBench {
    static final int BATCH = 1024;

    @Param({"1000", "64000", "1000000"})
    public int flows;

    @Param({"UDP", "TCP", "ICMP"})
    public Workload.Proto proto;

    @Param({"OUTBOUND", "INBOUND"})
    public Workload.Direction direction;

    @Param({"UNIFORM", "ZIPF"})
    public FlowChoice choice;

    private FastPath fast;
    private PacketRing ring;
    private final ByteBuf work = Unpooled.buffer(64, 64).writerIndex(Workload.FRAME);
    private int cursor;
    private long now;
    private long misses;

    @Setup(Level.Trial)
    public void setUp(ThreadParams threads) {
        int shard = threads.getThreadIndex(), shards = threads.getThreadCount();
        int[] mine = IntStream.range(0, flows).filter(f -> Workload.shard(f, shards) == shard).toArray();
        Masquerading m = new Masquerading(Masquerading.settings(mine.length, true), 1);
        long t0 = 1_000_000_000L;
        int[] nat = m.establish(proto, mine, t0);
        for (int k = 0; k < mine.length; k++) {
            if (nat[k] != Workload.guestPort(mine[k])) throw new IllegalStateException("MASQUERADE remapped flow " + mine[k]);
        }
        now = t0 + 4_000_000_000L;
        fast = new FastPath(m.table);
        ring = PacketRing.of(proto, direction,
                choice.draw(flows, PacketRing.ringPackets(mine.length), 42 + shard, f -> Workload.shard(f, shards) == shard));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int translate() {
        int acc = 0;
        for (int i = 0; i < BATCH; i++) {
            ring.load(cursor++, work);
            int r = fast.forwardFrame(work, now++);
            if (r == FastPath.MISS) misses++;
            acc += r + work.getShort(24);
        }
        return acc;
    }

    @TearDown(Level.Iteration)
    public void noMisses() {
        if (misses > 0) throw new IllegalStateException(misses + " packets missed the fast path: the measurement is void");
    }
}
