package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.arp.ArpOperation;
import org.vnetlab.protocols.arp.ArpPacket;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetFrame;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.udp.UdpDatagram;

/**
 * A DHCP client's unicasts to its server (DHCPRELEASE, the REQUEST of RENEWING) seen on the guest's wire. The
 * real clients send them through a kernel UDP socket, not their packet socket: ISC dhclient's fallback socket,
 * busybox udhcpc's throwaway socket bound to ciaddr:68 and connected to the server, Windows' DHCP service socket.
 * So the guest's stack writes the IP header (Linux: TOS 0, TTL 64, DF as IP_PMTUDISC_WANT sets it; Windows:
 * TTL 128, no DF, the one global IP ID counter) and ARPs for the server first when its MAC is not cached; and
 * dhclient-script's flush of the address right after a RELEASE drops that RELEASE if it still waits for ARP.
 */
class DhcpUnicastOnTheWireTest {
    private static final MacAddress HOST_MAC = MacAddress.parse("52:54:00:73:62:06");

    /** One frame the guest sent, decoded. */
    private record Sent(long at, EthernetFrame eth) {
        boolean isArp() { return eth.etherType().equals(EtherType.ARP); }

        ArpPacket arp() throws ParseException { return ArpPacket.checked(eth.payload()); }

        Ipv4Packet ip() throws ParseException { return Ipv4Packet.checked(eth.payload()); }

        DhcpMessage dhcp() throws ParseException { return DhcpMessage.parse(UdpDatagram.checked(ip().payload()).payload()); }
    }

    private static List<Sent> sentFrom(Rig rig, int index) throws ParseException {
        List<Sent> out = new ArrayList<>();
        for (int i = index; i < rig.wire.size(); i++) {
            Rig.WireFrame f = rig.wire.get(i);
            if (f.sent()) out.add(new Sent(f.atNanos(), EthernetFrame.checked(Unpooled.wrappedBuffer(f.bytes()))));
        }
        return out;
    }

    /** The header a Linux kernel UDP socket writes with default options, checked field by field. */
    private static void assertLinuxKernelUdpHeader(Ipv4Packet ip) throws ParseException {
        assertThat(ip.version()).isEqualTo(4);
        assertThat(ip.headerLength()).isEqualTo(20);
        assertThat(ip.tos()).as("TOS: no IPTOS_LOWDELAY, that is ISC's own raw header").isZero();
        assertThat(ip.ttl()).as("TTL: ip_default_ttl, not ISC's raw 128").isEqualTo(64);
        assertThat(ip.dontFragment()).as("DF: IP_PMTUDISC_WANT on a datagram that fits").isTrue();
        assertThat(ip.isFragment()).isFalse();
        assertThat(ip.totalLength()).isEqualTo(20 + 8 + 300);
        assertThat(ip.verifyChecksum()).isTrue();
        UdpDatagram udp = UdpDatagram.checked(ip.payload());
        assertThat(udp.sourcePort()).isEqualTo(68);
        assertThat(udp.destinationPort()).isEqualTo(67);
        assertThat(udp.length()).isEqualTo(308);
        ByteBuf l4 = ip.payload();
        assertThat(InternetChecksum.computeWithPseudoHeader(l4, l4.readerIndex(), l4.readableBytes(),
                ip.source().bits(), ip.destination().bits(), 17)).as("UDP checksum verifies").isZero();
    }

