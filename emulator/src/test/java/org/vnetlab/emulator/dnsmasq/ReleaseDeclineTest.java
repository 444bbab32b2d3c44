package org.vnetlab.emulator.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.dhcp.DhcpOption;

/** DHCPRELEASE frees the lease; DHCPDECLINE frees it and steers the client elsewhere. Neither gets an answer. */
class ReleaseDeclineTest {
    private final DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());

    private static Ipv4Address ip(String s) { return Ipv4Address.parse(s); }

    private DhcpMessage release(MacAddress mac, Ipv4Address address) {
        return DhcpRig.client(mac, 3, DhcpMessageType.RELEASE).ciaddr(address)
                .option(new DhcpOption.ServerIdentifier(DhcpRig.VIRBR0.address())).option(new DhcpOption.End()).padTo(300).build();
    }

    @Test
    void releaseRemovesTheLeaseSilently() {
        Ipv4Address a = rig.lease(DhcpRig.GUEST, 1);
        int sent = rig.sent.size();

        rig.server.receive(new DhcpDatagram(release(DhcpRig.GUEST, a).toBytes(), a, 68, DhcpRig.VIRBR0.address()));

        assertThat(rig.server.leases().leases()).isEmpty();
        assertThat(rig.sent).hasSize(sent);
        assertThat(rig.log.texts()).last().isEqualTo("DHCPRELEASE(virbr0) 192.168.122.55 52:54:00:aa:bb:01 ");
    }

    @Test
    void releasingAnAddressNotLeasedToTheClientIsLoggedAsUnknown() {
        rig.lease(DhcpRig.GUEST, 1);
        rig.receive(release(MacAddress.parse("52:54:00:00:00:77"), ip("192.168.122.55")));
        assertThat(rig.server.leases().size()).isEqualTo(1);
        assertThat(rig.log.texts()).last().isEqualTo("DHCPRELEASE(virbr0) 192.168.122.55 52:54:00:00:00:77 unknown lease");
    }

    @Test
    void declineDropsTheLeaseAndTheNextOfferStartsOneAddressFurther() {
        Ipv4Address a = rig.lease(DhcpRig.GUEST, 1);
        rig.receive(DhcpRig.client(DhcpRig.GUEST, 4, DhcpMessageType.DECLINE)
                .option(new DhcpOption.RequestedIpAddress(a))
                .option(new DhcpOption.ServerIdentifier(DhcpRig.VIRBR0.address()))
                .option(new DhcpOption.Message("arp conflict")).option(new DhcpOption.End()).padTo(300).build());
        assertThat(rig.server.leases().leases()).isEmpty();
        assertThat(rig.log.texts()).last().isEqualTo("DHCPDECLINE(virbr0) 192.168.122.55 52:54:00:aa:bb:01 arp conflict");

        rig.receive(DhcpRig.discover(DhcpRig.GUEST, 5));
        rig.settle();
        // the pool's epoch moved by one: the hash now lands on .56
        assertThat(rig.last().message().yiaddr()).isEqualTo(ip("192.168.122.56"));
    }

    @Test
    void declineOfAStaticAddressDisablesItForTenMinutes() {
        DhcpRig r = new DhcpRig(DhcpRig.defaultNetwork()
                .dhcpHost(StaticHost.of(DhcpRig.GUEST, ip("192.168.122.10"), "guest1")).build());
        r.lease(DhcpRig.GUEST, 1);
        r.receive(DhcpRig.client(DhcpRig.GUEST, 4, DhcpMessageType.DECLINE)
                .option(new DhcpOption.RequestedIpAddress(ip("192.168.122.10")))
                .option(new DhcpOption.ServerIdentifier(DhcpRig.VIRBR0.address())).option(new DhcpOption.End()).padTo(300).build());
        assertThat(r.log.texts()).last().isEqualTo("disabling DHCP static address 192.168.122.10 for 10m");

        r.receive(DhcpRig.discover(DhcpRig.GUEST, 5));
        r.settle();
        assertThat(r.log.texts()).contains("not using configured address 192.168.122.10 because it was previously declined");
        assertThat(r.last().message().yiaddr()).isEqualTo(ip("192.168.122.55"));
    }
}
