package org.vnetlab.emulator.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.dhcp.DhcpOption;

/** Which address dnsmasq offers (address_allocate and the DISCOVER branch of dhcp_reply). */
class AddressChoiceTest {
    private static final MacAddress OTHER = MacAddress.parse("52:54:00:aa:bb:02");

    private static Ipv4Address ip(String s) { return Ipv4Address.parse(s); }

    @Test
    void theSdbmHashOfTheReferenceMacLandsOn55InTheDefaultRange() {
        int hash = AddressHash.sdbm(DhcpRig.GUEST.toBytes());
        assertThat(Integer.toUnsignedLong(hash)).isEqualTo(3_090_664_498L);
        assertThat(AddressHash.offset(hash, 0, 253)).isEqualTo(53); // .2 + 53 = .55
    }

    @Test
    void anAddressThatAnswersThePingIsSkippedForTheNextOneUp() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());
        rig.inUse.add(ip("192.168.122.55"));

        rig.receive(DhcpRig.discover(DhcpRig.GUEST, 1));
        rig.settle();

        assertThat(rig.echoes).extracting(DhcpRig.Echo::target).containsExactly(ip("192.168.122.55"), ip("192.168.122.56"));
        assertThat(rig.last().message().yiaddr()).isEqualTo(ip("192.168.122.56"));
    }

    @Test
    void theWalkSkipsLeasedAndReservedAddressesWithoutPingingThem() {
        DnsmasqSettings settings = DhcpRig.defaultNetwork()
                .dhcpHost(StaticHost.of(MacAddress.parse("52:54:00:00:00:99"), ip("192.168.122.56"), "reserved"))
                .build();
        DhcpRig rig = new DhcpRig(settings);
        // another guest asks for .55 and gets it
        rig.receive(DhcpRig.client(OTHER, 7, DhcpMessageType.DISCOVER)
                .option(new DhcpOption.RequestedIpAddress(ip("192.168.122.55"))).option(new DhcpOption.End()).padTo(300).build());
        rig.settle();
        rig.receive(DhcpRig.select(OTHER, 7, ip("192.168.122.55")));
        rig.echoes.clear();

        rig.receive(DhcpRig.discover(DhcpRig.GUEST, 8));
        rig.settle();

        assertThat(rig.echoes).extracting(DhcpRig.Echo::target).containsExactly(ip("192.168.122.57"));
        assertThat(rig.last().message().yiaddr()).isEqualTo(ip("192.168.122.57"));
    }

    @Test
    void theServersOwnAddressIsNeverOffered() {
        // a pool .1-.3 on the server's subnet: find a MAC whose hash starts the walk at .1, the server
        MacAddress mac = macWithOffset(0, 3);
        DhcpRig rig = new DhcpRig(DnsmasqSettings.builder("virbr0")
                .dhcpRange(DhcpRange.of("192.168.122.1", "192.168.122.3", "255.255.255.0", LeaseTime.DEFAULT)).build());

        rig.receive(DhcpRig.discover(mac, 1));
        rig.settle();

        assertThat(rig.last().message().yiaddr()).isEqualTo(ip("192.168.122.2"));
    }

    @Test
    void classCAddressesEndingIn255Or0AreSkippedEvenInsideASupernet() {
        ServedInterface wide = new ServedInterface("virbr0", ip("192.168.122.1"), 23);
        DnsmasqSettings settings = DnsmasqSettings.builder("virbr0")
                .dhcpRange(DhcpRange.of("192.168.122.250", "192.168.123.10", "255.255.254.0", LeaseTime.DEFAULT)).build();
        MacAddress mac = macWithOffset(5, 17); // starts at 192.168.122.255
        Lease offered = offerOn(wide, settings, mac);
        assertThat(offered.address()).isEqualTo(ip("192.168.123.1"));
    }

    @Test
    void aReturningClientGetsItsLeasedAddressBackWithoutAPing() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());
        Ipv4Address first = rig.lease(DhcpRig.GUEST, 1);
        rig.lab.scheduler().runFor(60_000_000_000L); // past the ping cache's 30 s
        rig.echoes.clear();

        rig.receive(DhcpRig.discover(DhcpRig.GUEST, 2));

        assertThat(rig.echoes).isEmpty();
        assertThat(rig.last().message().yiaddr()).isEqualTo(first);
    }

    @Test
    void aRequestedAddressIsOfferedWhenFreeAndPingedFirst() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());
        rig.receive(DhcpRig.client(DhcpRig.GUEST, 1, DhcpMessageType.DISCOVER)
                .option(new DhcpOption.RequestedIpAddress(ip("192.168.122.100"))).option(new DhcpOption.End()).padTo(300).build());
        rig.settle();

        assertThat(rig.echoes).extracting(DhcpRig.Echo::target).containsExactly(ip("192.168.122.100"));
        assertThat(rig.last().message().yiaddr()).isEqualTo(ip("192.168.122.100"));
        assertThat(rig.log.texts()).contains("DHCPDISCOVER(virbr0) 192.168.122.100 52:54:00:aa:bb:01 ");
    }

    @Test
    void aRequestedAddressInUseFallsBackToTheHashedChoice() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());
        rig.inUse.add(ip("192.168.122.100"));
        rig.receive(DhcpRig.client(DhcpRig.GUEST, 1, DhcpMessageType.DISCOVER)
                .option(new DhcpOption.RequestedIpAddress(ip("192.168.122.100"))).option(new DhcpOption.End()).padTo(300).build());
        rig.settle();

        assertThat(rig.echoes).extracting(DhcpRig.Echo::target).containsExactly(ip("192.168.122.100"), ip("192.168.122.55"));
        assertThat(rig.last().message().yiaddr()).isEqualTo(ip("192.168.122.55"));
    }

    @Test
    void aDiscoverArrivingDuringThePingWaitIsHandledAfterIt() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());
        rig.receive(DhcpRig.discover(DhcpRig.GUEST, 1));
        rig.lab.scheduler().runFor(1_000_000_000L);
        rig.receive(DhcpRig.discover(OTHER, 2));
        assertThat(rig.echoes).as("the second client waits in the socket").hasSize(1);

        rig.settle();

        assertThat(rig.sent).extracting(s -> s.message().xid()).containsExactly(1, 2);
        assertThat(rig.sent).extracting(DhcpRig.Sent::nanos).containsExactly(3_000_000_000L, 6_000_000_000L);
    }

    /** A MAC whose hash puts the walk's start at {@code offset} in a pool of {@code size}. */
    private static MacAddress macWithOffset(long offset, long size) {
        for (int i = 0; i < 65536; i++) {
            MacAddress m = MacAddress.parse(String.format("52:54:00:00:%02x:%02x", i >> 8, i & 0xff));
            if (AddressHash.offset(AddressHash.sdbm(m.toBytes()), 0, size) == offset) return m;
        }
        throw new AssertionError("no MAC found");
    }

    private static Lease offerOn(ServedInterface iface, DnsmasqSettings settings, MacAddress mac) {
        DhcpRig probe = new DhcpRig(settings);
        List<DhcpRig.Sent> sent = new java.util.ArrayList<>();
        DhcpServer server = new DhcpServer(probe.lab, settings, iface, new LeaseDatabase(10), List.of(), probe.log,
                new DhcpPort() {
                    @Override public void send(DhcpReply reply) { sent.add(new DhcpRig.Sent(probe.lab.now(), reply)); }
                    @Override public void sendEcho(Ipv4Address s, Ipv4Address t, int id) { }
                }, probe.lab.random("x"));
        server.receive(DhcpDatagram.broadcast(DhcpRig.discover(mac, 1).toBytes()));
        probe.settle();
        DhcpMessage m = sent.get(0).message();
        return new Lease(m.yiaddr(), mac, Optional.empty(), Optional.empty(), Optional.empty(), 0, false, 0);
    }
}
