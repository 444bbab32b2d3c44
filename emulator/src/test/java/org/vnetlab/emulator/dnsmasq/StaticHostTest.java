package org.vnetlab.emulator.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpOption;

/** Hosts from libvirt's dhcp-hostsfile: fixed address, name and lease time. */
class StaticHostTest {
    private static Ipv4Address ip(String s) { return Ipv4Address.parse(s); }

    @Test
    void libvirtsLeaseTimeTestGivesTwoHostsWithTheirOwnLeaseTimes() throws InputException {
        DnsmasqSettings settings = Configurations.libvirt("leasetime-seconds.conf", Map.of(Configurations.LIBVIRT_HOSTSFILE,
                ReferenceFiles.libvirt("tests/networkxml2confdata/leasetime-seconds.hostsfile")));
        assertThat(settings.dhcpHosts()).containsExactly(
                new StaticHost(List.of(MacAddress.parse("00:16:3e:77:e2:ed")), Optional.empty(),
                        Optional.of(ip("192.168.122.10")), Optional.of("a.example.com"), Optional.of(new LeaseTime(300))),
                new StaticHost(List.of(MacAddress.parse("00:16:3e:3e:a9:1a")), Optional.empty(),
                        Optional.of(ip("192.168.122.11")), Optional.of("b.example.com"), Optional.of(new LeaseTime(400))));
        assertThat(settings.dhcpRanges()).singleElement()
                .satisfies(r -> assertThat(r.leaseTime()).isEqualTo(new LeaseTime(200)));
    }

    @Test
    void aHostNameWithADomainOtherThanOursKeepsItsFirstLabelAndDnsmasqWarns() throws InputException {
        DnsmasqSettings settings = Configurations.libvirt("leasetime-seconds.conf", Map.of(Configurations.LIBVIRT_HOSTSFILE,
                ReferenceFiles.libvirt("tests/networkxml2confdata/leasetime-seconds.hostsfile")));
        DhcpRig rig = new DhcpRig(settings);
        MacAddress a = MacAddress.parse("00:16:3e:77:e2:ed");
        rig.receive(DhcpRig.discover(a, 1));
        rig.receive(DhcpRig.select(a, 1, ip("192.168.122.10")));
        assertThat(rig.log.texts()).containsSubsequence(
                "Ignoring domain example.com for DHCP host name a",
                "DHCPACK(virbr0) 192.168.122.10 00:16:3e:77:e2:ed a");
        assertThat(rig.server.leases().leases().get(0).expires()).isEqualTo(300);
    }

    @Test
    void aKnownMacGetsItsFixedAddressAtOnceWithItsNameAndLeaseTime() throws InputException {
        DhcpRig rig = new DhcpRig(Configurations.reference(
                Map.of(Configurations.REF_HOSTSFILE, "52:54:00:aa:bb:01,192.168.122.10,guest1,300s\n")));

        rig.receive(DhcpRig.discover(DhcpRig.GUEST, 1));
        assertThat(rig.echoes).as("a configured address is not pinged").isEmpty();
        DhcpMessage offer = rig.last().message();
        assertThat(offer.yiaddr()).isEqualTo(ip("192.168.122.10"));
        assertThat(offer.option(DhcpOption.LeaseTime.class)).map(DhcpOption.LeaseTime::seconds).contains(300L);
        assertThat(offer.option(DhcpOption.RenewalTime.class)).map(DhcpOption.RenewalTime::seconds).contains(150L);
        assertThat(offer.option(DhcpOption.RebindingTime.class)).map(DhcpOption.RebindingTime::seconds).contains(262L);
        assertThat(offer.option(DhcpOption.HostName.class)).map(DhcpOption.HostName::name).contains("guest1");

        rig.receive(DhcpRig.select(DhcpRig.GUEST, 1, ip("192.168.122.10")));
        assertThat(rig.log.texts()).last().isEqualTo("DHCPACK(virbr0) 192.168.122.10 52:54:00:aa:bb:01 guest1");
        Lease lease = rig.server.leases().leases().get(0);
        assertThat(lease.hostname()).contains("guest1");
        assertThat(lease.expires()).isEqualTo(300);
    }

    @Test
    void noOtherClientIsEverGivenAReservedAddress() throws InputException {
        DhcpRig rig = new DhcpRig(Configurations.reference(
                Map.of(Configurations.REF_HOSTSFILE, "52:54:00:aa:bb:02,192.168.122.55,other\n")));
        assertThat(rig.lease(DhcpRig.GUEST, 1)).isEqualTo(ip("192.168.122.56"));
        // asking for it directly is refused too
        rig.receive(DhcpRig.select(DhcpRig.GUEST, 2, ip("192.168.122.55")));
        assertThat(rig.last().message().option(DhcpOption.Message.class)).map(DhcpOption.Message::text).contains("address reserved");
    }
}
