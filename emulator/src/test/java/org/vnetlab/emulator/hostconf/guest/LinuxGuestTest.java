package org.vnetlab.emulator.hostconf.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.hostconf.Fixtures;
import org.vnetlab.emulator.hostconf.iface.IpAddrParser;
import org.vnetlab.emulator.hostconf.resolv.ResolvConfParser;
import org.vnetlab.emulator.hostconf.route.IpRouteParser;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;

class LinuxGuestTest {
    @Test
    void aLinuxGuestSeesTheSameThingsAsAWindowsOne() throws InputException {
        GuestNetConfig linux = new LinuxGuest(
                IpAddrParser.parse("ip-addr", Fixtures.read("guest/linux-guest-ip-addr.txt")),
                IpRouteParser.parse("ip-route", Fixtures.read("guest/linux-guest-ip-route.txt")),
                Optional.of(ResolvConfParser.parse("resolv.conf", "nameserver 192.168.122.1\n")));
        assertThat(linux.ipv4Addresses()).containsExactly(new GuestAddress("enp1s0", Ipv4Address.parse("192.168.122.55"), 24));
        assertThat(linux.defaultGateway()).contains(Ipv4Address.parse("192.168.122.1"));
        assertThat(linux.dnsServers()).containsExactly("192.168.122.1");
    }

    @Test
    void noDefaultRouteMeansNoGateway() throws InputException {
        GuestNetConfig linux = new LinuxGuest(
                IpAddrParser.parse("ip-addr", Fixtures.read("guest/linux-guest-ip-addr.txt")),
                IpRouteParser.parse("ip-route", "192.168.122.0/24 dev enp1s0 proto kernel scope link src 192.168.122.55\n"),
                Optional.empty());
        assertThat(linux.defaultGateway()).isEmpty();
        assertThat(linux.dnsServers()).isEmpty();
    }
}
