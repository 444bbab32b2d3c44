package org.vnetlab.emulator.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.dhcp.DhcpOption;

/** Which options dnsmasq puts in OFFER and ACK, and in which order (do_options). */
class ReplyOptionsTest {
    private static DhcpMessage offerFor(DnsmasqSettings settings, DhcpMessage discover) {
        DhcpRig rig = new DhcpRig(settings);
        rig.receive(discover);
        rig.settle();
        return rig.last().message();
    }

    @Test
    void withDnsDisabledOption6IsNotSentEvenWhenAskedFor() {
        // <dns enable='no'/> gives port=0 (routed-network-no-dns.conf); dnsmasq only names itself on port 53
        DhcpMessage offer = offerFor(DhcpRig.defaultNetwork().port(0).build(), DhcpRig.discover(DhcpRig.GUEST, 1));
        assertThat(offer.options()).extracting(DhcpOption::code).containsExactly(53, 54, 51, 58, 59, 1, 28, 3, 255);
    }

    @Test
    void anEmptyDhcpOption3SuppressesTheRouter() {
        // isolated networks: libvirt writes dhcp-option=3
        DhcpMessage offer = offerFor(DhcpRig.defaultNetwork().dhcpOption(DhcpOptionSetting.parse("3")).build(),
                DhcpRig.discover(DhcpRig.GUEST, 1));
        assertThat(offer.options()).extracting(DhcpOption::code).containsExactly(53, 54, 51, 58, 59, 1, 28, 6, 255);
    }

    @Test
    void configuredOptionsFollowTheBuiltInOnesWhenRequested() {
        DhcpMessage discover = DhcpRig.client(DhcpRig.GUEST, 1, DhcpMessageType.DISCOVER)
                .option(new DhcpOption.ParameterRequestList(List.of(1, 3, 6, 26))).option(new DhcpOption.End()).padTo(300).build();
        DhcpMessage offer = offerFor(DhcpRig.defaultNetwork().dhcpOption(DhcpOptionSetting.parse("option:mtu,7000")).build(), discover);
        assertThat(offer.options()).extracting(DhcpOption::code).containsExactly(53, 54, 51, 58, 59, 1, 28, 3, 6, 26, 255);
        assertThat(offer.option(26).orElseThrow().value()).containsExactly(0x1b, 0x58);
    }

    @Test
    void aClientWithoutARequestListGetsEverythingAndTheDomain() {
        DhcpMessage bare = DhcpRig.client(DhcpRig.GUEST, 1, DhcpMessageType.DISCOVER)
                .option(new DhcpOption.End()).padTo(300).build();
        DhcpMessage offer = offerFor(DhcpRig.defaultNetwork().domain("example.com").build(), bare);
        assertThat(offer.options()).extracting(DhcpOption::code).containsExactly(53, 54, 51, 58, 59, 1, 28, 3, 6, 15, 255);
        assertThat(offer.option(DhcpOption.DomainName.class)).map(DhcpOption.DomainName::name).contains("example.com");
    }

    @Test
    void anInfiniteLeaseCarriesNoRenewalTimes() {
        DhcpMessage offer = offerFor(DnsmasqSettings.builder("virbr0")
                .dhcpRange(DhcpRange.of("192.168.122.2", "192.168.122.254", "255.255.255.0", LeaseTime.INFINITE)).build(),
                DhcpRig.discover(DhcpRig.GUEST, 1));
        assertThat(offer.options()).extracting(DhcpOption::code).containsExactly(53, 54, 51, 1, 28, 3, 6, 255);
        assertThat(offer.option(DhcpOption.LeaseTime.class)).map(DhcpOption.LeaseTime::seconds).contains(0xffffffffL);
    }

    @Test
    void aClientsOwnNameIsKeptOnTheLeaseAndEchoedInTheAckWhenRequested() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().domain("example.com").build());
        rig.receive(DhcpRig.discover(DhcpRig.GUEST, 1));
        rig.settle();
        DhcpMessage offer = rig.last().message();
        assertThat(offer.option(DhcpOption.HostName.CODE)).as("OFFER names only configured hosts").isEmpty();

        rig.receive(DhcpRig.client(DhcpRig.GUEST, 1, DhcpMessageType.REQUEST)
                .option(new DhcpOption.RequestedIpAddress(offer.yiaddr()))
                .option(new DhcpOption.ServerIdentifier(DhcpRig.VIRBR0.address()))
                .option(new DhcpOption.HostName("webserver"))
                .option(new DhcpOption.ParameterRequestList(List.of(1, 3, 6, 12, 15, 28)))
                .option(new DhcpOption.End()).padTo(300).build());
        DhcpMessage ack = rig.last().message();

        assertThat(ack.options()).extracting(DhcpOption::code).containsExactly(53, 54, 51, 58, 59, 1, 28, 3, 6, 15, 12, 255);
        assertThat(ack.option(DhcpOption.HostName.class)).map(DhcpOption.HostName::name).contains("webserver");
        assertThat(rig.log.texts()).last().isEqualTo("DHCPACK(virbr0) 192.168.122.55 52:54:00:aa:bb:01 webserver");
        Lease lease = rig.server.leases().leases().get(0);
        assertThat(lease.hostname()).contains("webserver");
        assertThat(lease.fqdn()).contains("webserver.example.com");
    }

    @Test
    void aRenewalIsAnsweredToTheClientsAddressWithFuzzedRenewalTimes() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());
        Ipv4Address a = rig.lease(DhcpRig.GUEST, 1);
        rig.lab.scheduler().runFor(1_800_000_000_000L);
        DhcpMessage renew = DhcpRig.client(DhcpRig.GUEST, 2, DhcpMessageType.REQUEST).ciaddr(a)
                .option(new DhcpOption.ParameterRequestList(List.of(1, 3, 6))).option(new DhcpOption.End()).padTo(300).build();
        rig.server.receive(new DhcpDatagram(renew.toBytes(), a, 68, DhcpRig.VIRBR0.address()));

        DhcpMessage ack = rig.last().message();
        assertThat(rig.last().reply().destination()).isEqualTo(new DhcpDestination.Unicast(a, 68));
        long t1 = ack.option(DhcpOption.RenewalTime.class).orElseThrow().seconds();
        long t2 = ack.option(DhcpOption.RebindingTime.class).orElseThrow().seconds();
        // dnsmasq takes a random fuzz of at most T1/8 off both, to spread renewals
        assertThat(t1).isBetween(1800L - 225, 1800L);
        assertThat(t2 - t1).isEqualTo(3150 - 1800);
        assertThat(rig.server.leases().leases().get(0).expires()).isEqualTo(1803 + 3600);
    }
}
