package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.conntrack.FastPath;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.testing.Packets;

/** The established path allocates nothing per packet (measured with the thread's allocation counter). */
class FastPathAllocationTest {
    @Test
    void translatingEstablishedUdpTcpAndIcmpPacketsAllocatesNothing() throws InputException {
        FastPathEquivalenceProperties.Host h = new FastPathEquivalenceProperties.Host(3);
        long now = 1_000_000_000L;
        String g = "192.168.122.9", r = "93.184.216.34", nat = FastPathEquivalenceProperties.NAT;
        // UDP: request, reply, request three seconds later (ASSURED)
        int udpPort = port(h.full(Packets.udp(g, 40000, r, 53, 64, 10), true, now));
        h.full(Packets.udp(r, 53, nat, udpPort, 60, 10), false, now += 1_000_000);
        h.full(Packets.udp(g, 40000, r, 53, 64, 10), true, now += 3_000_000_000L);
        // TCP handshake (ESTABLISHED, ASSURED)
        int tcpPort = port(h.full(Packets.tcp(g, 40001, r, 80, 64, 999, 0, 0x02, 0), true, now));
        h.full(Packets.tcp(r, 80, nat, tcpPort, 60, 4999, 1000, 0x12, 0), false, now += 1_000_000);
        h.full(Packets.tcp(g, 40001, r, 80, 64, 1000, 5000, 0x10, 0), true, now += 1_000_000);
        // ICMP echo
        int id = port(h.full(Packets.ping(g, r, 64, 7, 1), true, now));
        h.full(Packets.pong(r, nat, 60, id, 1), false, now += 1_000_000);

        ByteBuf udp = Packets.udp(g, 40000, r, 53, 64, 18);
        ByteBuf tcp = Packets.tcp(r, 80, nat, tcpPort, 60, 5000, 1000, 0x10, 0);
        ByteBuf ping = Packets.ping(g, r, 64, 7, 2);
        ByteBuf work = udp.copy();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = 0;
        int n = 200_000, misses = 0;
        for (int i = 0; i < 2 * n; i++) {
            if (i == n) before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            ByteBuf p = i % 3 == 0 ? udp : i % 3 == 1 ? tcp : ping;
            work.clear().writeBytes(p, p.readerIndex(), p.readableBytes());
            if (h.fast.forward(work, 0, work.readableBytes(), now + i) == FastPath.MISS) misses++;
        }
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertThat(misses).isZero();
        // the second half ran after warm-up; a few stray bytes (e.g. a lazily loaded class) may show, not per packet
        assertThat(allocated).isLessThan(n / 10);

        // the same packets in bursts of FastPath.BATCH frames (forwardFrames)
        ByteBuf[] burst = new ByteBuf[FastPath.BATCH];
        for (int k = 0; k < burst.length; k++) burst[k] = Unpooled.buffer(128);
        int[] verdicts = new int[burst.length];
        long t = now + 2L * n;
        int forwarded = 0;
        for (int round = 0; round < 2 * n / burst.length; round++) {
            if (round == n / burst.length) before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int k = 0; k < burst.length; k++) {
                ByteBuf p = k % 3 == 0 ? udp : k % 3 == 1 ? tcp : ping;
                burst[k].clear().writeZero(12).writeShort(0x0800).writeBytes(p, p.readerIndex(), p.readableBytes());
            }
            forwarded += h.fast.forwardFrames(burst, 0, burst.length, t++, verdicts);
        }
        allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertThat(forwarded).isEqualTo(2 * n / burst.length * burst.length);
        assertThat(allocated).isLessThan(n / 10);
    }

    static int port(PathRunner.Result r) {
        return Datagram.read(r.packet().orElseThrow()).orElseThrow().tuple().orElseThrow().sourceKey();
    }
}
