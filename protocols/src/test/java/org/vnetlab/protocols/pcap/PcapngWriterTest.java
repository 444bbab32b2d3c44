package org.vnetlab.protocols.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.RefCaptures;

/** pcapng as the emulator writes it: one named interface per link, nanosecond stamps from the emulated clock. */
class PcapngWriterTest {
    /** 2026-11-26 06:01:00.604671000 UTC, the first DHCPDISCOVER of the reference capture. */
    private static final long T0 = 1_795_672_860_604_671_000L;

    @Test
    void blocksOfAMinimalCapture() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapngWriter w = new PcapngWriter(out);
        assertThat(w.addInterface("virbr0")).isZero();
        w.write(0, T0 + 1, new byte[] {1, 2, 3, 4, 5});
        long ts = T0 + 1;
        String expected = ""
                // Section Header Block: BOM, version 1.0, section length unknown, shb_userappl "vnetlab"
                + "0a0d0d0a" + "2c000000" + "4d3c2b1a" + "0100" + "0000" + "ffffffffffffffff"
                + "0400" + "0700" + "766e65746c616200" + "00000000" + "2c000000"
                // Interface Description Block: Ethernet, no snap limit, if_name "virbr0", if_tsresol 9
                + "01000000" + "2c000000" + "0100" + "0000" + "00000000"
                + "0200" + "0600" + "7669726272300000" + "0900" + "0100" + "09000000" + "00000000" + "2c000000"
                // Enhanced Packet Block: interface 0, 64-bit nanoseconds high word first, 5 bytes padded to 8
                + "06000000" + "28000000" + "00000000" + le32((int) (ts >>> 32)) + le32((int) ts)
                + "05000000" + "05000000" + "0102030405000000" + "28000000";
        assertThat(ByteBufUtil.hexDump(out.toByteArray())).isEqualTo(expected);
    }

    @Test
    void readsBackInterfacesPacketsAndTimestamps() throws IOException, ParseException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapngWriter w = new PcapngWriter(out);
        int virbr0 = w.addInterface("virbr0");
        int vnet0 = w.addInterface("vnet0");
        int uplink = w.addInterface("enp3s0");
        List<RefCaptures.Udp> frames = RefCaptures.udp("guest-eth0.pcap");
        for (int i = 0; i < frames.size(); i++) {
            w.write(List.of(virbr0, vnet0, uplink).get(i % 3), T0 + i * 1_000_001L, Unpooled.wrappedBuffer(frames.get(i).frameBytes()));
        }
        w.write(vnet0, T0 + 7, new byte[0]);
        PcapngCapture c = PcapngReader.read(out.toByteArray());
        assertThat(c.application()).isEqualTo("vnetlab");
        assertThat(c.interfaces()).containsExactly(new PcapngInterface("virbr0", 1, 0), new PcapngInterface("vnet0", 1, 0),
                new PcapngInterface("enp3s0", 1, 0));
        assertThat(c.interfaceId("enp3s0")).isEqualTo(2);
        assertThat(c.packets()).hasSize(frames.size() + 1);
        for (int i = 0; i < frames.size(); i++) {
            PcapngPacket p = c.packets().get(i);
            assertThat(p.interfaceId()).isEqualTo(i % 3);
            assertThat(p.timestampNanos()).isEqualTo(T0 + i * 1_000_001L);
            assertThat(p.data()).isEqualTo(frames.get(i).frameBytes());
            assertThat(p.originalLength()).isEqualTo(frames.get(i).frameBytes().length);
        }
        assertThat(c.packetsOn("vnet0")).last().extracting(PcapngPacket::data).isEqualTo(new byte[0]);
    }

    @Test
    void sameCallsGiveTheSameBytes() throws IOException {
        assertThat(sample()).isEqualTo(sample());
    }

    @Test
    void snapLengthCutsTheCapturedBytesOnly() throws IOException, ParseException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapngWriter w = new PcapngWriter(out);
        int id = w.addInterface("vnet0", PcapngWriter.LINKTYPE_ETHERNET, 64);
        byte[] frame = new byte[100];
        Arrays.fill(frame, (byte) 7);
        w.write(id, 0, frame);
        PcapngPacket p = PcapngReader.read(out.toByteArray()).packets().get(0);
        assertThat(p.data()).hasSize(64);
        assertThat(p.originalLength()).isEqualTo(100);
        assertThat(PcapngReader.read(out.toByteArray()).interfaces().get(0).snapLength()).isEqualTo(64);
    }

    @Test
    void writingRefusesWhatCannotBeRepresented() throws IOException {
        PcapngWriter w = new PcapngWriter(new ByteArrayOutputStream());
        w.addInterface("virbr0");
        assertThatThrownBy(() -> w.write(1, 0, new byte[1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no interface 1");
        assertThatThrownBy(() -> w.write(0, -1, new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    /** A big-endian file with microsecond stamps and a time offset, as other writers may produce. */
    @Test
    void readsBigEndianMicrosecondsWithOffset() throws ParseException {
        ByteBuffer b = ByteBuffer.allocate(28 + 44 + 32).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1).putInt(28);
        int idb = 16 + 8 + 12 + 4 + 4;
        b.putInt(1).putInt(idb).putShort((short) 1).putShort((short) 0).putInt(65535)
                .putShort((short) 2).putShort((short) 4).put("eth0".getBytes())
                .putShort((short) 14).putShort((short) 8).putLong(10) // if_tsoffset: 10 s
                .putInt(0).putInt(idb);
        b.putInt(6).putInt(32).putInt(0).putInt(0).putInt(1_500_000).putInt(0).putInt(0).putInt(32);
        byte[] file = Arrays.copyOf(b.array(), b.position());
        PcapngCapture c = PcapngReader.read(file);
        assertThat(c.interfaces()).containsExactly(new PcapngInterface("eth0", 1, 65535));
        assertThat(c.packets().get(0).timestampNanos()).isEqualTo(11_500_000_000L);
    }

    // ---- malformed files ---------------------------------------------------------------------------

    @Test
    void notPcapng() throws IOException {
        byte[] pcap = new byte[40];
        ParseException e = readFails(pcap);
        assertThat(e.field()).isEqualTo("block type");
    }

    @Test
    void badByteOrderMagic() throws IOException {
        byte[] f = sample();
        f[8] = 0;
        assertThat(readFails(f).field()).isEqualTo("byte-order magic");
    }

    @Test
    void truncatedBlock() throws IOException {
        byte[] f = sample();
        ParseException e = readFails(Arrays.copyOf(f, f.length - 3));
        assertThat(e.field()).isEqualTo("block");
        assertThat(e.reason()).contains("truncated");
    }

    @Test
    void trailingLengthDisagrees() throws IOException {
        byte[] f = sample();
        f[f.length - 4]++;
        assertThat(readFails(f).field()).isEqualTo("trailing block length");
    }

    @Test
    void packetOnAnUndescribedInterface() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapngWriter w = new PcapngWriter(out);
        w.addInterface("virbr0");
        w.write(0, 5, new byte[] {1});
        byte[] f = out.toByteArray();
        f[44 + 44 + 8] = 3; // EPB interface id
        ParseException e = readFails(f);
        assertThat(e.field()).isEqualTo("interface id");
        assertThat(e.offset()).isEqualTo(44 + 44 + 8);
    }

    @Test
    void secondSectionIsUnsupported() throws IOException {
        byte[] f = sample();
        byte[] two = Arrays.copyOf(f, f.length + 44);
        System.arraycopy(f, 0, two, f.length, 44);
        assertThat(readFails(two).reason()).contains("unsupported: more than one section");
    }

    @Property(tries = 3000, seed = "20261126")
    void damagedFilesOnlyEverRaiseParseException(@ForAll("samples") byte[] file,
            @ForAll @Size(max = 4) List<@IntRange(max = 400) Integer> positions, @ForAll byte value,
            @ForAll @IntRange(max = 400) int cut) throws IOException {
        byte[] f = Arrays.copyOf(file, Math.min(file.length, cut == 0 ? file.length : cut));
        for (int p : positions) {
            if (f.length > 0) f[p % f.length] = value;
        }
        try {
            PcapngReader.read(f);
        } catch (ParseException e) {
            assertThat(e.layer()).isEqualTo("pcapng");
        }
    }

    @Provide
    Arbitrary<byte[]> samples() throws IOException {
        return Arbitraries.of(sample());
    }

    private static ParseException readFails(byte[] f) {
        try {
            throw new AssertionError("read: " + PcapngReader.read(f));
        } catch (ParseException e) {
            assertThat(e.layer()).isEqualTo("pcapng");
            return e;
        }
    }

    private static byte[] sample() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapngWriter w = new PcapngWriter(out);
        w.addInterface("virbr0");
        w.addInterface("vnet0");
        w.write(1, T0, new byte[] {1, 2, 3});
        w.write(0, T0 + 10, new byte[] {4, 5, 6, 7, 8, 9, 10});
        return out.toByteArray();
    }

    private static String le32(int v) {
        return ByteBufUtil.hexDump(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }
}
