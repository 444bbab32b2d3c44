package org.vnetlab.protocols.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vnetlab.protocols.Captures.hex;
import static org.vnetlab.protocols.Captures.hexOf;
import static org.vnetlab.protocols.Captures.poisoned;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;

class TcpSegmentTest {
    static final Ipv4Address GUEST = Ipv4Address.parse("192.168.122.55");
    static final Ipv4Address WEB = Ipv4Address.parse("142.250.1.1");
    /** guest-eth0.pcap #26, TCP part: curl's SYN 40003 -> 80, "mss 1460,sackOK,TS val 1061223623 ecr 0,nop,wscale 10". */
    static final String SYN = "9c43 0050 a9c5272e 00000000 a002 faf0 d8a1 0000"
            + "020405b4 0402 080a3f40fcc700000000 01 03030a";
    static final List<TcpOption> LINUX_SYN_OPTIONS = List.of(new TcpOption.Mss(1460), new TcpOption.SackPermitted(),
            new TcpOption.Timestamps(1061223623L, 0), new TcpOption.NoOp(), new TcpOption.WindowScale(10));

    @Test
    void deconstructsARealSyn() throws ParseException {
        TcpSegment s = TcpSegment.checked(hex(SYN));
        assertThat(s.sourcePort()).isEqualTo(40003);
        assertThat(s.destinationPort()).isEqualTo(80);
        assertThat(s.sequence()).isEqualTo(2848270126L);
        assertThat(s.acknowledgment()).isZero();
        assertThat(s.dataOffset()).isEqualTo(10);
        assertThat(s.flags()).isEqualTo(TcpFlags.SYN);
        assertThat(TcpFlags.toString(s.flags())).isEqualTo("S");
        assertThat(s.window()).isEqualTo(64240);
        assertThat(s.checksum()).isEqualTo(0xd8a1);
        assertThat(s.urgentPointer()).isZero();
        assertThat(s.optionList()).isEqualTo(LINUX_SYN_OPTIONS);
        assertThat(s.payload().readableBytes()).isZero();
        assertThat(s.verifyChecksum(GUEST, WEB)).isTrue();
    }

    @Test
    void constructsTheSameSyn() {
        TcpHeader h = new TcpHeader(40003, 80, 2848270126L, 0, TcpFlags.SYN, 64240, 0, LINUX_SYN_OPTIONS);
        ByteBuf out = poisoned(h.length());
        h.emit(out, 0, 0, GUEST, WEB);
        assertThat(hexOf(out)).isEqualTo(SYN.replace(" ", ""));
    }

    @Test
    void masqueradeGivesTheKernelsChecksum() throws ParseException {
        // host-enp3s0.pcap #11: the same SYN leaving as 192.168.0.10:40003, checksum 0x52cf.
        ByteBuf buf = hex(SYN);
        TcpSegment s = TcpSegment.checked(buf);
        s.updatePseudoHeaderAddress(GUEST, Ipv4Address.parse("192.168.0.10"));
        assertThat(s.checksum()).isEqualTo(0x52cf);
        s.setSourcePortWithChecksumUpdate(53878);
        s.setDestinationPortWithChecksumUpdate(8080);
        assertThat(s.verifyChecksum(Ipv4Address.parse("192.168.0.10"), WEB)).isTrue();
    }

    @Test
    void flagsSpellLikeScapy() {
        assertThat(TcpFlags.toString(TcpFlags.SYN | TcpFlags.ACK)).isEqualTo("SA");
        assertThat(TcpFlags.toString(TcpFlags.PSH | TcpFlags.ACK)).isEqualTo("PA");
        assertThat(TcpFlags.toString(TcpFlags.FIN | TcpFlags.ACK)).isEqualTo("FA");
        assertThat(TcpFlags.toString(TcpFlags.RST | TcpFlags.ACK)).isEqualTo("RA");
        assertThat(TcpFlags.toString(TcpFlags.SYN | TcpFlags.ECE | TcpFlags.CWR)).isEqualTo("SEC");
        assertThat(TcpFlags.toString(0)).isEmpty();
    }

    @Test
    void optionsArePaddedWithNops() throws ParseException {
        TcpHeader h = new TcpHeader(1, 2, 3, 4, TcpFlags.SYN, 5, 0, List.of(new TcpOption.Mss(1460), new TcpOption.WindowScale(7)));
        assertThat(h.length()).isEqualTo(28);
        ByteBuf out = poisoned(28);
        h.emit(out, 0);
        assertThat(hexOf(out).substring(40)).isEqualTo("020405b403030701");
        TcpHeader withEnd = new TcpHeader(1, 2, 3, 4, TcpFlags.SYN, 5, 0, List.of(new TcpOption.Mss(1460), new TcpOption.EndOfList()));
        ByteBuf out2 = poisoned(withEnd.length());
        withEnd.emit(out2, 0);
        assertThat(hexOf(out2).substring(40)).as("zeros after End of List").isEqualTo("020405b400000000");
        assertThat(TcpSegment.checked(out2).optionList()).isEqualTo(withEnd.options());
    }

    @Test
    void knownKindsWithAnOddLengthAreKeptAsBytes() throws ParseException {
        // An MSS option of length 3 is not an MSS (Linux ignores it); it must survive re-emit untouched.
        ByteBuf buf = hex("0001 0002 00000003 00000004 6002 0005 0000 0000 020305 01");
        TcpSegment s = TcpSegment.checked(buf);
        assertThat(s.optionList()).containsExactly(new TcpOption.Unknown(2, new byte[] {5}), new TcpOption.NoOp());
    }

    @Test
    void optionLengthsAreValidated() {
        assertThatThrownBy(() -> TcpSegment.checked(hex("0001 0002 00000003 00000004 7002 0005 0000 0000 0204 05b4 0101 080a")))
                .isInstanceOf(ParseException.class).hasMessageContaining("runs past the end");
        assertThatThrownBy(() -> TcpSegment.checked(hex("0001 0002 00000003 00000004 6002 0005 0000 0000 0200 0000")))
                .isInstanceOf(ParseException.class).hasMessageContaining("below 2");
        assertThatThrownBy(() -> TcpSegment.checked(hex("0001 0002 00000003 00000004 6002 0005 0000 0000 0101 0108")))
                .isInstanceOf(ParseException.class).hasMessageContaining("no length byte");
        assertThatThrownBy(() -> TcpSegment.checked(hex("0001 0002 00000003 00000004 4002 0005 0000 0000")))
                .isInstanceOf(ParseException.class).hasMessageContaining("data offset");
        assertThatThrownBy(() -> TcpSegment.checked(hex("0001 0002 00000003 00000004 6002 0005 0000 0000")))
                .isInstanceOf(ParseException.class).hasMessageContaining("truncated");
    }
}
