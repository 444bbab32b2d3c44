package org.vnetlab.protocols;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.vnetlab.protocols.arp.ArpMessage;
import org.vnetlab.protocols.arp.ArpPacket;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.ethernet.EthernetFrame;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.icmp.IcmpPacket;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.tcp.TcpSegment;
import org.vnetlab.protocols.udp.UdpDatagram;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * parse(emit(x)) == x for random valid representations of every protocol, and emit writes every byte it
 * owns: emitting into a 0xa5-filled buffer and into a zeroed one gives the same bytes.
 */
class RoundTripProperties {

    /** Emits into a poisoned and a zeroed buffer; both must agree, and the poisoned one is returned. */
    private static ByteBuf emitBoth(int length, Consumer<ByteBuf> emit) {
        ByteBuf poisoned = Captures.poisoned(length);
        ByteBuf zeroed = Unpooled.buffer(length);
        zeroed.writeZero(length);
        emit.accept(poisoned);
        emit.accept(zeroed);
        assertThat(ByteBufUtil.hexDump(poisoned)).as("no byte left unwritten").isEqualTo(ByteBufUtil.hexDump(zeroed));
        return poisoned;
    }

    @Property
    void ethernetHeaders(@ForAll("ethernet") EthernetHeader h) throws ParseException {
        int payload = h.etherType().isLength() ? h.etherType().value() : 0;
        ByteBuf out = emitBoth(h.length() + payload, b -> {
            h.emit(b, 0);
            b.setZero(h.length(), payload);
        });
        assertThat(EthernetHeader.parse(EthernetFrame.checked(out))).isEqualTo(h);
    }

    @Property
    void arpMessages(@ForAll("arp") ArpMessage m) throws ParseException {
        ByteBuf out = emitBoth(m.length(), b -> m.emit(b, 0));
        assertThat(ArpMessage.parse(ArpPacket.checked(out))).isEqualTo(m);
    }

    @Property
    void ipv4Headers(@ForAll("ipv4") Ipv4Header h) throws ParseException {
        ByteBuf out = emitBoth(h.totalLength(), b -> {
            h.emit(b, 0);
            b.setZero(h.length(), h.payloadLength());
        });
        Ipv4Packet p = Ipv4Packet.checked(out);
        assertThat(p.verifyChecksum()).isTrue();
        assertThat(Ipv4Header.parse(p)).isEqualTo(h);
    }

    @Property
    void icmpMessages(@ForAll("icmp") IcmpMessage m) throws ParseException {
        ByteBuf out = emitBoth(m.length(), b -> m.emit(b, 0));
        IcmpPacket p = IcmpPacket.checked(out);
        assertThat(p.verifyChecksum()).isTrue();
        assertThat(IcmpMessage.parse(p)).isEqualTo(m);
    }

    @Property
    void udpHeaders(@ForAll("udp") UdpHeader h, @ForAll("addresses") Ipv4Address src, @ForAll("addresses") Ipv4Address dst)
            throws ParseException {
        ByteBuf out = emitBoth(h.length() + h.payloadLength(), b -> {
            for (int i = 0; i < h.payloadLength(); i++) b.setByte(h.length() + i, i * 7);
            h.emit(b, 0, src, dst);
        });
        UdpDatagram d = UdpDatagram.checked(out);
        assertThat(d.hasChecksum()).as("a computed 0 is sent as 0xffff").isTrue();
        assertThat(d.verifyChecksum(src, dst)).isTrue();
        assertThat(UdpHeader.parse(d)).isEqualTo(h);
    }

    @Property
    void tcpHeaders(@ForAll("tcp") TcpHeader h, @ForAll("addresses") Ipv4Address src, @ForAll("addresses") Ipv4Address dst)
            throws ParseException {
        ByteBuf out = emitBoth(h.length() + 5, b -> {
            b.setBytes(h.length(), new byte[] {1, 2, 3, 4, 5});
            h.emit(b, 0, 5, src, dst);
        });
        TcpSegment s = TcpSegment.checked(out);
        assertThat(s.verifyChecksum(src, dst)).isTrue();
        assertThat(TcpHeader.parse(s)).isEqualTo(h);
        assertThat(s.payload().readableBytes()).isEqualTo(5);
    }

    @Property(tries = 300)
    void wholeFramesParseBackLayerByLayer(@ForAll("ethernet") EthernetHeader eth, @ForAll("ipv4") Ipv4Header ip,
                                           @ForAll("tcp") TcpHeader tcp, @ForAll("udp") UdpHeader udp, @ForAll("icmp") IcmpMessage icmp)
            throws ParseException {
        Ipv4Header whole = ip.withFragment(false, 0);
        byte[] payload = {9, 8, 7};
        ByteBuf t = Frames.ethernetIpv4(eth, whole, tcp, payload);
        ByteBuf u = Frames.ethernetIpv4(eth, whole, udp, payload);
        ByteBuf i = Frames.ethernetIpv4(eth, whole, icmp);
        for (ByteBuf frame : java.util.List.of(t, u, i)) {
            Ipv4Packet p = Ipv4Packet.checked(EthernetFrame.checked(frame).payload());
            assertThat(p.verifyChecksum()).isTrue();
            assertThat(Ipv4Header.parse(p).withPayloadLength(0).withProtocol(IpProtocol.IP))
                    .isEqualTo(whole.withPayloadLength(0).withProtocol(IpProtocol.IP));
            if (frame != i) Dissector.dissect(frame); // a random ICMP error's quote need not be a datagram
        }
        assertThat(TcpHeader.parse(TcpSegment.checked(Ipv4Packet.checked(EthernetFrame.checked(t).payload()).payload()))).isEqualTo(tcp);
        assertThat(UdpHeader.parse(UdpDatagram.checked(Ipv4Packet.checked(EthernetFrame.checked(u).payload()).payload())))
                .isEqualTo(udp.withPayloadLength(3));
        assertThat(IcmpMessage.parse(IcmpPacket.checked(Ipv4Packet.checked(EthernetFrame.checked(i).payload()).payload()))).isEqualTo(icmp);
    }

    @Provide Arbitrary<EthernetHeader> ethernet() { return Generators.ethernetHeaders(); }
    @Provide Arbitrary<ArpMessage> arp() { return Generators.arpMessages(); }
    @Provide Arbitrary<Ipv4Header> ipv4() { return Generators.ipv4Headers(); }
    @Provide Arbitrary<IcmpMessage> icmp() { return Generators.icmpMessages(); }
    @Provide Arbitrary<UdpHeader> udp() { return Generators.udpHeaders(); }
    @Provide Arbitrary<TcpHeader> tcp() { return Generators.tcpHeaders(); }
    @Provide Arbitrary<Ipv4Address> addresses() { return Generators.addresses(); }
}
