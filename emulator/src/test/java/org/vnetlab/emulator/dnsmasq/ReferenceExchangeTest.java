package org.vnetlab.emulator.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The reference host's DHCP exchange (dhcp.pcap: busybox udhcpc and dnsmasq 2.90 on libvirt's default
 * network): the client's own DISCOVER and REQUEST are fed in, and every answer must equal dnsmasq's byte for
 * byte, at dnsmasq's time, sent the way dnsmasq sent it.
 */
class ReferenceExchangeTest {
    private static final String PCAP = "dhcp.pcap";
    private static final Ipv4Address OFFERED = Ipv4Address.parse("192.168.122.55");

    private final DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());

    @Test
    void theFirstOfferComesThreeSecondsLaterAfterAnUnansweredPingOfTheCandidate() {
        ReferenceFrames.UdpFrame discover = ReferenceFrames.udp(PCAP, 1);
        ReferenceFrames.UdpFrame offer = ReferenceFrames.udp(PCAP, 6);

        rig.receive(discover.payload());

        assertThat(rig.sent).as("no OFFER before the ping wait is over").isEmpty();
        assertThat(rig.echoes).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo(DhcpRig.VIRBR0.address());
            assertThat(e.target()).isEqualTo(OFFERED);
        });

        rig.settle();

        assertThat(rig.sent).hasSize(1);
        assertThat(rig.last().nanos()).isEqualTo(SimTime.seconds(3));
        assertThat(rig.last().reply().payload()).isEqualTo(offer.payload());
        assertThat(rig.last().reply().destination())
                .isEqualTo(new DhcpDestination.ClientHardware(DhcpRig.GUEST, OFFERED));
        assertThat(rig.log.texts()).containsExactly(
                "DHCPDISCOVER(virbr0) 52:54:00:aa:bb:01 ",
                "DHCPOFFER(virbr0) 192.168.122.55 52:54:00:aa:bb:01 ");
    }

    @Test
    void aRetransmittedDiscoverIsOfferedAtOnceFromThePingCacheAndTheRequestIsAcked() {
        rig.receive(ReferenceFrames.udp(PCAP, 1).payload());
        rig.settle();
        rig.sent.clear();

        rig.receive(ReferenceFrames.udp(PCAP, 7).payload());
        assertThat(rig.sent).as("answered without waiting").hasSize(1);
        assertThat(rig.echoes).as("no second ping within 30 s").hasSize(1);
        assertThat(rig.last().reply().payload()).isEqualTo(ReferenceFrames.udp(PCAP, 8).payload());

        rig.receive(ReferenceFrames.udp(PCAP, 9).payload());
        assertThat(rig.sent).hasSize(2);
        assertThat(rig.last().reply().payload()).isEqualTo(ReferenceFrames.udp(PCAP, 10).payload());
        assertThat(rig.last().reply().destination())
                .isEqualTo(new DhcpDestination.ClientHardware(DhcpRig.GUEST, OFFERED));
        assertThat(rig.log.texts()).endsWith(
                "DHCPREQUEST(virbr0) 192.168.122.55 52:54:00:aa:bb:01 ",
                "DHCPACK(virbr0) 192.168.122.55 52:54:00:aa:bb:01 ");
        assertThat(rig.server.leases().leases()).singleElement().satisfies(l -> {
            assertThat(l.address()).isEqualTo(OFFERED);
            assertThat(l.mac()).isEqualTo(DhcpRig.GUEST);
            assertThat(l.clientId()).contains(ClientId.parseHex("01:52:54:00:aa:bb:01"));
            assertThat(l.expires()).isEqualTo(3 + 3600);
        });
    }

    @Test
    void repliesLeaveWithDnsmasqsSocketOptionsAndTheCapturedIpAndUdpFields() {
        rig.receive(ReferenceFrames.udp(PCAP, 1).payload());
        rig.settle();
        ReferenceFrames.UdpFrame offer = ReferenceFrames.udp(PCAP, 6);
        DhcpReply reply = rig.last().reply();

        assertThat(DhcpReply.TOS).isEqualTo(offer.tos()).isEqualTo(0xc0);
        assertThat(DhcpReply.DONT_FRAGMENT).isEqualTo(offer.dontFragment()).isFalse();
        assertThat(offer.ttl()).isEqualTo(64);
        assertThat(reply.source()).isEqualTo(DhcpRig.VIRBR0.address());
        assertThat(DhcpReply.SERVER_PORT).isEqualTo(offer.sourcePort());
        assertThat(DhcpDestination.CLIENT_PORT).isEqualTo(offer.destinationPort());
        assertThat(reply.payload().length + 8).isEqualTo(offer.udpLength()).isEqualTo(308);
        assertThat(reply.message().siaddr()).isEqualTo(DhcpRig.VIRBR0.address());
    }
}
