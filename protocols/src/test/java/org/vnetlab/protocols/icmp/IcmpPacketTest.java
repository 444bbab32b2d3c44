package org.vnetlab.protocols.icmp;

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
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

class IcmpPacketTest {
    /** guest-eth0.pcap #17, ICMP part: echo request id 4098 seq 1, 56 bytes of ping's data, checksum 0x0090. */
    static final String ECHO = "0800 0090 1002 0001"
            + "20cb076b00000000fb63050000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    /** guest-eth0.pcap #58, ICMP part: 192.168.122.1 says TTL exceeded, quoting the whole 84-byte echo (TTL 1). */
    static final String TIME_EXCEEDED = "0b00 f4ff 00000000"
            + "4500005449ff40000101e4bac0a87a3708080808"
            + "08001edb1004000123cb076b00000000d816070000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    @Test
    void deconstructsARealEchoRequest() throws ParseException {
        IcmpPacket p = IcmpPacket.checked(hex(ECHO));
        assertThat(p.type()).isEqualTo(IcmpType.ECHO_REQUEST);
        assertThat(p.code()).isZero();
        assertThat(p.checksum()).isEqualTo(0x0090);
        assertThat(p.identifier()).isEqualTo(4098);
        assertThat(p.sequence()).isEqualTo(1);
        assertThat(p.data().readableBytes()).isEqualTo(56);
        assertThat(p.isEcho()).isTrue();
        assertThat(p.isError()).isFalse();
        assertThat(p.verifyChecksum()).isTrue();
        IcmpMessage m = IcmpMessage.parse(p);
        assertThat(m).isInstanceOf(IcmpMessage.Echo.class);
        IcmpMessage.Echo echo = (IcmpMessage.Echo) m;
        assertThat(echo.request()).isTrue();
        assertThat(echo.identifier()).isEqualTo(4098);
        assertThat(echo.sequence()).isEqualTo(1);
    }

    @Test
    void constructsTheSameEchoWithItsChecksum() {
        byte[] data = ByteBufUtil.decodeHexDump(ECHO.replace(" ", "").substring(16));
        IcmpMessage echo = new IcmpMessage.Echo(true, 4098, 1, data);
        ByteBuf out = poisoned(echo.length());
        echo.emit(out, 0);
        assertThat(hexOf(out)).isEqualTo(ECHO.replace(" ", ""));
    }

    @Test
    void deconstructsARealTimeExceededAndItsQuote() throws ParseException {
        IcmpPacket p = IcmpPacket.checked(hex(TIME_EXCEEDED));
        assertThat(p.type()).isEqualTo(IcmpType.TIME_EXCEEDED);
        assertThat(p.code()).isEqualTo(IcmpCode.TTL_EXCEEDED);
        assertThat(p.isError()).isTrue();
        assertThat(p.verifyChecksum()).isTrue();
        Ipv4Packet quoted = p.quoted();
        assertThat(quoted.ttl()).isEqualTo(1);
        assertThat(quoted.identification()).isEqualTo(0x49ff);
        assertThat(quoted.destination()).isEqualTo(Ipv4Address.parse("8.8.8.8"));
        assertThat(quoted.protocol()).isEqualTo(IpProtocol.ICMP);
        assertThat(quoted.isTruncated()).isFalse();
        IcmpPacket inner = IcmpPacket.checked(quoted.payload());
        assertThat(inner.identifier()).isEqualTo(0x1004);
        assertThat(IcmpMessage.parse(p)).isInstanceOf(IcmpMessage.TimeExceeded.class);
    }

    @Test
    void anEchoIdentifierRewriteKeepsTheChecksumRight() throws ParseException {
        ByteBuf buf = hex(ECHO);
        IcmpPacket p = IcmpPacket.checked(buf);
        p.setIdentifierWithChecksumUpdate(0xbeef);
        assertThat(p.identifier()).isEqualTo(0xbeef);
        assertThat(p.verifyChecksum()).isTrue();
        int incremental = p.checksum();
        p.fillChecksum();
        assertThat(p.checksum()).isEqualTo(incremental);
    }

    @Test
    void nonCanonicalMessagesStayOtherSoTheyReEmitAsTheyCame() throws ParseException {
        // Port unreachable with a non-zero unused field (an RFC 4884 length): kept whole as Other.
        ByteBuf buf = hex("0303 0000 00110000 4500001c000000004011000001020304050607080000000000080000");
        IcmpPacket p = IcmpPacket.checked(buf);
        p.fillChecksum();
        IcmpMessage m = IcmpMessage.parse(p);
        assertThat(m).isInstanceOf(IcmpMessage.Other.class);
        ByteBuf out = poisoned(m.length());
        m.emit(out, 0);
        assertThat(hexOf(out)).isEqualTo(hexOf(p.buffer()));
    }

    @Test
    void fragmentationNeededCarriesTheNextHopMtu() throws ParseException {
        IcmpMessage m = new IcmpMessage.DestinationUnreachable(IcmpCode.FRAGMENTATION_NEEDED, 1400, new byte[28]);
        ByteBuf out = poisoned(m.length());
        m.emit(out, 0);
        IcmpPacket p = IcmpPacket.checked(out);
        assertThat(p.nextHopMtu()).isEqualTo(1400);
        assertThat(p.restOfHeader()).isEqualTo(1400);
        assertThat(IcmpMessage.parse(p)).isEqualTo(m);
        assertThatThrownBy(() -> new IcmpMessage.DestinationUnreachable(IcmpCode.PORT_UNREACHABLE, 1400, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shortMessagesAndQuotesOfNonErrorsAreParseErrors() throws ParseException {
        assertThatThrownBy(() -> IcmpPacket.checked(hex("0800 0090 1002"))).isInstanceOf(ParseException.class)
                .hasMessageContaining("icmp: header");
        assertThatThrownBy(() -> IcmpPacket.checked(hex(ECHO)).quoted()).isInstanceOf(ParseException.class)
                .hasMessageContaining("quotes no datagram");
        assertThatThrownBy(() -> IcmpPacket.checked(hex("0b00 0000 00000000 4500")).quoted()).isInstanceOf(ParseException.class)
                .hasMessageContaining("ipv4");
    }
}
