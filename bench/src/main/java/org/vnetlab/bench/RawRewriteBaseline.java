package org.vnetlab.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
 * Baseline (a), the raw floor: the same frames, the same copy from the ring, the same rewrite
 * ({@link NatRewriter#manipulate}: address and port or ICMP id, RFC 1624 checksums) and TTL − 1 — to one
 * fixed address and port, with no lookup, no tracking, no checks and no state. What translation costs when
 * the connection is already in hand.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class RawRewriteBaseline {
    static final int BATCH = 1024;

    @Param({"64000"})
    public int flows;

    @Param({"UDP", "TCP", "ICMP"})
    public Workload.Proto proto;

    @Param({"OUTBOUND", "INBOUND"})
    public Workload.Direction direction;

    private PacketRing ring;
    private final ByteBuf work = Unpooled.buffer(64, 64).writerIndex(Workload.FRAME);
    private int cursor;
    private int protocol;
    private boolean source;
    private int address;

    @Setup(Level.Trial)
    public void setUp() {
        ring = PacketRing.of(proto, direction, FlowChoice.UNIFORM.draw(flows, PacketRing.ringPackets(flows), 42, f -> true));
        protocol = Workload.ipProto(proto).value();
        source = direction == Workload.Direction.OUTBOUND;
        address = source ? Workload.UPLINK.bits() : Workload.guest(0).bits();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int rewrite() {
        int acc = 0;
        for (int i = 0; i < BATCH; i++) {
            ring.load(cursor++, work);
            int ihl = (work.getUnsignedByte(14) & 0x0f) << 2;
            int l4Length = work.getUnsignedShort(16) - ihl;
            NatRewriter.manipulate(work, 14, 14 + ihl, l4Length, false, protocol, source, address, 40000);
            int ttlWord = work.getUnsignedShort(22);
            work.setByte(22, (ttlWord >>> 8) - 1);
            work.setShort(24, InternetChecksum.update16(work.getUnsignedShort(24), ttlWord, ttlWord - 0x100));
            acc += work.getShort(24);
        }
        return acc;
    }
}
