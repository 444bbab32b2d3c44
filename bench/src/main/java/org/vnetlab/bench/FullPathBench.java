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
import org.openjdk.jmh.annotations.OperationsPerInvocation;

/**
 * The whole emulator path per packet, a guest's UDP frame of one of {@value #FLOWS} established flows
 * (60-byte frames of DNS queries to 8.8.8.8 for {@code LAB_STACK}, the benchmark's own for the others):
 * <ul>
 *   <li>{@code LAB_STACK} ({@link LabHost}): the emulator as users run it — guest NIC, link, tap vnet0,
 *       bridge virbr0, the host's IP stack (receive, PREROUTING, fib lookup, forward with TTL − 1, FORWARD,
 *       POSTROUTING, neighbour lookup, transmit) with libvirt's rules from the emulated libvirtd plus
 *       Docker's, a trace per packet, out of enp3s0 over the link to the router's LAN port;</li>
 *   <li>{@code LAB_STACK_UNTRACED}: the same lab with tracing off
 *       ({@code NetfilterPacketFilter.setTracing(false)}): no trace built, no rule or packet text formatted;</li>
 *   <li>{@code HOOKS} ({@link EmulatedHost}): guest link, bridge, then {@code PathRunner} (the hooks and the
 *       same rules, a trace, fixed next-hop MACs) out of enp3s0 to the router — no IP stack;</li>
 *   <li>{@code HOOKS_OFFLOAD}: as HOOKS, but the host hands each frame to {@link FastPath} first (a
 *       flowtable; the hooks on a miss).</li>
 * </ul>
 * Each operation allocates the frame the guest sends (a copy of the template), as a guest would.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class FullPathBench {
    static final int FLOWS = 1000;
    static final int BATCH = 256;

    public enum Path { LAB_STACK, LAB_STACK_UNTRACED, HOOKS, HOOKS_OFFLOAD }

    @Param({"LAB_STACK", "LAB_STACK_UNTRACED", "HOOKS", "HOOKS_OFFLOAD"})
    public Path path;

    private EmulatedHost host;
    private LabHost lab;
    private final ByteBuf[] frames = new ByteBuf[FLOWS];
    private int next;
    private long sent;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (path == Path.LAB_STACK || path == Path.LAB_STACK_UNTRACED) {
            lab = new LabHost(FLOWS);
            lab.lab.host().packetFilter().setTracing(path == Path.LAB_STACK);
            return;
        }
        host = new EmulatedHost(path == Path.HOOKS_OFFLOAD);
        // until the new bridge port forwards (STP on, forward delay 0: still a few timer steps), frames are dropped
        for (int tries = 0; host.delivered == 0; tries++) {
            if (tries == 30) throw new IllegalStateException("virbr0 never forwarded");
            host.guest.transmit(Workload.outbound(Workload.Proto.UDP, FLOWS + tries, 0));
            host.lab.scheduler().runFor(1_000_000_000L);
        }
        host.delivered = 0;
        for (int f = 0; f < FLOWS; f++) {
            host.guest.transmit(Workload.outbound(Workload.Proto.UDP, f, 0));
            host.lab.scheduler().runUntilIdle();
        }
        // a frame can stay in flight past runUntilIdle (observed): let the lab run before the replies come
        host.lab.scheduler().runFor(2_000_000_000L);
        for (int f = 0; f < FLOWS; f++) {
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
        // one frame stays in flight on the uplink until the next event (observed; see docs/benchmarks.md)
        if (host.delivered < 2L * FLOWS - 1) throw new IllegalStateException("set-up: " + host.delivered + " delivered");
        host.delivered = 0;
        host.offloaded = 0;
        host.offloadMisses = 0;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long forward() {
        for (int i = 0; i < BATCH; i++) {
            if (lab != null) {
                lab.send(next);
            } else {
                ByteBuf f = frames[next];
                ByteBuf copy = Unpooled.buffer(f.readableBytes());
                copy.writeBytes(f, f.readerIndex(), f.readableBytes());
                host.guest.transmit(copy);
                host.lab.scheduler().runUntilIdle();
            }
            next = next + 1 == FLOWS ? 0 : next + 1;
            sent++;
        }
        if (lab != null) lab.lab.host().packetFilter().clearTraces();
        return sent;
    }

    @TearDown(Level.Iteration)
    public void allDelivered() {
        long delivered = lab != null ? lab.reachedRouter : host.delivered;
        if (delivered < sent - 1 || (host != null && host.dropped != 0)) {
            throw new IllegalStateException("sent " + sent + ", delivered " + delivered);
        }
        if (path == Path.HOOKS_OFFLOAD && host.offloadMisses != 0) {
            throw new IllegalStateException(host.offloadMisses + " of " + sent + " frames missed the fast path");
        }
    }
}
