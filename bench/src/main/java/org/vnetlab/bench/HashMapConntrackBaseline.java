package org.vnetlab.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.vnetlab.emulator.conntrack.NatRewriter;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * Baseline (c), the textbook Java conntrack: a {@code HashMap<FlowKey, Binding>} holding both directions
 * of every flow (a record key, an object per binding, like vnetlab's table before the fast path), looked up
 * with a key built from the packet, then the same rewrite, TTL − 1, counters and timestamp. It checks no
 * checksums and tracks no TCP window: less work than {@link EstablishedTranslationBench} does.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@State(Scope.Thread)
public class HashMapConntrackBaseline {
    static final int BATCH = 1024;

    @Param({"1000", "64000", "1000000"})
    public int flows;

    @Param({"UDP"})
    public Workload.Proto proto;

    @Param({"OUTBOUND", "INBOUND"})
    public Workload.Direction direction;

    /** A tuple as a record: protocol, addresses, ports (or ICMP id and type/code). */
    public record FlowKey(int protocol, int source, int destination, int sourceKey, int destinationKey) {}

    /** What to write, and the state a conntrack entry keeps. */
    static final class Binding {
        final boolean source;
        final int address;
        final int key;
        long packets, bytes, lastSeen;

        Binding(boolean source, int address, int key) {
            this.source = source;
            this.address = address;
            this.key = key;
        }
    }

    private Map<FlowKey, Binding> table;
    private PacketRing ring;
    private final ByteBuf work = Unpooled.buffer(64, 64).writerIndex(Workload.FRAME);
    private int cursor;
    private long now;
    private long misses;

    static Map<FlowKey, Binding> build(Workload.Proto proto, int flows) {
        Map<FlowKey, Binding> t = new HashMap<>();
        int p = Workload.ipProto(proto).value();
        int sp = Workload.serverPort(proto);
        for (int f = 0; f < flows; f++) {
            int g = Workload.guest(f).bits(), s = Workload.server(f).bits(), port = Workload.guestPort(f);
            t.put(new FlowKey(p, g, s, port, sp), new Binding(true, Workload.UPLINK.bits(), port));
            t.put(new FlowKey(p, s, Workload.UPLINK.bits(), sp, port), new Binding(false, g, port));
        }
        return t;
    }

    @Setup(Level.Trial)
    public void setUp() {
        table = build(proto, flows);
        ring = PacketRing.of(proto, direction, FlowChoice.UNIFORM.draw(flows, PacketRing.ringPackets(flows), 42, f -> true));
        now = 1_000_000_000L;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int translate() {
        int acc = 0;
        for (int i = 0; i < BATCH; i++) {
            ring.load(cursor++, work);
            int ihl = (work.getUnsignedByte(14) & 0x0f) << 2;
            int total = work.getUnsignedShort(16);
            int protocol = work.getUnsignedByte(23);
            int l4 = 14 + ihl;
            Binding b = table.get(new FlowKey(protocol, work.getInt(26), work.getInt(30), work.getUnsignedShort(l4),
                    work.getUnsignedShort(l4 + 2)));
            if (b == null) {
                misses++;
                continue;
            }
            b.packets++;
            b.bytes += total;
            b.lastSeen = now++;
            NatRewriter.manipulate(work, 14, l4, total - ihl, false, protocol, b.source, b.address, b.key);
            int ttlWord = work.getUnsignedShort(22);
            work.setByte(22, (ttlWord >>> 8) - 1);
            work.setShort(24, InternetChecksum.update16(work.getUnsignedShort(24), ttlWord, ttlWord - 0x100));
            acc += work.getShort(24);
        }
        if (misses > 0) throw new IllegalStateException(misses + " lookups missed");
        return acc;
    }
}
