package org.vnetlab.protocols.arp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vnetlab.protocols.Captures.hex;
import static org.vnetlab.protocols.Captures.hexOf;
import static org.vnetlab.protocols.Captures.poisoned;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;

class ArpPacketTest {
    static final MacAddress VIRBR0 = MacAddress.parse("52:54:00:73:62:06");
    static final MacAddress GUEST = MacAddress.parse("52:54:00:aa:bb:01");
    static final Ipv4Address GW = Ipv4Address.parse("192.168.122.1");
    static final Ipv4Address GUEST_IP = Ipv4Address.parse("192.168.122.55");

    /** guest-eth0.pcap #2, ARP part: dnsmasq's probe "who-has 192.168.122.55 tell 192.168.122.1". */
    static final String REQUEST = "0001 0800 06 04 0001 525400736206 c0a87a01 000000000000 c0a87a37";
    /** guest-eth0.pcap #14, ARP part: "192.168.122.1 is-at 52:54:00:73:62:06". */
    static final String REPLY = "0001 0800 06 04 0002 525400736206 c0a87a01 525400aabb01 c0a87a37";

    @Test
    void deconstructsARealRequest() throws ParseException {
        ArpPacket p = ArpPacket.checked(hex(REQUEST));
        assertThat(p.hardwareType()).isEqualTo(1);
        assertThat(p.protocolType()).isEqualTo(0x0800);
        assertThat(p.operation()).isEqualTo(ArpOperation.REQUEST);
        assertThat(p.senderMac()).isEqualTo(VIRBR0);
        assertThat(p.senderIp()).isEqualTo(GW);
        assertThat(p.targetMac()).isEqualTo(MacAddress.ZERO);
        assertThat(p.targetIp()).isEqualTo(GUEST_IP);
        assertThat(ArpMessage.parse(p)).isEqualTo(ArpMessage.request(VIRBR0, GW, GUEST_IP));
    }

    @Test
    void constructsTheRealReply() {
        ArpMessage reply = ArpMessage.reply(VIRBR0, GW, GUEST, GUEST_IP);
        ByteBuf out = poisoned(reply.length());
        reply.emit(out, 0);
        assertThat(hexOf(out)).isEqualTo(REPLY.replace(" ", ""));
    }

    @Test
    void settersWriteThrough() throws ParseException {
        ByteBuf buf = hex(REQUEST);
        ArpPacket p = ArpPacket.checked(buf);
        p.setOperation(ArpOperation.REPLY);
        p.setTargetMac(GUEST);
        assertThat(hexOf(buf)).isEqualTo("0001080006040002525400736206c0a87a01525400aabb01c0a87a37");
        p.setSenderMac(GUEST);
        p.setSenderIp(GUEST_IP);
        p.setTargetIp(GW);
        assertThat(ArpMessage.parse(p)).isEqualTo(ArpMessage.reply(GUEST, GUEST_IP, GUEST, GW));
    }

    @Test
    void gratuitousArpAnnouncesItsOwnAddress() {
        ArpMessage g = ArpMessage.gratuitous(GUEST, GUEST_IP);
        assertThat(g.isGratuitous()).isTrue();
        assertThat(g.operation()).isEqualTo(ArpOperation.REQUEST);
        assertThat(g.targetMac()).isEqualTo(MacAddress.ZERO);
        assertThat(ArpMessage.request(VIRBR0, GW, GUEST_IP).isGratuitous()).isFalse();
    }

    @Test
    void paddingAfterThe28BytesIsIgnored() throws ParseException {
        ArpPacket p = ArpPacket.checked(hex(REPLY + "000000000000000000000000000000000000"));
        assertThat(p.buffer().readableBytes()).isEqualTo(28);
    }

    @Test
    void onlyEthernetIpv4ArpIsSupported() {
        assertThatThrownBy(() -> ArpPacket.checked(hex("0006 0800 06 04 0001" + "00".repeat(20))))
                .isInstanceOf(ParseException.class).hasMessageContaining("hardware type").hasMessageContaining("unsupported");
        assertThatThrownBy(() -> ArpPacket.checked(hex("0001 86dd 06 10 0001" + "00".repeat(44))))
                .isInstanceOf(ParseException.class).hasMessageContaining("protocol type");
        assertThatThrownBy(() -> ArpPacket.checked(hex("0001 0800 08 04 0001" + "00".repeat(24))))
                .isInstanceOf(ParseException.class).hasMessageContaining("hardware length");
        assertThatThrownBy(() -> ArpPacket.checked(hex("0001 0800 06 04 0001 525400736206 c0a87a01 0000")))
                .isInstanceOf(ParseException.class).hasMessageContaining("truncated");
    }

    @Test
    void unknownOpcodesAreKept() throws ParseException {
        ArpPacket p = ArpPacket.checked(hex(REQUEST.replace("0001 5254", "0008 5254")));
        assertThat(p.operation().value()).isEqualTo(8);
        assertThat(p.operation()).isEqualTo(ArpOperation.of(8));
    }
}
