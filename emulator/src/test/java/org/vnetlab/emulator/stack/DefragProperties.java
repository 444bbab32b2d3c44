package org.vnetlab.emulator.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;

/**
 * ip_defrag under hostile fragment streams, on the article's host (conntrack in use, so nf_defrag_ipv4 gathers
 * at PREROUTING). Every fragment is cut from one endless byte pattern (the original datagram's payload, then
 * made-up bytes past its end), so whatever a stream holds, a datagram that comes out whole can be checked byte
 * for byte. Streams: a clean partition in any order (each byte exactly once: it must come out whole and equal
 * the original), then the same with duplicates, overlaps, drops, MF on the last, empty, tiny and far-off
 * fragments. Whatever happens: only Whole/Held/Dropped, the queues' memory stays within ipfrag_high_thresh
 * (plus the one fragment the kernel lets cross it), and after ipfrag_time nothing is left (no leak).
 */
class DefragProperties {
    static final int HEADER = 20;

    /** One fragment: offset in 8-byte units, payload length, MF. */
    record Piece(int offset8, int length, boolean more) {}

    /** The stream: the original's payload length and IP ID, how it is cut, and the edits made to the cut. */
    record Stream(int payloadLength, int id, int cut, long shuffleSeed, List<Edit> edits) {}

    enum EditKind { DUPLICATE, DROP, OVERLAP, MF_ON_LAST, EMPTY, TINY, HUGE_OFFSET, TRUNCATED_LAST }

    record Edit(EditKind kind, int a, int b) {}

    // ---- the pattern and fragments ----------------------------------------------------------------

    private static byte patternAt(byte[] original, int k) {
        return k < original.length ? original[k] : (byte) (k * 31 + 7);
    }

    private static byte[] original(int length, int id) {
        byte[] p = new byte[length];
        new Random(id * 7919L + length).nextBytes(p);
        return p;
    }

    /** A fragment's datagram as it left the guest: valid header, checksum right, payload from the pattern. */
    static ByteBuf fragment(byte[] original, int id, Piece p) {
        ByteBuf d = Unpooled.buffer(HEADER + p.length());
        d.writeByte(0x45).writeByte(0).writeShort(HEADER + p.length()).writeShort(id)
                .writeShort((p.more() ? 0x2000 : 0) | (p.offset8() & 0x1fff)).writeByte(64).writeByte(17).writeShort(0)
                .writeBytes(Net.ip("192.168.122.55").toBytes()).writeBytes(Net.ip("192.168.122.1").toBytes());
        d.setShort(10, InternetChecksum.compute(d, 0, HEADER));
        for (int i = 0; i < p.length(); i++) d.writeByte(patternAt(original, p.offset8() * 8 + i));
        return d;
    }

    /** A clean cut of {@code length} bytes into pieces of {@code cut} 8-byte units (the last shorter), MF on all but the last. */
    static List<Piece> partition(int length, int cut) {
        List<Piece> out = new ArrayList<>();
        int step = cut * 8;
        for (int off = 0; off < length || out.isEmpty(); off += step) {
            int n = Math.min(step, length - off);
            out.add(new Piece(off / 8, n, off + n < length));
        }
        return out;
    }

    static List<Piece> edited(Stream s) {
        List<Piece> pieces = new ArrayList<>(partition(s.payloadLength(), s.cut()));
        java.util.Collections.shuffle(pieces, new Random(s.shuffleSeed()));
        for (Edit e : s.edits()) {
            int i = Math.floorMod(e.a(), pieces.size() == 0 ? 1 : pieces.size());
            switch (e.kind()) {
                case DUPLICATE -> { if (!pieces.isEmpty()) pieces.add(Math.floorMod(e.b(), pieces.size() + 1), pieces.get(i)); }
                case DROP -> { if (pieces.size() > 1) pieces.remove(i); }
                case OVERLAP -> pieces.add(Math.floorMod(e.b(), pieces.size() + 1),
                        new Piece(Math.floorMod(e.a(), s.payloadLength() / 8 + 1), 1 + Math.floorMod(e.b(), 1480), true));
                case MF_ON_LAST -> pieces.replaceAll(p -> p.more() ? p : new Piece(p.offset8(), p.length(), true));
                case EMPTY -> pieces.add(Math.floorMod(e.b(), pieces.size() + 1), new Piece(Math.floorMod(e.a(), 200), 0, e.b() % 2 == 0));
                case TINY -> pieces.add(Math.floorMod(e.b(), pieces.size() + 1), new Piece(Math.floorMod(e.a(), 400), 1 + Math.floorMod(e.b(), 7), true));
                case HUGE_OFFSET -> pieces.add(Math.floorMod(e.b(), pieces.size() + 1),
                        new Piece(8000 + Math.floorMod(e.a(), 192), 8 + Math.floorMod(e.b(), 1472), e.a() % 2 == 0));
                case TRUNCATED_LAST -> pieces.replaceAll(p -> p.more() || p.length() < 2 ? p : new Piece(p.offset8(), p.length() - 1, false));
            }
        }
        return pieces;
    }

