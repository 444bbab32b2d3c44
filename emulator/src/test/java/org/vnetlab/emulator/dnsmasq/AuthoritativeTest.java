package org.vnetlab.emulator.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.dhcp.DhcpOption;

/** dhcp-authoritative: NAKs for requests dnsmasq knows are wrong, silence without it. */
class AuthoritativeTest {
    private static final MacAddress STRANGER = MacAddress.parse("52:54:00:12:34:56");

    private static Ipv4Address ip(String s) { return Ipv4Address.parse(s); }

    /** INIT-REBOOT: a client that remembers an address asks for it without a server identifier. */
    private static DhcpMessage initReboot(MacAddress mac, Ipv4Address address) {
        return DhcpRig.client(mac, 77, DhcpMessageType.REQUEST)
                .option(new DhcpOption.RequestedIpAddress(address)).option(new DhcpOption.End()).padTo(300).build();
    }

    @Test
    void anUnknownClientRebootingIntoAnotherNetworkIsNakedByBroadcast() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());
        rig.receive(initReboot(STRANGER, ip("10.0.0.5")));

        DhcpMessage nak = rig.last().message();
        assertThat(nak.messageType()).contains(DhcpMessageType.NAK);
        assertThat(nak.options()).extracting(DhcpOption::code).containsExactly(53, 54, 56, 255);
        assertThat(nak.option(DhcpOption.ServerIdentifier.class)).map(DhcpOption.ServerIdentifier::address)
                .contains(DhcpRig.VIRBR0.address());
        assertThat(nak.option(DhcpOption.Message.class)).map(DhcpOption.Message::text).contains("wrong network");
        assertThat(nak.yiaddr()).isEqualTo(Ipv4Address.ANY);
        assertThat(nak.siaddr()).isEqualTo(Ipv4Address.ANY);
        assertThat(nak.flags()).isEqualTo(0x8000);
        assertThat(nak.length()).isEqualTo(300);
        assertThat(rig.last().reply().destination()).isEqualTo(new DhcpDestination.Broadcast());
        assertThat(rig.log.texts()).containsExactly(
                "DHCPREQUEST(virbr0) 10.0.0.5 52:54:00:12:34:56 ",
                "DHCPNAK(virbr0) 10.0.0.5 52:54:00:12:34:56 wrong network");
    }

    @Test
    void withoutAuthorityTheSameRequestIsIgnored() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().dhcpAuthoritative(false).build());
        rig.receive(initReboot(STRANGER, ip("10.0.0.5")));
        assertThat(rig.sent).isEmpty();
        assertThat(rig.log.texts()).isEmpty();
    }

    @Test
    void anAuthoritativeServerRecoversALostLeaseForAFreeAddressInItsRange() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());
        rig.receive(initReboot(STRANGER, ip("192.168.122.77")));
        DhcpMessage ack = rig.last().message();
        assertThat(ack.messageType()).contains(DhcpMessageType.ACK);
        assertThat(ack.yiaddr()).isEqualTo(ip("192.168.122.77"));
        assertThat(rig.server.leases().findByAddress(ip("192.168.122.77"))).isPresent();
    }

    @Test
    void anAddressLeasedToSomeoneElseIsNakedAsInUse() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());
        Ipv4Address taken = rig.lease(DhcpRig.GUEST, 1);
        rig.receive(initReboot(STRANGER, taken));
        assertThat(rig.last().message().option(DhcpOption.Message.class)).map(DhcpOption.Message::text).contains("address in use");
    }

    @Test
    void selectingAnotherServerIsNakedOnlyWhenAuthoritative() {
        DhcpMessage other = DhcpRig.client(STRANGER, 5, DhcpMessageType.REQUEST)
                .option(new DhcpOption.RequestedIpAddress(ip("192.168.122.80")))
                .option(new DhcpOption.ServerIdentifier(ip("192.168.122.254")))
                .option(new DhcpOption.End()).padTo(300).build();
        DhcpRig auth = new DhcpRig(DhcpRig.defaultNetwork().build());
        auth.receive(other);
        assertThat(auth.last().message().option(DhcpOption.Message.class)).map(DhcpOption.Message::text).contains("wrong server-ID");

        DhcpRig polite = new DhcpRig(DhcpRig.defaultNetwork().dhcpAuthoritative(false).build());
        polite.receive(other);
        assertThat(polite.sent).isEmpty();
    }

    @Test
    void aUnicastRenewalOfAnUnknownLeaseIsNakedWhenNotAuthoritative() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().dhcpAuthoritative(false).build());
        DhcpMessage renew = DhcpRig.client(STRANGER, 9, DhcpMessageType.REQUEST).ciaddr(ip("192.168.122.90"))
                .option(new DhcpOption.End()).padTo(300).build();
        rig.server.receive(new DhcpDatagram(renew.toBytes(), ip("192.168.122.90"), 68, DhcpRig.VIRBR0.address()));

        DhcpMessage nak = rig.last().message();
        assertThat(nak.option(DhcpOption.Message.class)).map(DhcpOption.Message::text).contains("lease not found");
        assertThat(nak.broadcast()).isTrue();
        assertThat(rig.last().reply().destination()).isEqualTo(new DhcpDestination.Broadcast());
        // broadcast (rebinding) renewals are left to whichever server holds the lease
        rig.sent.clear();
        rig.receive(renew);
        assertThat(rig.sent).isEmpty();
    }

    @Test
    void anAuthoritativeServerAcksARenewalItHasNoRecordOf() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());
        DhcpMessage renew = DhcpRig.client(STRANGER, 9, DhcpMessageType.REQUEST).ciaddr(ip("192.168.122.90"))
                .option(new DhcpOption.ParameterRequestList(List.of(1, 3, 6))).option(new DhcpOption.End()).padTo(300).build();
        rig.server.receive(new DhcpDatagram(renew.toBytes(), ip("192.168.122.90"), 68, DhcpRig.VIRBR0.address()));
        DhcpMessage ack = rig.last().message();
        assertThat(ack.messageType()).contains(DhcpMessageType.ACK);
        assertThat(ack.ciaddr()).isEqualTo(ip("192.168.122.90"));
        assertThat(rig.last().reply().destination()).isEqualTo(new DhcpDestination.Unicast(ip("192.168.122.90"), 68));
    }
}
