package org.vnetlab.protocols;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetFrame;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.icmp.IcmpPacket;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.tcp.TcpSegment;
import org.vnetlab.protocols.udp.UdpDatagram;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * NAT-style rewrites with RFC 1624 incremental updates leave exactly the checksum a full recompute gives.
 *
 * <p>On 0x0000 versus 0xffff (the two one's-complement zeros): the update is eqn. 3, ~(~HC + ~m + m'),
 * which is what Linux's csum_replace2/4 compute. Starting from a fully computed checksum it never yields
 * 0xffff for IPv4 or TCP (that needs an all-zero sum, impossible with a non-zero version or protocol), so
 * for those the values are compared exactly. UDP sends a computed 0 as 0xffff and the rewrite does the
 * same (nf_nat_proto's CSUM_MANGLED_0), so there too incremental equals full recompute exactly; and a zero
 * UDP checksum (none) stays zero.
 */
class IncrementalChecksumProperties {
    static final EthernetHeader ETH = new EthernetHeader(MacAddress.BROADCAST, MacAddress.ZERO, EtherType.IPV4);

    private static Ipv4Packet ip(ByteBuf frame) throws ParseException {
        return Ipv4Packet.checked(EthernetFrame.checked(frame).payload());
    }

    @Property
    void ipv4AddressAndTtlRewrites(@ForAll("ipv4") Ipv4Header h, @ForAll("addresses") Ipv4Address src,
                                   @ForAll("addresses") Ipv4Address dst, @ForAll @IntRange(min = 0, max = 255) int ttl)
            throws ParseException {
        Ipv4Packet p = ip(Frames.ethernetIpv4(ETH, h, new byte[h.payloadLength()]));
        p.setSourceWithChecksumUpdate(src);
        p.setDestinationWithChecksumUpdate(dst);
        p.setTtlWithChecksumUpdate(ttl);
        if (p.ttl() > 0) p.decrementTtlWithChecksumUpdate();
        int incremental = p.headerChecksum();
        p.fillChecksum();
        assertThat(incremental).isEqualTo(p.headerChecksum());
    }

    @Property
    void ttlDecrementMatchesLinuxIpDecreaseTtl(@ForAll("ipv4") Ipv4Header h) throws ParseException {
        Ipv4Packet p = ip(Frames.ethernetIpv4(ETH, h.withTtl(Math.max(1, h.ttl())), new byte[0]));
        int before = p.headerChecksum();
        p.decrementTtlWithChecksumUpdate();
        // include/net/ip.h ip_decrease_ttl: check += htons(0x0100); check += (check >= 0xffff)
        int kernel = before + 0x0100;
        kernel = (kernel + (kernel >= 0xffff ? 1 : 0)) & 0xffff;
        assertThat(p.headerChecksum()).isEqualTo(kernel);
    }

    @Property
    void udpPortAndAddressRewrites(@ForAll("udp") UdpHeader u, @ForAll("addresses") Ipv4Address src, @ForAll("addresses") Ipv4Address dst,
                                   @ForAll("addresses") Ipv4Address newSrc, @ForAll("ports") int sport, @ForAll("ports") int dport)
            throws ParseException {
        ByteBuf frame = Frames.ethernetIpv4(ETH, Ipv4Header.of(src, dst, org.vnetlab.protocols.ipv4.IpProtocol.UDP, 64, 1, false, 0),
                u, new byte[u.payloadLength()]);
        Ipv4Packet p = ip(frame);
        UdpDatagram d = UdpDatagram.checked(p.payload());
        p.setSourceWithChecksumUpdate(newSrc);
        d.updatePseudoHeaderAddress(src, newSrc);
        d.setSourcePortWithChecksumUpdate(sport);
        d.setDestinationPortWithChecksumUpdate(dport);
        int incremental = d.checksum();
        d.fillChecksum(newSrc, dst);
        assertThat(incremental).isEqualTo(d.checksum());
        assertThat(d.verifyChecksum(newSrc, dst)).isTrue();
    }

    @Property
    void aZeroUdpChecksumSurvivesRewrites(@ForAll("udp") UdpHeader u, @ForAll("addresses") Ipv4Address src,
                                          @ForAll("addresses") Ipv4Address newSrc, @ForAll("ports") int port) throws ParseException {
        ByteBuf buf = Captures.poisoned(8 + u.payloadLength());
        u.emit(buf, 0);
        UdpDatagram d = UdpDatagram.checked(buf);
        d.updatePseudoHeaderAddress(src, newSrc);
        d.setSourcePortWithChecksumUpdate(port);
        assertThat(d.checksum()).isZero();
    }

    @Property
    void tcpPortAndAddressRewrites(@ForAll("tcp") TcpHeader t, @ForAll("addresses") Ipv4Address src, @ForAll("addresses") Ipv4Address dst,
                                   @ForAll("addresses") Ipv4Address newDst, @ForAll("ports") int sport, @ForAll("ports") int dport)
            throws ParseException {
        ByteBuf frame = Frames.ethernetIpv4(ETH, Ipv4Header.of(src, dst, org.vnetlab.protocols.ipv4.IpProtocol.TCP, 64, 1, true, 0),
                t, new byte[] {1, 2, 3});
        Ipv4Packet p = ip(frame);
        TcpSegment s = TcpSegment.checked(p.payload());
        p.setDestinationWithChecksumUpdate(newDst);
        s.updatePseudoHeaderAddress(dst, newDst);
        s.setSourcePortWithChecksumUpdate(sport);
        s.setDestinationPortWithChecksumUpdate(dport);
        int incremental = s.checksum();
        s.fillChecksum(src, newDst);
        assertThat(incremental).isEqualTo(s.checksum());
        assertThat(p.verifyChecksum()).isTrue();
    }

    @Property
    void icmpEchoIdentifierRewrites(@ForAll("ports") int id, @ForAll("ports") int seq, @ForAll("ports") int newId) throws ParseException {
        IcmpMessage echo = new IcmpMessage.Echo(true, id, seq, new byte[] {1, 2, 3, 4, 5});
        ByteBuf buf = Captures.poisoned(echo.length());
        echo.emit(buf, 0);
        IcmpPacket p = IcmpPacket.checked(buf);
        p.setIdentifierWithChecksumUpdate(newId);
        int incremental = p.checksum();
        p.fillChecksum();
        assertThat(incremental).isEqualTo(p.checksum());
    }

    @Provide Arbitrary<Ipv4Header> ipv4() { return Generators.ipv4Headers(); }
    @Provide Arbitrary<UdpHeader> udp() { return Generators.udpHeaders(); }
    @Provide Arbitrary<TcpHeader> tcp() { return Generators.tcpHeaders(); }
    @Provide Arbitrary<Ipv4Address> addresses() { return Generators.addresses(); }
    @Provide Arbitrary<Integer> ports() { return Generators.u16(); }
}
