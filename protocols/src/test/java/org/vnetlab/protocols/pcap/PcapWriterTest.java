package org.vnetlab.protocols.pcap;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.ParseException;

/** Classic pcap with nanosecond stamps, read back by the reader of the reference captures. */
class PcapWriterTest {

    @Test
    void nanosecondMagicHeaderAndRecords() throws IOException, ParseException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter w = new PcapWriter(out);
        w.write(1_795_672_860_604_671_123L, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        w.write(1_795_672_860_604_671_124L, new byte[] {4});
        byte[] file = out.toByteArray();
        assertThat(ByteBufUtil.hexDump(file, 0, 24))
                .isEqualTo("4d3cb2a1" + "0200" + "0400" + "00000000" + "00000000" + "00000400" + "01000000");
        List<PcapRecord> records = PcapReader.read(file);
        assertThat(records).containsExactly(new PcapRecord(1_795_672_860_604_671_123L, 1, new byte[] {1, 2, 3}),
                new PcapRecord(1_795_672_860_604_671_124L, 1, new byte[] {4}));
    }

    @Test
    void snapLengthCutsFrames() throws IOException, ParseException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter w = new PcapWriter(out, PcapngWriter.LINKTYPE_ETHERNET, 2);
        w.write(5, new byte[] {1, 2, 3});
        assertThat(PcapReader.read(out.toByteArray()).get(0).data()).containsExactly(1, 2);
        assertThat(ByteBufUtil.hexDump(out.toByteArray(), 24 + 8, 8)).isEqualTo("02000000" + "03000000");
    }
}