    @Test
    void dhclientReleaseArpsForTheServerThenLeavesThroughTheKernelSocketBeforeTheScriptFlushesTheAddress() throws Exception {
        Rig rig = new Rig(OsProfile.debian("debian"));
        TinyDhcpServer server = rig.dhcpServer();
        rig.guest.run("dhclient eth0");
        assertThat(rig.guest.stack().neighbours().lookup("eth0", Rig.GATEWAY))
                .as("nothing in the exchange taught the guest the server's MAC").isEmpty();
        int mark = rig.wire.size();

        CommandResult r = rig.guest.run("dhclient -r");

        assertThat(r.exitStatus()).isZero();
        List<Sent> sent = sentFrom(rig, mark);
        assertThat(sent).hasSize(2);
        ArpPacket who = sent.get(0).arp();
        assertThat(who.operation()).isEqualTo(ArpOperation.REQUEST);
        assertThat(who.senderIp()).isEqualTo(Rig.GUEST_IP);
        assertThat(who.targetIp()).isEqualTo(Rig.GATEWAY);
        assertThat(sent.get(0).eth().destination()).isEqualTo(MacAddress.BROADCAST);

        Sent release = sent.get(1);
        assertThat(release.eth().destination()).isEqualTo(HOST_MAC);
        assertThat(release.eth().source()).isEqualTo(Rig.GUEST_MAC);
        Ipv4Packet ip = release.ip();
        assertThat(ip.source()).isEqualTo(Rig.GUEST_IP);
        assertThat(ip.destination()).isEqualTo(Rig.GATEWAY);
        assertLinuxKernelUdpHeader(ip);
        DhcpMessage m = release.dhcp();
        assertThat(m.messageType()).contains(DhcpMessageType.RELEASE);
        assertThat(m.ciaddr()).isEqualTo(Rig.GUEST_IP);
        assertThat(server.messages().get(server.messages().size() - 1).messageType()).contains(DhcpMessageType.RELEASE);

        // the script's flush came after: the address is gone, and with the last address the ARP cache too
        assertThat(rig.guest.config()).isEmpty();
        assertThat(rig.guest.stack().neighbours().lookup("eth0", Rig.GATEWAY)).isEmpty();
    }

    @Test
    void aReleaseStillWaitingForArpWhenTheScriptFlushesTheAddressIsDroppedWithTheNeighbourEntry() throws Exception {
        Rig rig = new Rig(OsProfile.debian("debian"));
        TinyDhcpServer server = rig.dhcpServer();
        rig.guest.run("dhclient eth0");
        // the server's address stops answering ARP (the DHCP server itself still listens on its packet socket)
        rig.host.removeAddress("virbr0", Rig.GATEWAY);
        int seenBefore = server.messages().size();
        int mark = rig.wire.size();

        rig.guest.run("dhclient -r");
        rig.lab.scheduler().runFor(10_000_000_000L);

        List<Sent> sent = sentFrom(rig, mark);
        assertThat(sent).as("one ARP request, then nothing: the flush killed the entry, its retries and its queue")
                .hasSize(1);
        assertThat(sent.get(0).isArp()).isTrue();
        assertThat(sent.get(0).arp().targetIp()).isEqualTo(Rig.GATEWAY);
        assertThat(server.messages()).hasSize(seenBefore);
        assertThat(rig.guest.config()).isEmpty();
    }

