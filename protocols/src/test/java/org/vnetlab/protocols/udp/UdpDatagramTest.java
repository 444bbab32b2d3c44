package org.vnetlab.protocols.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vnetlab.protocols.Captures.hex;
import static org.vnetlab.protocols.Captures.hexOf;
import static org.vnetlab.protocols.Captures.poisoned;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;

class UdpDatagramTest {
    static final Ipv4Address GUEST = Ipv4Address.parse("192.168.122.55");
    static final Ipv4Address GOOGLE_DNS = Ipv4Address.parse("8.8.8.8");
    /** guest-eth0.pcap #24, UDP part: dig's query 40002 -> 8.8.8.8:53, length 59, checksum 0xdf9c. */
    static final String DNS_QUERY = "9c42 0035 003b df9c"
            + "17250120000100000000000106676f6f676c6503636f6d000001000100002904d000000000000c000a000807885bd731dcdaba";

    @Test
    void deconstructsARealDatagram() throws ParseException {
        UdpDatagram d = UdpDatagram.checked(hex(DNS_QUERY));
        assertThat(d.sourcePort()).isEqualTo(40002);
        assertThat(d.destinationPort()).isEqualTo(53);
        assertThat(d.length()).isEqualTo(59);
        assertThat(d.checksum()).isEqualTo(0xdf9c);
        assertThat(d.payload().readableBytes()).isEqualTo(51);
        assertThat(d.verifyChecksum(GUEST, GOOGLE_DNS)).isTrue();
        assertThat(d.verifyChecksum(GUEST, Ipv4Address.parse("1.1.1.1"))).as("pseudo-header counts").isFalse();
    }

    @Test
    void constructsTheSameBytesWithTheChecksum() {
        byte[] payload = ByteBufUtil.decodeHexDump(DNS_QUERY.replace(" ", "").substring(16));
        UdpHeader h = new UdpHeader(40002, 53, payload.length);
        ByteBuf out = poisoned(8 + payload.length);
        out.setBytes(8, payload);
        h.emit(out, 0, GUEST, GOOGLE_DNS);
        assertThat(hexOf(out)).isEqualTo(DNS_QUERY.replace(" ", ""));
    }

    @Test
    void masqueradingThePortAndAddressKeepsTheChecksumRight() throws ParseException {
        // summary.md 09-udp_lowport: source port 700 was remapped to 48251 and the source to 192.168.0.10.
        ByteBuf buf = hex(DNS_QUERY);
        UdpDatagram d = UdpDatagram.checked(buf);
        d.setSourcePortWithChecksumUpdate(48251);
        d.updatePseudoHeaderAddress(GUEST, Ipv4Address.parse("192.168.0.10"));
        assertThat(d.verifyChecksum(Ipv4Address.parse("192.168.0.10"), GOOGLE_DNS)).isTrue();
        int incremental = d.checksum();
        d.fillChecksum(Ipv4Address.parse("192.168.0.10"), GOOGLE_DNS);
        assertThat(d.checksum()).isEqualTo(incremental);
    }

    @Test
    void aZeroChecksumMeansNoneAndIsLeftAlone() throws ParseException {
        ByteBuf buf = hex(DNS_QUERY.replace("df9c", "0000"));
        UdpDatagram d = UdpDatagram.checked(buf);
        assertThat(d.hasChecksum()).isFalse();
        assertThat(d.verifyChecksum(GUEST, GOOGLE_DNS)).isTrue();
        d.setSourcePortWithChecksumUpdate(1234);
        d.setDestinationPortWithChecksumUpdate(5353);
        d.updatePseudoHeaderAddress(GUEST, Ipv4Address.parse("192.168.0.10"));
        assertThat(d.checksum()).isZero();
    }

    @Test
    void aComputedZeroIsSentAsFfff() throws ParseException {
        // Payload chosen so that the one's-complement sum is 0xffff: the checksum would be 0, which means "none".
        ByteBuf buf = hex("0001 0002 000a 0000 0000");
        int sumWithoutPayload = org.vnetlab.protocols.checksum.InternetChecksum.computeWithPseudoHeader(buf, 0, 10, 0, 0, 17);
        buf.setShort(8, sumWithoutPayload);
        UdpDatagram d = UdpDatagram.checked(buf);
        d.fillChecksum(Ipv4Address.ANY, Ipv4Address.ANY);
        assertThat(d.checksum()).isEqualTo(0xffff);
        assertThat(d.verifyChecksum(Ipv4Address.ANY, Ipv4Address.ANY)).isTrue();
    }

    @Test
    void aRewriteLandingOnZeroIsSentAsFfffLikeLinuxNat() throws ParseException {
        // Checksum 0xffff (a computed 0) and a port "rewritten" to itself: RFC 1624 gives 0x0000, which on the
        // wire would mean "no checksum"; nf_nat_proto turns it into CSUM_MANGLED_0 (0xffff).
        ByteBuf buf = hex("0001 0002 000a 0000 0000");
        buf.setShort(8, org.vnetlab.protocols.checksum.InternetChecksum.computeWithPseudoHeader(buf, 0, 10, 0, 0, 17));
        UdpDatagram d = UdpDatagram.checked(buf);
        d.fillChecksum(Ipv4Address.ANY, Ipv4Address.ANY);
        assertThat(org.vnetlab.protocols.checksum.InternetChecksum.update16(0xffff, 1, 1)).isZero();
        d.setSourcePortWithChecksumUpdate(1);
        assertThat(d.checksum()).isEqualTo(0xffff);
        d.updatePseudoHeaderAddress(Ipv4Address.ANY, Ipv4Address.ANY);
        assertThat(d.checksum()).isEqualTo(0xffff);
    }

    @Test
    void theLengthFieldBoundsTheDatagram() throws ParseException {
        UdpDatagram d = UdpDatagram.checked(hex(DNS_QUERY + "000000"));
        assertThat(d.buffer().readableBytes()).isEqualTo(59);
        assertThatThrownBy(() -> UdpDatagram.checked(hex("9c42 0035 0007 df9c"))).isInstanceOf(ParseException.class)
                .hasMessageContaining("below the 8-byte header");
        assertThatThrownBy(() -> UdpDatagram.checked(hex("9c42 0035 003b df9c 1725"))).isInstanceOf(ParseException.class)
                .hasMessageContaining("truncated");
        UdpDatagram quoted = UdpDatagram.checkedTruncated(hex("9c42 0035 003b df9c 1725"));
        assertThat(quoted.isTruncated()).isTrue();
        assertThat(quoted.verifyChecksum(GUEST, GOOGLE_DNS)).isFalse();
        assertThat(UdpHeader.parse(quoted)).isEqualTo(new UdpHeader(40002, 53, 51));
    }
}
