package org.vnetlab.protocols.ipv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vnetlab.protocols.Captures.hex;
import static org.vnetlab.protocols.Captures.hexOf;
import static org.vnetlab.protocols.Captures.poisoned;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;

class Ipv4PacketTest {
    /** guest-eth0.pcap #17, IPv4 header: the guest pings 192.168.0.1 (TTL 64, id 9620, DF, checksum 0x198c). */
    static final String ECHO_HEADER = "4500 0054 2594 4000 4001 198c c0a87a37 c0a80001";
    /** host-enp3s0.pcap #3, the same datagram forwarded and masqueraded: TTL 63, source 192.168.0.10. */
    static final String FORWARDED_HEADER = "4500 0054 2594 4000 3f01 94b9 c0a8000a c0a80001";
    static final String ECHO_PAYLOAD = "080000901002000120cb076b00000000fb63050000000000101112131415161718191a1b1c1d1e1f"
            + "202122232425262728292a2b2c2d2e2f3031323334353637";

    @Test
    void deconstructsARealHeader() throws ParseException {
        Ipv4Packet p = Ipv4Packet.checked(hex(ECHO_HEADER + ECHO_PAYLOAD));
        assertThat(p.version()).isEqualTo(4);
        assertThat(p.headerLength()).isEqualTo(20);
        assertThat(p.tos()).isZero();
        assertThat(p.totalLength()).isEqualTo(84);
        assertThat(p.identification()).isEqualTo(9620);
        assertThat(p.dontFragment()).isTrue();
        assertThat(p.moreFragments()).isFalse();
        assertThat(p.fragmentOffset()).isZero();
        assertThat(p.isFragment()).isFalse();
        assertThat(p.ttl()).isEqualTo(64);
        assertThat(p.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(p.headerChecksum()).isEqualTo(0x198c);
        assertThat(p.source()).isEqualTo(Ipv4Address.parse("192.168.122.55"));
        assertThat(p.destination()).isEqualTo(Ipv4Address.parse("192.168.0.1"));
        assertThat(p.options().readableBytes()).isZero();
        assertThat(p.payload().readableBytes()).isEqualTo(64);
        assertThat(p.verifyChecksum()).isTrue();
    }

    @Test
    void constructsTheSameHeaderWithItsChecksum() {
        Ipv4Header h = Ipv4Header.of(Ipv4Address.parse("192.168.122.55"), Ipv4Address.parse("192.168.0.1"), IpProtocol.ICMP, 64, 9620, true, 64);
        ByteBuf out = poisoned(h.length());
        h.emit(out, 0);
        assertThat(hexOf(out)).isEqualTo(ECHO_HEADER.replace(" ", ""));
    }

    @Test
    void forwardingAndMasqueradeGiveTheKernelsBytes() throws ParseException {
        ByteBuf buf = hex(ECHO_HEADER + ECHO_PAYLOAD);
        Ipv4Packet p = Ipv4Packet.checked(buf);
        assertThat(p.decrementTtlWithChecksumUpdate()).isEqualTo(63);
        p.setSourceWithChecksumUpdate(Ipv4Address.parse("192.168.0.10"));
        assertThat(hexOf(buf).substring(0, 40)).isEqualTo(FORWARDED_HEADER.replace(" ", ""));
        p.setDestinationWithChecksumUpdate(Ipv4Address.parse("8.8.8.8"));
        assertThat(p.verifyChecksum()).isTrue();
    }

    @Test
    void ethernetPaddingDoesNotLeakIntoThePayload() throws ParseException {
        // host-enp3s0 #40's datagram (a 40-byte RST) as a NIC would pad it to a 60-byte frame: 6 zero bytes.
        String rst = "45000028000040003f06eb228efa0101c0a8000a00519c45000000008c40cab7501400006b940000";
        Ipv4Packet p = Ipv4Packet.checked(hex(rst + "000000000000"));
        assertThat(p.totalLength()).isEqualTo(40);
        assertThat(p.payload().readableBytes()).isEqualTo(20);
        assertThat(p.buffer().readableBytes()).isEqualTo(40);
    }

    @Test
    void fragmentOffsetIsInBytes() throws ParseException {
        Ipv4Header frag = new Ipv4Header(0, 7, false, true, 1480, 64, IpProtocol.UDP, Ipv4Address.parse("10.0.0.1"),
                Ipv4Address.parse("10.0.0.2"), new byte[0], 8);
        ByteBuf out = poisoned(frag.totalLength());
        frag.emit(out, 0);
        assertThat(out.getUnsignedShort(6)).as("MF | 1480/8").isEqualTo(0x2000 | 185);
        Ipv4Packet p = Ipv4Packet.checked(out);
        assertThat(p.fragmentOffset()).isEqualTo(1480);
        assertThat(p.moreFragments()).isTrue();
        assertThat(p.isFragment()).isTrue();
        assertThat(Ipv4Header.parse(p)).isEqualTo(frag);
    }

    @Test
    void optionsAreKeptAndWalked() throws ParseException {
        // Router alert (RFC 2113) as IGMP carries it: 94 04 0000.
        Ipv4Header h = new Ipv4Header(0xc0, 0, true, false, 0, 1, IpProtocol.IGMP, Ipv4Address.parse("192.168.122.55"),
                Ipv4Address.parse("224.0.0.22"), new byte[] {(byte) 0x94, 4, 0, 0}, 8);
        ByteBuf out = poisoned(h.totalLength());
        h.emit(out, 0);
        Ipv4Packet p = Ipv4Packet.checked(out);
        assertThat(p.headerLength()).isEqualTo(24);
        assertThat(hexOf(p.options())).isEqualTo("94040000");
        assertThat(p.verifyChecksum()).isTrue();
        assertThat(Ipv4Header.parse(p)).isEqualTo(h);
    }

    @Test
    void malformedHeadersNameTheirField() {
        assertThatThrownBy(() -> Ipv4Packet.checked(hex("6500 0054 2594 4000 4001 198c c0a87a37 c0a80001")))
                .isInstanceOf(ParseException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> Ipv4Packet.checked(hex("4400 0054 2594 4000 4001 198c c0a87a37 c0a80001")))
                .isInstanceOf(ParseException.class).hasMessageContaining("IHL");
        assertThatThrownBy(() -> Ipv4Packet.checked(hex("4500 0010 2594 4000 4001 198c c0a87a37 c0a80001")))
                .isInstanceOf(ParseException.class).hasMessageContaining("total length");
        assertThatThrownBy(() -> Ipv4Packet.checked(hex(ECHO_HEADER)))
                .isInstanceOf(ParseException.class).hasMessageContaining("datagram").hasMessageContaining("truncated");
        // IHL 6 with an option of length 8: runs past the header's end.
        assertThatThrownBy(() -> Ipv4Packet.checked(hex("4600 0018 2594 4000 4001 198c c0a87a37 c0a80001 0708 0000")))
                .isInstanceOf(ParseException.class).hasMessageContaining("option length")
                .satisfies(e -> assertThat(((ParseException) e).offset()).isEqualTo(21));
        assertThatThrownBy(() -> Ipv4Packet.checked(hex("4600 0018 2594 4000 4001 198c c0a87a37 c0a80001 0101 0107")))
                .isInstanceOf(ParseException.class);
    }

    @Test
    void aTruncatedQuoteIsAcceptedOnlyWhenAskedFor() throws ParseException {
        Ipv4Packet q = Ipv4Packet.checkedTruncated(hex(ECHO_HEADER + "0800009010020001"));
        assertThat(q.isTruncated()).isTrue();
        assertThat(q.totalLength()).isEqualTo(84);
        assertThat(q.payload().readableBytes()).isEqualTo(8);
    }

    @Test
    void protocolNamesAreThoseOfEtcProtocols() {
        assertThat(IpProtocol.of(6)).isSameAs(IpProtocol.TCP).hasToString("tcp");
        assertThat(IpProtocol.byName("UDP")).contains(IpProtocol.UDP);
        assertThat(IpProtocol.byName("ipv6-icmp")).contains(IpProtocol.of(58));
        assertThat(IpProtocol.byName("icmpv6")).contains(IpProtocol.IPV6_ICMP);
        assertThat(IpProtocol.byName("sctp").map(IpProtocol::value)).contains(132);
        assertThat(IpProtocol.byName("bogus")).isEmpty();
        assertThat(IpProtocol.of(253)).hasToString("253").isEqualTo(IpProtocol.of(253));
    }
}