    @Test
    void udhcpcRenewsFromAThrowawaySocketBoundToItsAddressWhileItsListeningSocketSharesPort68() throws Exception {
        Rig rig = new Rig(OsProfile.busybox("guest"));
        TinyDhcpServer server = rig.dhcpServer();
        rig.guest.run("udhcpc -i eth0 -n -q");
        DhcpLease lease = rig.guest.lease().orElseThrow();
        int mark = rig.wire.size();
        List<DhcpLease> renewed = new ArrayList<>();

        rig.guest.dhcp().renew(lease, new DhcpClient.Listener() {
            @Override public void bound(DhcpLease l) {
                rig.guest.bound(l);
                renewed.add(l);
            }

            @Override public void failed() { }
        });
        rig.lab.scheduler().runFor(1_000_000_000L);

        assertThat(renewed).hasSize(1);
        List<Sent> sent = sentFrom(rig, mark);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).arp().targetIp()).isEqualTo(Rig.GATEWAY);
        Ipv4Packet ip = sent.get(1).ip();
        assertThat(ip.source()).isEqualTo(Rig.GUEST_IP);
        assertThat(ip.destination()).isEqualTo(Rig.GATEWAY);
        assertLinuxKernelUdpHeader(ip);
        DhcpMessage request = sent.get(1).dhcp();
        assertThat(request.messageType()).contains(DhcpMessageType.REQUEST);
        assertThat(request.ciaddr()).isEqualTo(Rig.GUEST_IP);
        assertThat(server.messages().get(server.messages().size() - 1).ciaddr()).isEqualTo(Rig.GUEST_IP);
        // the renewal kept the address, so the entry the renew's ARP made is still there for the next packet
        assertThat(rig.guest.stack().neighbours().lookup("eth0", Rig.GATEWAY)).isPresent();
    }

    @Test
    void windowsRenewsThroughItsStackTtl128NoDfAndTheSameIpIdCounterAsItsPings() throws Exception {
        Rig rig = new Rig(OsProfile.windows10("WIN10"));
        rig.dhcpServer();
        rig.guest.run("ipconfig /renew");
        int mark = rig.wire.size();

        rig.guest.run("ipconfig /renew");
        rig.guest.run("ping -n 1 192.168.122.1");

        List<Ipv4Packet> ip = new ArrayList<>();
        for (Sent s : sentFrom(rig, mark)) if (!s.isArp()) ip.add(s.ip());
        assertThat(ip).hasSize(2);
        Ipv4Packet renew = ip.get(0);
        assertThat(renew.source()).isEqualTo(Rig.GUEST_IP);
        assertThat(renew.destination()).isEqualTo(Rig.GATEWAY);
        assertThat(renew.ttl()).isEqualTo(128);
        assertThat(renew.tos()).isZero();
        assertThat(renew.dontFragment()).isFalse();
        assertThat(UdpDatagram.checked(renew.payload()).sourcePort()).isEqualTo(68);
        assertThat(DhcpMessage.parse(UdpDatagram.checked(renew.payload()).payload()).messageType())
                .contains(DhcpMessageType.REQUEST);
        Ipv4Packet echo = ip.get(1);
        assertThat(echo.protocol().value()).isEqualTo(1);
        assertThat(echo.identification()).as("one global IP ID counter").isEqualTo((renew.identification() + 1) & 0xffff);
    }

    @Test
    void windowsReleaseLeavesBeforeTheAddressGoesAndIpconfigPrintsTheAdapterWithoutIt() throws Exception {
        Rig rig = new Rig(OsProfile.windows10("WIN10"));
        TinyDhcpServer server = rig.dhcpServer();
        rig.guest.run("ipconfig /renew");
        int mark = rig.wire.size();

        CommandResult r = rig.guest.run("ipconfig /release");

        assertThat(r.output()).doesNotContain("192.168.122.55");
        List<Sent> sent = sentFrom(rig, mark);
        Sent release = sent.get(sent.size() - 1);
        assertThat(release.dhcp().messageType()).contains(DhcpMessageType.RELEASE);
        assertThat(release.ip().source()).isEqualTo(Rig.GUEST_IP);
        assertThat(release.ip().ttl()).isEqualTo(128);
        assertThat(server.messages().get(server.messages().size() - 1).messageType()).contains(DhcpMessageType.RELEASE);
        assertThat(rig.guest.config()).isEmpty();
    }

    /** The lease and renew exchanges themselves are untouched: broadcasts still come from 0.0.0.0 by packet socket. */
    @Test
    void broadcastsStillCarryTheClientsOwnHeader() throws Exception {
        Rig rig = new Rig(OsProfile.debian("debian"));
        rig.dhcpServer();
        rig.guest.run("dhclient eth0");
        Sent discover = sentFrom(rig, 0).stream().filter(s -> !s.isArp()).findFirst().orElseThrow();
        Ipv4Packet ip = discover.ip();
        assertThat(ip.source()).isEqualTo(Ipv4Address.ANY);
        assertThat(ip.tos()).isEqualTo(0x10);
        assertThat(ip.ttl()).isEqualTo(128);
        assertThat(ip.identification()).isZero();
    }
}