    @Provide
    Arbitrary<Stream> clean() {
        return Combinators.combine(Arbitraries.integers().between(9, 4000), Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(1, 185), Arbitraries.longs()).as((l, id, cut, seed) -> new Stream(l, id, cut, seed, List.of()));
    }

    @Provide
    Arbitrary<Stream> hostile() {
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.of(EditKind.class), Arbitraries.integers().between(0, 1 << 16),
                Arbitraries.integers().between(0, 1 << 16)).as(Edit::new);
        return Combinators.combine(Arbitraries.integers().between(9, 4000), Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(1, 185), Arbitraries.longs(), edit.list().ofMinSize(1).ofMaxSize(4)).as(Stream::new);
    }

    // ---- the host ---------------------------------------------------------------------------------

    private static ArticleHostTest host() {
        ArticleHostTest a = new ArticleHostTest();
        try {
            a.article_host();
        } catch (Exception e) {
            throw new IllegalStateException("the article's host does not build", e);
        }
        return a;
    }

    private static FilterPacket received(ByteBuf datagram) {
        return FilterPacket.received(datagram, "virbr0", MacAddress.parse("52:54:00:aa:bb:01"), MacAddress.parse("52:54:00:73:62:06"));
    }

    /** Feeds the stream to a queue set of the host's stack; the outcomes, each checked against the pattern. */
    private static List<DefragOutcome> feed(Reassembly r, byte[] original, int id, List<Piece> pieces, DefragUser user) {
        List<DefragOutcome> out = new ArrayList<>();
        for (Piece p : pieces) {
            DefragOutcome o = r.add(received(fragment(original, id, p)), null, user);
            out.add(o);
            if (o instanceof DefragOutcome.Whole w) assertFromThePattern(w.datagram().datagram(), original, id);
        }
        return out;
    }

    /** A rebuilt datagram: the first fragment's addresses, protocol and ID, offset 0, no MF, and the pattern's bytes. */
    private static void assertFromThePattern(ByteBuf whole, byte[] original, int id) {
        int total = whole.getUnsignedShort(2);
        assertThat(total).isEqualTo(whole.readableBytes());
        assertThat(whole.getUnsignedShort(4)).isEqualTo(id);
        assertThat(whole.getUnsignedShort(6) & 0x3fff).as("offset and MF cleared").isZero();
        assertThat(InternetChecksum.compute(whole, 0, HEADER)).as("header checksum").isZero();
        for (int k = 0; k < total - HEADER; k++) {
            if (whole.getByte(HEADER + k) != patternAt(original, k)) throw new AssertionError("byte " + k + " of the rebuilt payload differs");
        }
    }

    private static byte[] bytes(ByteBuf b) { return ByteBufUtil.getBytes(b, b.readerIndex(), b.readableBytes()); }

    @Property(tries = 120, seed = "61")
    void aStreamHoldingEachByteOnceComesOutWholeAndEqualToTheOriginal(@ForAll("clean") Stream s,
                                                                      @ForAll boolean bridged) {
        ArticleHostTest a = host();
        Reassembly r = new Reassembly(a.host);
        byte[] original = original(s.payloadLength(), s.id());
        List<DefragOutcome> outcomes = feed(r, original, s.id(), edited(s), bridged ? DefragUser.CONNTRACK_BRIDGE_IN : DefragUser.CONNTRACK_IN);
        DefragOutcome last = outcomes.get(outcomes.size() - 1);
        assertThat(last).isInstanceOf(DefragOutcome.Whole.class);
        assertThat(outcomes.subList(0, outcomes.size() - 1)).allMatch(o -> o instanceof DefragOutcome.Held);
        ByteBuf whole = ((DefragOutcome.Whole) last).datagram().datagram();
        assertThat(whole.readableBytes()).isEqualTo(HEADER + s.payloadLength());
        assertThat(r.memory()).isZero();
        assertThat(r.openQueues()).isZero();

        // cut again (ip_fragment on the way out, any MTU), the pieces gather into the very same datagram
        int mtu = 68 + Math.floorMod(s.id() * 13, 1500 - 68 + 1);
        List<ByteBuf> again = Fragmenter.fragment(whole.copy(), mtu);
        DefragOutcome o = DefragOutcome.HELD;
        for (ByteBuf f : again) {
            assertThat(f.readableBytes()).isLessThanOrEqualTo(mtu);
            o = r.add(received(f), null, DefragUser.CONNTRACK_OUT);
        }
        if (again.size() == 1) {
            assertThat(bytes(again.get(0))).isEqualTo(bytes(whole));
        } else {
            assertThat(o).isInstanceOf(DefragOutcome.Whole.class);
            ByteBuf rebuilt = ((DefragOutcome.Whole) o).datagram().datagram();
            assertThat(bytes(rebuilt.slice(HEADER, rebuilt.readableBytes() - HEADER))).isEqualTo(bytes(whole.slice(HEADER, whole.readableBytes() - HEADER)));
            assertThat(rebuilt.getUnsignedShort(2)).isEqualTo(whole.getUnsignedShort(2));
        }
        Statistics.collect(again.size() == 1 ? "fits the MTU" : "cut again");
    }

    @Property(tries = 150, seed = "62")
    void hostileStreamsOnlyQueueHoldOrDropAndLeakNothing(@ForAll("hostile") Stream s, @ForAll boolean bridged,
                                                         @ForAll @IntRange(min = 0, max = 3) int limit) {
        ArticleHostTest a = host();
        long high = new long[] {FragmentLimits.KERNEL_DEFAULT.highThresh(), 20_000, 5_000, 0}[limit];
        a.host.setFragmentLimits(FragmentLimits.KERNEL_DEFAULT.withThresholds(high, Math.max(0, high - 1000)));
        Reassembly r = new Reassembly(a.host);
        byte[] original = original(s.payloadLength(), s.id());
        List<Piece> pieces = edited(s);
        long failsBefore = a.host.counter(Mib.IP_REASM_FAILS);
        List<DefragOutcome> outcomes = feed(r, original, s.id(), pieces, bridged ? DefragUser.CONNTRACK_BRIDGE_IN : DefragUser.CONNTRACK_IN);
        long bound = high + Reassembly.QUEUE_SIZE + Reassembly.truesize(HEADER + 65535);
        assertThat(r.memory()).as("queue memory within ipfrag_high_thresh %d", high).isBetween(0L, bound);
        long dropped = outcomes.stream().filter(o -> o instanceof DefragOutcome.Dropped).count();
        assertThat(a.host.counter(Mib.IP_REASM_FAILS) - failsBefore).as("every drop counted").isGreaterThanOrEqualTo(dropped);
        a.net.lab.scheduler().runFor(SimTime.millis(FragmentLimits.KERNEL_DEFAULT.timeoutSeconds() * 1000L + 100));
        assertThat(r.openQueues()).as("queues left after ipfrag_time").isZero();
        assertThat(r.memory()).as("memory left after ipfrag_time").isZero();
        Statistics.collect(outcomes.stream().anyMatch(o -> o instanceof DefragOutcome.Whole) ? "whole" : dropped > 0 ? "dropped" : "held");
    }

    /**
     * The same hostile streams sent by the guest as frames onto virbr0, some with a total length that lies about the
     * frame (longer or shorter), to the host itself and through it to 8.8.8.8: the stack validates, defragments,
     * tracks, NATs — and never throws; the host's fragment memory stays bounded and is empty after ipfrag_time.
     */
    @Property(tries = 60, seed = "63")
    void hostileFramesIntoTheHostNeverThrowAndLeakNothing(@ForAll("hostile") Stream s, @ForAll boolean forwarded,
                                                         @ForAll @IntRange(min = -40, max = 40) int lie) throws Exception {
        ArticleHostTest a = host();
        PacketSocket raw = a.guest.openPacketSocket("eth0", f -> { });
        EthernetHeader eth = new EthernetHeader(MacAddress.parse("52:54:00:73:62:06"), MacAddress.parse("52:54:00:aa:bb:01"), EtherType.IPV4);
        byte[] original = original(s.payloadLength(), s.id());
        List<Piece> pieces = edited(s);
        for (int i = 0; i < pieces.size(); i++) {
            ByteBuf d = fragment(original, s.id(), pieces.get(i));
            if (forwarded) {
                d.setBytes(16, Net.ip("8.8.8.8").toBytes());
            }
            if (i == 0 && lie != 0) d.setShort(2, Math.max(0, d.getUnsignedShort(2) + lie));
            d.setShort(10, 0);
            d.setShort(10, InternetChecksum.compute(d, 0, HEADER));
            ByteBuf frame = Unpooled.buffer(14 + d.readableBytes());
            eth.emit(frame, 0);
            frame.writerIndex(14);
            frame.writeBytes(d);
            raw.send(frame);
            a.net.lab.scheduler().runFor(SimTime.millis(1));
            assertThat(a.host.fragmentMemory()).isBetween(0L, FragmentLimits.KERNEL_DEFAULT.highThresh() + 70_000);
        }
        a.net.lab.scheduler().runFor(SimTime.seconds(31));
        assertThat(a.host.fragmentMemory()).as("fragment memory after ipfrag_time").isZero();
    }
}
