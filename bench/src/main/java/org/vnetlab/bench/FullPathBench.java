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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.vnetlab.emulator.input.InputException;

/**
 * The whole emulator path per packet ({@link EmulatedHost}): a guest's UDP frame of one of {@value #FLOWS}
 * established flows is sent on its link, crosses bridge virbr0 (FDB lookup, br_netfilter off), goes up to
 * the host: PREROUTING (conntrack; nat not walked for established packets), routing, TTL − 1, FORWARD
 * through libvirt's and Docker's filter rules, POSTROUTING (MASQUERADE's binding applied, confirm), with a
 * trace of every rule; then out of enp3s0 over a link to the router. {@code HOOKS}: every packet takes that
 * path. {@code OFFLOAD}: the host hands each frame to {@link FastPath} first (a flowtable; on a miss, the
 * hooks). Each operation allocates the frame the guest sends (a copy of the template), as the guest would.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class FullPathBench {
    static final int FLOWS = 1000;

    public enum Path { HOOKS, OFFLOAD }

    @Param({"HOOKS", "OFFLOAD"})
    public Path path;

    private EmulatedHost host;
    private final ByteBuf[] frames = new ByteBuf[FLOWS];
    private int next;
    private long sent;

    @Setup(Level.Trial)
    public void setUp() throws InputException {
        host = new EmulatedHost(path == Path.OFFLOAD);
        for (int f = 0; f < FLOWS; f++) {
            host.guest.transmit(Workload.outbound(Workload.Proto.UDP, f, 0));
            host.lab.scheduler().runUntilIdle();
            ByteBuf reply = Workload.inbound(Workload.Proto.UDP, f, Workload.guestPort(f), 0);
            host.runner.receive(reply.slice(14, reply.readableBytes() - 14), "enp3s0", Workload.GATEWAY_MAC,
                    Workload.UPLINK_MAC, host.lab.now());
        }
        host.lab.scheduler().runFor(3_000_000_000L);
        for (int f = 0; f < FLOWS; f++) {
            frames[f] = Workload.outbound(Workload.Proto.UDP, f, 0);
            host.guest.transmit(frames[f].copy());
        }
        host.lab.scheduler().runUntilIdle();
        if (host.delivered != 2L * FLOWS) throw new IllegalStateException("set-up: " + host.delivered + " delivered");
        host.delivered = 0;
        host.offloaded = 0;
    }

    @Benchmark
    public long forward() {
        ByteBuf f = frames[next];
        next = next + 1 == FLOWS ? 0 : next + 1;
        ByteBuf copy = Unpooled.buffer(f.readableBytes());
        copy.writeBytes(f, f.readerIndex(), f.readableBytes());
        host.guest.transmit(copy);
        host.lab.scheduler().runUntilIdle();
        sent++;
        return host.delivered;
    }

    @TearDown(Level.Iteration)
    public void allDelivered() {
        if (host.delivered != sent || host.dropped != 0) {
            throw new IllegalStateException("sent " + sent + ", delivered " + host.delivered + ", dropped " + host.dropped);
        }
        if (path == Path.OFFLOAD && host.offloaded != sent) throw new IllegalStateException("only " + host.offloaded + " offloaded");
    }
}
