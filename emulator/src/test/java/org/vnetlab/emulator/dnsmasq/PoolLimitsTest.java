package org.vnetlab.emulator.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.dhcp.DhcpOption;

/** An exhausted pool and dhcp-lease-max: what the client sees and what dnsmasq logs. */
class PoolLimitsTest {
    private static final MacAddress A = MacAddress.parse("52:54:00:00:00:0a");
    private static final MacAddress B = MacAddress.parse("52:54:00:00:00:0b");
    private static final MacAddress C = MacAddress.parse("52:54:00:00:00:0c");

    @Test
    void whenEveryAddressIsLeasedADiscoverGetsNoOfferAndIsLoggedAsSuch() {
        DhcpRig rig = new DhcpRig(DnsmasqSettings.builder("virbr0")
                .dhcpRange(DhcpRange.of("192.168.122.2", "192.168.122.3", "255.255.255.0", LeaseTime.DEFAULT)).build());
        rig.lease(A, 1);
        rig.lease(B, 2);
        int before = rig.sent.size();

        rig.receive(DhcpRig.discover(C, 3));
        rig.settle();

        assertThat(rig.sent).hasSize(before);
        assertThat(rig.log.texts()).last().isEqualTo("DHCPDISCOVER(virbr0) 52:54:00:00:00:0c no address available");
    }

    @Test
    void atTheLeaseMaxDnsmasqStillOffersButNaksTheRequestWithNoLeasesLeft() {
        // dnsmasq checks dhcp-lease-max only when it creates the lease (lease4_allocate), i.e. on REQUEST
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().dhcpLeaseMax(1).build());
        rig.lease(A, 1);

        rig.receive(DhcpRig.discover(B, 2));
        rig.settle();
        DhcpMessage offer = rig.last().message();
        assertThat(offer.messageType()).contains(DhcpMessageType.OFFER);

        rig.receive(DhcpRig.select(B, 2, offer.yiaddr()));
        DhcpMessage nak = rig.last().message();

        assertThat(nak.messageType()).contains(DhcpMessageType.NAK);
        assertThat(nak.option(DhcpOption.Message.class)).map(DhcpOption.Message::text).contains("no leases left");
        assertThat(nak.yiaddr()).isEqualTo(Ipv4Address.ANY);
        assertThat(nak.broadcast()).isTrue();
        assertThat(rig.last().reply().destination()).isEqualTo(new DhcpDestination.Broadcast());
        assertThat(rig.log.texts()).last().isEqualTo("DHCPNAK(virbr0) " + offer.yiaddr() + " 52:54:00:00:00:0b no leases left");
        assertThat(rig.server.leases().size()).isEqualTo(1);
    }
}
