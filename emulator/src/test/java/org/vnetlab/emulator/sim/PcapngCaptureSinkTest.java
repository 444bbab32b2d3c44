package org.vnetlab.emulator.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.pcap.PcapngCapture;
import org.vnetlab.protocols.pcap.PcapngReader;
import org.vnetlab.protocols.pcap.PcapngWriter;

class PcapngCaptureSinkTest {

    static byte[] capture(long seed) throws Exception {
        Lab lab = new Lab(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapngCaptureSink sink = new PcapngCaptureSink(new PcapngWriter(out))) {
            lab.addCaptureSink(sink);
            lab.scheduler().schedule(SimTime.seconds(2), "frame", () ->
                    lab.capture("host/vnet0", CaptureSink.Direction.OUTBOUND, Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
            lab.scheduler().schedule(SimTime.seconds(3), "frame", () ->
                    lab.capture("guest1/eth0", CaptureSink.Direction.INBOUND, Unpooled.wrappedBuffer(new byte[] {4, 5})));
            lab.scheduler().schedule(SimTime.seconds(4), "frame", () ->
                    lab.capture("host/vnet0", CaptureSink.Direction.INBOUND, Unpooled.wrappedBuffer(new byte[] {6})));
            lab.scheduler().runUntilIdle();
        }
        return out.toByteArray();
    }

    @Test
    void eachTappedInterfaceBecomesANamedPcapngInterfaceStampedWithVirtualTime() throws Exception {
        PcapngCapture read = PcapngReader.read(capture(1));
        assertThat(read.interfaces()).extracting(i -> i.name()).containsExactly("host/vnet0", "guest1/eth0");
        assertThat(read.packetsOn("host/vnet0")).extracting(p -> p.timestampNanos())
                .containsExactly(SimTime.seconds(2), SimTime.seconds(4));
        assertThat(read.packetsOn("guest1/eth0").get(0).data()).containsExactly(4, 5);
    }

    @Test
    void theSameRunWritesTheSameBytes() throws Exception {
        assertThat(capture(1)).isEqualTo(capture(1));
    }
}
