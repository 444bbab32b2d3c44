package org.vnetlab.protocols;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpErrors;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/**
 * Malformed input only ever raises ParseException: random bytes behind valid-looking headers, random
 * corruptions and every truncation of valid and real frames. The Dissector touches every accessor, so a
 * checked view reading outside its bounds would surface as an IndexOutOfBoundsException here.
 */
class MalformedInputProperties {
    /** Ethernet / IPv4 prefixes for each protocol, so random bytes reach the deeper decoders. */
    private static final List<String> PREFIXES = List.of(
            "",
            "ffffffffffff525400aabb010800",
            "ffffffffffff525400aabb010806",
            "ffffffffffff525400aabb018100007b0800",
            "ffffffffffff525400aabb0100",
            "ffffffffffff525400aabb010800" + "4500",
            "ffffffffffff525400aabb010800" + "46",
            "ffffffffffff525400aabb010800" + "4500ffff00000000400100000a0000010a000002",
            "ffffffffffff525400aabb010800" + "4500ffff00000000401100000a0000010a000002",
            "ffffffffffff525400aabb010800" + "4500ffff00000000400600000a0000010a000002",
            "ffffffffffff525400aabb010800" + "4500ffff00000000400600000a0000010a000002" + "00010002000000030000000480",
            "ffffffffffff525400aabb010800" + "4500ffff00000000400100000a0000010a000002" + "0303000000000000",
            "ffffffffffff525400aabb010800" + "4500ffff00000000400100000a0000010a000002" + "0b00000000000000" + "4500ffff00000000400600000a0000010a000002",
            "ffffffffffff525400aabb010800" + "4500ffff00000000400100000a0000010a000002" + "0b00000000000000" + "4500ffff00000000401100000a0000010a000002");

    private static void onlyParseExceptions(ByteBuf bytes) {
        try {
            Dissector.dissect(bytes);
        } catch (ParseException expected) {
            assertThat(expected.layer()).isNotBlank();
            assertThat(expected.offset()).isGreaterThanOrEqualTo(0);
        }
    }

    @Property(tries = 3000)
    void randomBytesBehindValidLookingHeaders(@ForAll("prefixes") String prefix, @ForAll @Size(max = 120) byte[] tail,
                                              @ForAll @IntRange(min = 0, max = 0xffff) int totalLength) {
        byte[] head = ByteBufUtil.decodeHexDump(prefix);
        ByteBuf buf = Unpooled.buffer(head.length + tail.length);
        buf.writeBytes(head).writeBytes(tail);
        // Vary the IPv4 total length too when the prefix has one, so the bounds are hit from both sides.
        if (head.length >= 18 && buf.getUnsignedShort(12) == 0x0800 && buf.writerIndex() >= 18) buf.setShort(16, totalLength);
        onlyParseExceptions(buf);
    }

    @Property(tries = 3000)
    void randomCorruptionsOfValidFrames(@ForAll("frames") byte[] frame, @ForAll @IntRange(min = 0, max = 200) int at,
                                        @ForAll byte value, @ForAll @IntRange(min = 0, max = 200) int cut) {
        byte[] b = frame.clone();
        b[at % b.length] = value;
        onlyParseExceptions(Unpooled.wrappedBuffer(b, 0, Math.max(0, b.length - cut % (b.length + 1))));
    }

    @Property(tries = 300)
    void everyTruncationOfAValidFrame(@ForAll("frames") byte[] frame) {
        for (int n = 0; n <= frame.length; n++) onlyParseExceptions(Unpooled.wrappedBuffer(frame, 0, n));
    }

    @Test
    void everyTruncationOfEveryRealFrame() {
        for (Captures.Frame f : Captures.all()) {
            byte[] b = f.bytes();
            for (int n = 0; n <= b.length; n++) onlyParseExceptions(Unpooled.wrappedBuffer(b, 0, n));
        }
    }

    @Provide
    Arbitrary<String> prefixes() { return Arbitraries.of(PREFIXES); }

    @Provide
    Arbitrary<byte[]> frames() {
        EthernetHeader eth = new EthernetHeader(MacAddress.BROADCAST, MacAddress.parse("52:54:00:aa:bb:01"), EtherType.IPV4);
        Arbitrary<byte[]> tcp = net.jqwik.api.Combinators.combine(Generators.ipv4Headers(), Generators.tcpHeaders())
                .as((ip, t) -> bytes(Frames.ethernetIpv4(eth, ip.withFragment(false, 0), t, new byte[] {1, 2, 3})));
        Arbitrary<byte[]> udp = net.jqwik.api.Combinators.combine(Generators.ipv4Headers(), Generators.udpHeaders())
                .as((ip, u) -> bytes(Frames.ethernetIpv4(eth, ip.withFragment(false, 0), u, new byte[5])));
        Arbitrary<byte[]> icmp = net.jqwik.api.Combinators.combine(Generators.ipv4Headers(), Generators.icmpMessages())
                .as((ip, m) -> bytes(Frames.ethernetIpv4(eth, ip.withFragment(false, 0), m)));
        Arbitrary<byte[]> error = net.jqwik.api.Combinators.combine(Generators.ipv4Headers(), Generators.tcpHeaders())
                .as((ip, t) -> {
                    ByteBuf inner = Frames.ethernetIpv4(eth, ip.withFragment(false, 0), t, new byte[0]);
                    try {
                        Ipv4Packet original = Ipv4Packet.checked(inner.slice(14, inner.readableBytes() - 14));
                        IcmpMessage m = IcmpErrors.destinationUnreachable(3, original, 576);
                        return bytes(Frames.ethernetIpv4(eth, IcmpErrors.header(Ipv4Address.parse("10.0.0.1"), original, 1, 64, m), m));
                    } catch (ParseException e) {
                        throw new AssertionError(e);
                    }
                });
        Arbitrary<byte[]> arp = Generators.arpMessages().map(a -> bytes(Frames.arp(eth, a)));
        return Arbitraries.oneOf(tcp, udp, icmp, error, arp);
    }

    private static byte[] bytes(ByteBuf b) { return ByteBufUtil.getBytes(b); }

}
