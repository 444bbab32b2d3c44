package org.vnetlab.protocols.ethernet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vnetlab.protocols.Captures.hex;
import static org.vnetlab.protocols.Captures.hexOf;
import static org.vnetlab.protocols.Captures.poisoned;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;

class EthernetFrameTest {

    /** guest-eth0.pcap #14: virbr0 answers the guest's ARP (an untagged Ethernet II frame, 42 bytes, no padding). */
    static final String ARP_REPLY = "525400aabb01 525400736206 0806"
            + "0001080006040002525400736206c0a87a01525400aabb01c0a87a37";
    /** guest-eth0.pcap #3: a config BPDU out of vnet0, 802.3 framing: length 38, LLC 42 42 03. */
    static final String STP_BPDU = "0180c2000000 fe5400aabb01 0026"
            + "4242030000000001800052540073620600000000800052540073620680010000140002000200";

    @Test
    void deconstructsAnEthernetIIFrame() throws ParseException {
        EthernetFrame f = EthernetFrame.checked(hex(ARP_REPLY));
        assertThat(f.destination()).isEqualTo(MacAddress.parse("52:54:00:aa:bb:01"));
        assertThat(f.source()).isEqualTo(MacAddress.parse("52:54:00:73:62:06"));
        assertThat(f.etherType()).isEqualTo(EtherType.ARP);
        assertThat(f.vlanId()).isEqualTo(-1);
        assertThat(f.headerLength()).isEqualTo(14);
        assertThat(f.payload().readableBytes()).isEqualTo(28);
    }

    @Test
    void constructsTheSameBytesFromTheHeader() throws ParseException {
        EthernetHeader h = new EthernetHeader(MacAddress.parse("52:54:00:aa:bb:01"), MacAddress.parse("52:54:00:73:62:06"), EtherType.ARP);
        ByteBuf out = poisoned(h.length());
        h.emit(out, 0);
        assertThat(hexOf(out)).isEqualTo(ARP_REPLY.replace(" ", "").substring(0, 28));
        assertThat(EthernetHeader.parse(EthernetFrame.checked(hex(ARP_REPLY)))).isEqualTo(h);
    }

    @Test
    void settersWriteThroughToTheFrame() throws ParseException {
        ByteBuf buf = hex(ARP_REPLY);
        EthernetFrame f = EthernetFrame.checked(buf);
        f.setDestination(MacAddress.BROADCAST);
        f.setSource(MacAddress.parse("00:d8:61:0a:0b:10"));
        f.setEtherType(EtherType.IPV4);
        assertThat(hexOf(buf).substring(0, 28)).isEqualTo("ffffffffffff00d8610a0b100800");
    }

    @Test
    void anIeee8023LengthIsNotAnEtherType() throws ParseException {
        EthernetFrame f = EthernetFrame.checked(hex(STP_BPDU));
        assertThat(f.etherType().isLength()).isTrue();
        assertThat(f.etherType().value()).isEqualTo(38);
        assertThat(f.etherType().toString()).isEqualTo("802.3 length 38");
        assertThat(f.payload().readableBytes()).isEqualTo(38);
        assertThat(f.payload().getUnsignedShort(0)).as("LLC DSAP/SSAP of STP").isEqualTo(0x4242);
    }

    @Test
    void an8023PayloadStopsAtItsLengthAndPaddingIsLeftOut() throws ParseException {
        ByteBuf padded = hex(STP_BPDU + "00000000000000000000");
        EthernetFrame f = EthernetFrame.checked(padded);
        assertThat(f.length()).isEqualTo(62);
        assertThat(f.payload().readableBytes()).isEqualTo(38);
    }

    @Test
    void an8023LengthLongerThanTheFrameIsRefused() {
        assertThatThrownBy(() -> EthernetFrame.checked(hex("0180c2000000fe5400aabb010040" + "4242030000")))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("802.3 length")
                .satisfies(e -> assertThat(((ParseException) e).offset()).isEqualTo(12));
    }

    @Test
    void oneVlanTagIsSkipped() throws ParseException {
        EthernetHeader tagged = new EthernetHeader(MacAddress.BROADCAST, MacAddress.parse("52:54:00:aa:bb:01"), EtherType.ARP, 0x6000 | 122);
        ByteBuf out = poisoned(tagged.length() + 28);
        tagged.emit(out, 0);
        assertThat(hexOf(out).substring(0, 36)).isEqualTo("ffffffffffff525400aabb018100607a0806");
        EthernetFrame f = EthernetFrame.checked(out);
        assertThat(f.headerLength()).isEqualTo(18);
        assertThat(f.vlanId()).isEqualTo(122);
        assertThat(f.vlanTci()).isEqualTo(0x607a);
        assertThat(f.etherType()).isEqualTo(EtherType.ARP);
        assertThat(f.payload().readableBytes()).isEqualTo(28);
        assertThat(EthernetHeader.parse(f)).isEqualTo(tagged);
        f.setVlanId(7);
        assertThat(f.vlanTci()).as("PCP kept").isEqualTo(0x6007);
    }

    @Test
    void truncatedHeadersAreParseErrors() {
        assertThatThrownBy(() -> EthernetFrame.checked(hex("ffffffffffff525400aabb0108")))
                .isInstanceOf(ParseException.class).hasMessageContaining("ethernet: header at offset 0: truncated");
        assertThatThrownBy(() -> EthernetFrame.checked(hex("ffffffffffff525400aabb018100607a")))
                .isInstanceOf(ParseException.class).hasMessageContaining("802.1Q tag");
    }

    @Test
    void etherTypeIsAnOpenEnum() {
        assertThat(EtherType.of(0x0800)).isSameAs(EtherType.IPV4).hasToString("IPv4");
        assertThat(EtherType.of(0x86dd)).isSameAs(EtherType.IPV6).hasToString("IPv6");
        assertThat(EtherType.of(0x88b5)).hasToString("0x88b5").isEqualTo(EtherType.of(0x88b5));
        assertThat(EtherType.of(0x88b5).isLength()).isFalse();
        assertThat(EtherType.of(0x05ff).isLength()).isTrue();
        assertThat(EtherType.of(0x0600).isLength()).isFalse();
    }
}
