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
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * RFC 9693's connection establishment rate: {@value #CONNECTIONS} first packets of new connections (UDP
 * datagrams or TCP SYNs), each through conntrack (a new entry), the MASQUERADE binding with port allocation
 * (nf_nat_setup_info's get_unique_tuple), the rewrite and confirmation — {@link Masquerading}, the hooks'
 * calls without the rule walk. {@code DISTINCT}: every guest its own source port and server, so each keeps
 * its port. {@code ONE_SERVER}: {@value #CONNECTIONS} guests (10.0.0.0/18), all from source port 40000 to
 * one server 198.18.0.1 port 443 or 53 — every connection after the first collides on the reply tuple and
 * MASQUERADE must probe for a free port, the case that fills a port range. Each invocation starts from an
 * empty table (made in setup, not measured).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class ConnectionSetupBench {
    static final int CONNECTIONS = 16_384;

    public enum Pattern { DISTINCT, ONE_SERVER }

    @Param({"DISTINCT", "ONE_SERVER"})
    public Pattern pattern;

    @Param({"UDP", "TCP"})
    public Workload.Proto proto;

    private final ByteBuf[] templates = new ByteBuf[CONNECTIONS];
    private final ByteBuf[] packets = new ByteBuf[CONNECTIONS];
    private Masquerading nat;
    private long now = 1_000_000_000L;
    private int invocations;

    @Setup(Level.Trial)
    public void build() {
        for (int i = 0; i < CONNECTIONS; i++) {
            Ipv4Address guest = pattern == Pattern.DISTINCT ? Workload.guest(i) : Ipv4Address.of(10, 0, i >>> 8, i & 0xff);
            int sport = pattern == Pattern.DISTINCT ? Workload.guestPort(i) : 40000;
            Ipv4Address server = pattern == Pattern.DISTINCT ? Workload.server(i) : Ipv4Address.of(198, 18, 0, 1);
            Ipv4Header ip = Ipv4Header.of(guest, server, Workload.ipProto(proto), 64, 7, true, 0);
            templates[i] = proto == Workload.Proto.UDP
                    ? Frames.ethernetIpv4(Workload.eth(Workload.VIRBR0_MAC, Workload.GUEST_MAC), ip,
                            new UdpHeader(sport, Workload.serverPort(proto), 0), new byte[18])
                    : Frames.ethernetIpv4(Workload.eth(Workload.VIRBR0_MAC, Workload.GUEST_MAC), ip,
                            new TcpHeader(sport, Workload.serverPort(proto), 999, 0, 0x02, 64240, 0, java.util.List.of()), new byte[0]);
            packets[i] = Unpooled.buffer(templates[i].readableBytes());
        }
    }

    @Setup(Level.Invocation)
    public void emptyTable() {
        nat = new Masquerading(Masquerading.settings(CONNECTIONS, false), invocations++);
        for (int i = 0; i < CONNECTIONS; i++) {
            packets[i].clear().writeBytes(templates[i], templates[i].readerIndex(), templates[i].readableBytes());
        }
    }

    @Benchmark
    @OperationsPerInvocation(CONNECTIONS)
    public int connect() {
        int ok = 0;
        for (int i = 0; i < CONNECTIONS; i++) if (nat.forward(packets[i], now++)) ok++;
        if (ok != CONNECTIONS) throw new IllegalStateException((CONNECTIONS - ok) + " connections were not set up");
        return ok;
    }
}
