package org.vnetlab.protocols;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.ethernet.EthernetFrame;
import org.vnetlab.protocols.icmp.IcmpPacket;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.tcp.TcpSegment;
import org.vnetlab.protocols.udp.UdpDatagram;

/**
 * What the real host did to forwarded packets, replayed with the views' in-place mutators: the datagram a
 * guest sent, forwarded (TTL − 1) and masqueraded (source 192.168.0.10), is byte for byte the one the host
 * put on its uplink; and an ICMP error coming back is de-NAT'd inside and out into what the guest received.
 */
class ForwardingReplayTest {
    static final Ipv4Address GUEST = Ipv4Address.parse("192.168.122.55");
    static final Ipv4Address UPLINK = Ipv4Address.parse("192.168.0.10");

    private static Ipv4Packet datagram(String file, int number) throws ParseException {
        return Ipv4Packet.checked(EthernetFrame.checked(Captures.frame(file, number).buf()).payload());
    }

    @Test
    void aMasqueradedPingKeepsItsIcmpBytes() throws ParseException {
        Ipv4Packet p = datagram("guest-eth0.pcap", 17);
        p.decrementTtlWithChecksumUpdate();
        p.setSourceWithChecksumUpdate(UPLINK);
        assertThat(Captures.hexOf(p.buffer())).isEqualTo(Captures.hexOf(datagram("host-enp3s0.pcap", 3).buffer()));
    }

    @Test
    void aMasqueradedSynGetsTheKernelsTcpChecksum() throws ParseException {
        Ipv4Packet p = datagram("guest-eth0.pcap", 26);
        TcpSegment tcp = TcpSegment.checked(p.payload());
        p.decrementTtlWithChecksumUpdate();
        p.setSourceWithChecksumUpdate(UPLINK);
        tcp.updatePseudoHeaderAddress(GUEST, UPLINK);
        assertThat(Captures.hexOf(p.buffer())).isEqualTo(Captures.hexOf(datagram("host-enp3s0.pcap", 11).buffer()));
    }

    @Test
    void aMasqueradedLowPortUdpQueryGetsItsNewPort() throws ParseException {
        // guest-eth0 #50: dig from port 700; the uplink copy (host-enp3s0 #35) left from port 48251.
        Ipv4Packet p = datagram("guest-eth0.pcap", 50);
        UdpDatagram udp = UdpDatagram.checked(p.payload());
        p.decrementTtlWithChecksumUpdate();
        p.setSourceWithChecksumUpdate(UPLINK);
        udp.updatePseudoHeaderAddress(GUEST, UPLINK);
        udp.setSourcePortWithChecksumUpdate(48251);
        assertThat(Captures.hexOf(p.buffer())).isEqualTo(Captures.hexOf(datagram("host-enp3s0.pcap", 35).buffer()));
    }

    @Test
    void aRelatedPortUnreachableIsDeNattedInsideAndOut() throws ParseException {
        // host-enp3s0 #38: 8.8.8.8's port unreachable to 192.168.0.10; the guest got it as guest-eth0 #53.
        Ipv4Packet outer = datagram("host-enp3s0.pcap", 38);
        IcmpPacket icmp = IcmpPacket.checked(outer.payload());
        Ipv4Packet quoted = icmp.quoted();
        UdpDatagram quotedUdp = UdpDatagram.checkedTruncated(quoted.payload());

        outer.decrementTtlWithChecksumUpdate();
        outer.setDestinationWithChecksumUpdate(GUEST);
        quoted.setSourceWithChecksumUpdate(GUEST);
        quotedUdp.updatePseudoHeaderAddress(UPLINK, GUEST);
        icmp.fillChecksum();

        assertThat(Captures.hexOf(outer.buffer())).isEqualTo(Captures.hexOf(datagram("guest-eth0.pcap", 53).buffer()));
    }
}
