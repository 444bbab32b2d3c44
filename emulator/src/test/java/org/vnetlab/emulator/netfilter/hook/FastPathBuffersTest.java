package org.vnetlab.emulator.netfilter.hook;

import org.vnetlab.emulator.testing.Packets;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.FastPath;
import org.vnetlab.emulator.input.InputException;

/**
 * The fast path reads and rewrites a heap buffer in its backing array, and any other buffer (direct memory,
 * a slice at an offset) through a copy: the bytes and the table come out the same whichever buffer holds
 * the packet, and a datagram said to run past the buffer is refused rather than read from a neighbour.
 */
class FastPathBuffersTest {
    private static final String G = "192.168.122.9", R = "93.184.216.34", NAT = FastPathEquivalenceProperties.NAT;

    private static long establishUdp(FastPathEquivalenceProperties.Host h) {
        long now = 1_000_000_000L;
        int port = FastPathAllocationTest.port(h.full(Packets.udp(G, 40000, R, 53, 64, 10), true, now));
        h.full(Packets.udp(R, 53, NAT, port, 60, 10), false, now += 1_000_000);
        h.full(Packets.udp(G, 40000, R, 53, 64, 10), true, now += 3_000_000_000L);
        return now;
    }

    @Test
    void aDirectBufferAndASliceAreTranslatedLikeAHeapBuffer() throws InputException {
        FastPathEquivalenceProperties.Host heapHost = new FastPathEquivalenceProperties.Host(3);
        FastPathEquivalenceProperties.Host directHost = new FastPathEquivalenceProperties.Host(3);
        FastPathEquivalenceProperties.Host sliceHost = new FastPathEquivalenceProperties.Host(3);
        long now = establishUdp(heapHost);
        establishUdp(directHost);
        establishUdp(sliceHost);

        ByteBuf packet = Packets.udp(G, 40000, R, 53, 64, 18);
        ByteBuf heap = packet.copy();
        ByteBuf direct = Unpooled.directBuffer(packet.readableBytes()).writeBytes(packet.duplicate());
        ByteBuf padded = Unpooled.buffer(packet.readableBytes() + 7).writerIndex(7).writeBytes(packet.duplicate());
        ByteBuf slice = padded.slice(7, packet.readableBytes());
        try {
            now += 1_000_000;
            assertThat(heapHost.fast.forward(heap, 0, heap.readableBytes(), now)).isEqualTo(FastPath.ORIGINAL);
            assertThat(directHost.fast.forward(direct, 0, direct.readableBytes(), now)).isEqualTo(FastPath.ORIGINAL);
            assertThat(sliceHost.fast.forward(slice, 0, slice.readableBytes(), now)).isEqualTo(FastPath.ORIGINAL);

            assertThat(ByteBufUtil.hexDump(heap)).isNotEqualTo(ByteBufUtil.hexDump(packet)); // source rewritten
            assertThat(ByteBufUtil.hexDump(direct)).isEqualTo(ByteBufUtil.hexDump(heap));
            assertThat(ByteBufUtil.hexDump(slice)).isEqualTo(ByteBufUtil.hexDump(heap));
            assertThat(ByteBufUtil.hexDump(padded, 0, 7)).isEqualTo("00000000000000");
            assertThat(directHost.state(now)).isEqualTo(heapHost.state(now));
            assertThat(sliceHost.state(now)).isEqualTo(heapHost.state(now));
        } finally {
            direct.release();
        }
    }

    @Test
    void aDatagramLongerThanItsBufferIsRefused() throws InputException {
        FastPathEquivalenceProperties.Host h = new FastPathEquivalenceProperties.Host(3);
        long now = establishUdp(h);
        ByteBuf packet = Packets.udp(G, 40000, R, 53, 64, 18);
        ByteBuf slice = Unpooled.buffer(256).writeBytes(packet.duplicate()).slice(0, packet.readableBytes());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.fast.forward(slice, 0, slice.capacity() + 1, now))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
