package org.vnetlab.emulator.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpOption;

/** Hosts from libvirt's dhcp-hostsfile: fixed address, name and lease time, and the file's syntax. */
class StaticHostTest {
    private static Ipv4Address ip(String s) { return Ipv4Address.parse(s); }

    @Test
    void theHostsfileOfLibvirtsLeaseTimeTestParsesIntoTwoHosts() throws InputException {
        String text = ReferenceFiles.libvirt("tests/networkxml2confdata/leasetime-seconds.hostsfile");
        List<StaticHost> hosts = DhcpHostsFile.parse("leasetime-seconds.hostsfile", text);
        assertThat(hosts).containsExactly(
                new StaticHost(List.of(MacAddress.parse("00:16:3e:77:e2:ed")), java.util.Optional.empty(),
                        java.util.Optional.of(ip("192.168.122.10")), java.util.Optional.of("a.example.com"),
                        java.util.Optional.of(new LeaseTime(300))),
                new StaticHost(List.of(MacAddress.parse("00:16:3e:3e:a9:1a")), java.util.Optional.empty(),
                        java.util.Optional.of(ip("192.168.122.11")), java.util.Optional.of("b.example.com"),
                        java.util.Optional.of(new LeaseTime(400))));
    }

    @Test
    void badLinesAreRefusedWithFileLineAndToken() {
        assertThatThrownBy(() -> DhcpHostsFile.parse("default.hostsfile", "52:54:00:aa:bb:01,192.168.122.10,guest1\nset:x,1.2.3.4,y\n"))
                .isInstanceOf(InputException.class)
                .hasMessage("default.hostsfile:2:1: unsupported: dhcp-host tags near 'set:x'");
        assertThatThrownBy(() -> DhcpHostsFile.parse("h", "52:54:00:aa:bb:01,bad name!"))
                .hasMessage("h:1:19: not a MAC address, IPv4 address, lease time or host name near 'bad name!'");
    }

    @Test
    void aKnownMacGetsItsFixedAddressAtOnceWithItsNameAndLeaseTime() throws InputException {
        List<StaticHost> hosts = DhcpHostsFile.parse("default.hostsfile", "52:54:00:aa:bb:01,192.168.122.10,guest1,300s\n");
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().dhcpHosts(hosts).build());

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
        List<StaticHost> hosts = DhcpHostsFile.parse("h", "52:54:00:aa:bb:02,192.168.122.55,other\n");
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().dhcpHosts(hosts).build());
        assertThat(rig.lease(DhcpRig.GUEST, 1)).isEqualTo(ip("192.168.122.56"));
        // asking for it directly is refused too
        rig.receive(DhcpRig.select(DhcpRig.GUEST, 2, ip("192.168.122.55")));
        assertThat(rig.last().message().option(DhcpOption.Message.class)).map(DhcpOption.Message::text).contains("address reserved");
    }
}
