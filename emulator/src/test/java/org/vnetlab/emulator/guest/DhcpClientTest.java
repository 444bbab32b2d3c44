package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.dhcp.DhcpOption;
import org.vnetlab.protocols.ethernet.EthernetFrame;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.pcap.PcapReader;
import org.vnetlab.protocols.pcap.PcapRecord;
import org.vnetlab.protocols.udp.UdpDatagram;

/** The three DHCP clients: their bytes, their timing, and what the commands driving them print. */
class DhcpClientTest {
    private static final int XID_OFFSET = 14 + 20 + 8 + 4;
    private static final int UDP_CHECKSUM_OFFSET = 14 + 20 + 6;

    private static Path shared() {
        return Path.of(System.getProperty("vnetlab.shared", "../../shared"));
    }

    /** Client frames of the reference capture (udhcpc 1.35.0), in order. */
    private static List<byte[]> capturedClientFrames() throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (PcapRecord rec : PcapReader.read(shared().resolve("ref/captures/article/guest-eth0.pcap"))) {
            EthernetFrame eth = EthernetFrame.checked(Unpooled.wrappedBuffer(rec.data()));
            if (eth.etherType().value() != 0x0800) continue;
            Ipv4Packet ip = Ipv4Packet.checked(eth.payload());
            if (ip.protocol().value() == 17 && UdpDatagram.checked(ip.payload()).destinationPort() == 67) out.add(rec.data());
        }
        return out;
    }

    private static DhcpMessage dhcp(byte[] frame) throws Exception {
        Ipv4Packet ip = Ipv4Packet.checked(EthernetFrame.checked(Unpooled.wrappedBuffer(frame)).payload());
        return DhcpMessage.parse(UdpDatagram.checked(ip.payload()).payload());
    }

    private static List<byte[]> sentDhcp(Rig rig) {
        List<byte[]> out = new ArrayList<>();
        for (Rig.WireFrame f : rig.wire) {
            if (f.sent() && f.bytes().length > 42 && f.bytes()[12] == 8 && f.bytes()[13] == 0 && f.bytes()[23] == 17
                    && (f.bytes()[36] & 0xff) == 0 && (f.bytes()[37] & 0xff) == 67) {
                out.add(f.bytes());
            }
        }
        return out;
    }

    private static List<Integer> codes(DhcpMessage m) {
        List<Integer> out = new ArrayList<>();
        for (DhcpOption o : m.options()) out.add(o.code());
        return out;
    }

    @Test
    void udhcpcDiscoverIsTheCapturedFrameByteForByteButForTheTransactionId() throws Exception {
        Rig rig = new Rig(OsProfile.busybox("guest"));
        rig.guest.run("udhcpc -i eth0 -n -q");
        byte[] ours = sentDhcp(rig).get(0);
        byte[] captured = capturedClientFrames().get(0).clone();
        assertThat(ours).hasSize(342);
        // the xid is random per run; the UDP checksum covers it
        System.arraycopy(ours, XID_OFFSET, captured, XID_OFFSET, 4);
        System.arraycopy(ours, UDP_CHECKSUM_OFFSET, captured, UDP_CHECKSUM_OFFSET, 2);
        assertThat(ours).isEqualTo(captured);
        Ipv4Packet ip = Ipv4Packet.checked(EthernetFrame.checked(Unpooled.wrappedBuffer(ours)).payload());
        assertThat(UdpDatagram.checked(ip.payload()).verifyChecksum(ip.source(), ip.destination())).isTrue();
    }

    @Test
    void udhcpcWithoutAServerRetriesThreeTimesThreeSecondsApartThenFails() throws Exception {
        Rig rig = new Rig(OsProfile.busybox("guest"));
        long start = rig.lab.now();
        CommandResult r = rig.guest.run("udhcpc -i eth0 -n");
        assertThat(r.output()).isEqualTo("""
                udhcpc: started, v1.35.0
                udhcpc: broadcasting discover
                udhcpc: broadcasting discover
                udhcpc: broadcasting discover
                udhcpc: no lease, failing
                """);
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(rig.lab.now() - start).isEqualTo(9_000_000_000L);
        List<byte[]> sent = sentDhcp(rig);
        assertThat(sent).hasSize(3);
        // secs counts from the first DISCOVER, as in the capture's second DISCOVER (secs 3)
        assertThat(dhcp(sent.get(1)).secs()).isEqualTo(3);
        assertThat(dhcp(sent.get(2)).secs()).isEqualTo(6);
        assertThat(dhcp(sent.get(0)).xid()).isEqualTo(dhcp(sent.get(2)).xid());
    }

    @Test
    void udhcpcGetsALeaseAndItsRequestHasTheCapturedOptions() throws Exception {
        Rig rig = new Rig(OsProfile.busybox("guest"));
        TinyDhcpServer server = rig.dhcpServer();
        CommandResult r = rig.guest.run("udhcpc -i eth0 -n -q");
        assertThat(r.output()).isEqualTo("""
                udhcpc: started, v1.35.0
                udhcpc: broadcasting discover
                udhcpc: broadcasting select for 192.168.122.55, server 192.168.122.1
                udhcpc: lease of 192.168.122.55 obtained from 192.168.122.1, lease time 3600
                """);
        assertThat(r.outcome()).isEqualTo(new Outcome.Lease(Rig.GUEST_IP, 24, java.util.Optional.of(Rig.GATEWAY),
                List.of(Rig.GATEWAY), Rig.GATEWAY, 3600));
        DhcpMessage ourRequest = server.messages().get(1);
        DhcpMessage capturedRequest = dhcp(capturedClientFrames().get(2));
        assertThat(capturedRequest.messageType()).contains(DhcpMessageType.REQUEST);
        assertThat(ourRequest.options()).isEqualTo(capturedRequest.options());
        assertThat(rig.guest.run("ip addr show dev eth0").output()).isEqualTo("""
                2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000
                    link/ether 52:54:00:aa:bb:01 brd ff:ff:ff:ff:ff:ff
                    inet 192.168.122.55/24 brd 192.168.122.255 scope global eth0
                       valid_lft forever preferred_lft forever
                """);
        assertThat(rig.guest.run("ip route").output()).isEqualTo("""
                default via 192.168.122.1 dev eth0
                192.168.122.0/24 dev eth0 proto kernel scope link src 192.168.122.55
                """);
        assertThat(rig.guest.run("ping -c 1 8.8.8.8").outcome()).isInstanceOf(Outcome.Reply.class);
    }

    @Test
    void windowsDiscoverAndRequestCarryWindowsOptions() throws Exception {
        Rig rig = new Rig(OsProfile.windows10("WIN10"));
        TinyDhcpServer server = rig.dhcpServer();
        CommandResult r = rig.guest.run("ipconfig /renew");
        DhcpMessage discover = server.messages().get(0);
        DhcpMessage request = server.messages().get(1);
        assertThat(codes(discover)).containsExactly(53, 57, 61, 12, 60, 55, 255);
        assertThat(codes(request)).containsExactly(53, 57, 61, 50, 54, 12, 81, 60, 55, 255);
        assertThat(discover.option(DhcpOption.ParameterRequestList.class).orElseThrow().codes())
                .containsExactly(1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252);
        assertThat(discover.option(DhcpOption.MaxMessageSize.class).orElseThrow().size()).isEqualTo(1500);
        assertThat(discover.option(DhcpOption.VendorClassId.class).orElseThrow().id()).isEqualTo("MSFT 5.0");
        assertThat(discover.option(DhcpOption.ClientIdentifier.class).orElseThrow()).isEqualTo(DhcpOption.ClientIdentifier.of(Rig.GUEST_MAC));
        assertThat(discover.option(DhcpOption.HostName.class).orElseThrow().name()).isEqualTo("WIN10");
        assertThat(request.option(DhcpOption.ClientFqdn.class).orElseThrow()).isEqualTo(new DhcpOption.ClientFqdn(0, 0, 0, "WIN10"));
        assertThat(request.option(DhcpOption.RequestedIpAddress.class).orElseThrow().address()).isEqualTo(Rig.GUEST_IP);
        assertThat(discover.broadcast()).isFalse();
        assertThat(discover.length()).isEqualTo(300);
        Ipv4Packet ip = Ipv4Packet.checked(EthernetFrame.checked(Unpooled.wrappedBuffer(server.seen.get(0).frame())).payload());
        assertThat(ip.ttl()).isEqualTo(128);
        assertThat(ip.source()).isEqualTo(Ipv4Address.ANY);
        assertThat(ip.destination()).isEqualTo(Ipv4Address.BROADCAST);
        assertThat(r.output()).isEqualTo("""

                Windows IP Configuration


                Ethernet adapter Ethernet:

                   Connection-specific DNS Suffix  . :
                   IPv4 Address. . . . . . . . . . . : 192.168.122.55
                   Subnet Mask . . . . . . . . . . . : 255.255.255.0
                   Default Gateway . . . . . . . . . : 192.168.122.1
                """);
    }

    @Test
    void windowsRenewWithoutAServerFailsAfterAboutAMinuteAndFallsBackToApipa() throws Exception {
        Rig rig = new Rig(OsProfile.windows10("WIN10"));
        TinyDhcpServer server = rig.dhcpServer();
        server.answering = false;
        long start = rig.lab.now();
        CommandResult r = rig.guest.run("ipconfig /renew");
        assertThat(r.output()).isEqualTo("""

                Windows IP Configuration

                An error occurred while renewing interface Ethernet : unable to contact your DHCP server. Request has timed out.
                """);
        assertThat(r.exitStatus()).isEqualTo(1);
        List<Long> at = new ArrayList<>();
        for (TinyDhcpServer.Seen s : server.seen) at.add((s.atNanos() - start) / 1_000_000);
        assertThat(at).hasSize(4);
        // RFC 2131's 4, 8, 16 s back-off, each ±1 s; then 32 ±1 s before giving up
        assertThat(at.get(1) - at.get(0)).isBetween(3000L, 5000L);
        assertThat(at.get(2) - at.get(1)).isBetween(7000L, 9000L);
        assertThat(at.get(3) - at.get(2)).isBetween(15000L, 17000L);
        assertThat((rig.lab.now() - start) / 1_000_000 - at.get(3)).isBetween(31000L, 33000L);
        for (DhcpMessage m : server.messages()) assertThat(m.broadcast()).isFalse();
        Outcome.Autoconfigured apipa = (Outcome.Autoconfigured) r.outcomes().get(0);
        assertThat(apipa.address().inPrefix(Ipv4Address.parse("169.254.0.0"), 16)).isTrue();
        assertThat(rig.guest.run("ipconfig").output())
                .contains("   Autoconfiguration IPv4 Address. . : " + apipa.address() + "\n")
                .contains("   Subnet Mask . . . . . . . . . . . : 255.255.0.0\n")
                .contains("   Default Gateway . . . . . . . . . :\n");
        // the next acquisition starts with the broadcast flag toggled (Windows 7 and later)
        server.answering = true;
        rig.guest.run("ipconfig /renew");
        assertThat(server.messages().get(4).broadcast()).isTrue();
    }

    @Test
    void windowsReleaseSendsDhcpReleaseAndClearsTheAddress() throws Exception {
        Rig rig = new Rig(OsProfile.windows10("WIN10"));
        TinyDhcpServer server = rig.dhcpServer();
        rig.guest.run("ipconfig /renew");
        CommandResult r = rig.guest.run("ipconfig /release");
        DhcpMessage release = server.messages().get(server.messages().size() - 1);
        assertThat(release.messageType()).contains(DhcpMessageType.RELEASE);
        assertThat(release.ciaddr()).isEqualTo(Rig.GUEST_IP);
        assertThat(release.option(DhcpOption.ServerIdentifier.class).orElseThrow().address()).isEqualTo(Rig.GATEWAY);
        assertThat(r.output()).isEqualTo("""

                Windows IP Configuration


                Ethernet adapter Ethernet:

                   Connection-specific DNS Suffix  . :
                   Default Gateway . . . . . . . . . :
                """);
        assertThat(r.outcome()).isEqualTo(new Outcome.Released(java.util.Optional.of(Rig.GUEST_IP)));
        assertThat(rig.guest.config()).isEmpty();
    }

    @Test
    void ipconfigAllShowsTheLease() {
        Rig rig = new Rig(OsProfile.windows10("WIN10"));
        rig.dhcpServer();
        rig.guest.run("ipconfig /renew");
        assertThat(rig.guest.run("ipconfig /all").output()).isEqualTo("""

                Windows IP Configuration

                   Host Name . . . . . . . . . . . . : WIN10
                   Primary Dns Suffix  . . . . . . . :
                   Node Type . . . . . . . . . . . . : Hybrid
                   IP Routing Enabled. . . . . . . . : No
                   WINS Proxy Enabled. . . . . . . . : No

                Ethernet adapter Ethernet:

                   Connection-specific DNS Suffix  . :
                   Description . . . . . . . . . . . : Red Hat VirtIO Ethernet Adapter
                   Physical Address. . . . . . . . . : 52-54-00-AA-BB-01
                   DHCP Enabled. . . . . . . . . . . : Yes
                   Autoconfiguration Enabled . . . . : Yes
                   IPv4 Address. . . . . . . . . . . : 192.168.122.55(Preferred)
                   Subnet Mask . . . . . . . . . . . : 255.255.255.0
                   Lease Obtained. . . . . . . . . . : Thursday, November 26, 2026 6:00:00 AM
                   Lease Expires . . . . . . . . . . : Thursday, November 26, 2026 7:00:00 AM
                   Default Gateway . . . . . . . . . : 192.168.122.1
                   DHCP Server . . . . . . . . . . . : 192.168.122.1
                   DNS Servers . . . . . . . . . . . : 192.168.122.1
                   NetBIOS over Tcpip. . . . . . . . : Enabled
                """);
    }

    @Test
    void dhclientVerboseLeaseThenRelease() throws Exception {
        Rig rig = new Rig(OsProfile.debian("debian"));
        TinyDhcpServer server = rig.dhcpServer();
        CommandResult r = rig.guest.run("dhclient -v eth0");
        assertThat(r.output()).isEqualTo("""
                Internet Systems Consortium DHCP Client 4.4.3-P1
                Copyright 2004-2022 Internet Systems Consortium.
                All rights reserved.
                For info, please visit https://www.isc.org/software/dhcp/

                Listening on LPF/eth0/52:54:00:aa:bb:01
                Sending on   LPF/eth0/52:54:00:aa:bb:01
                Sending on   Socket/fallback
                DHCPDISCOVER on eth0 to 255.255.255.255 port 67 interval 3
                DHCPOFFER of 192.168.122.55 from 192.168.122.1
                DHCPREQUEST for 192.168.122.55 on eth0 to 255.255.255.255 port 67
                DHCPACK of 192.168.122.55 from 192.168.122.1
                bound to 192.168.122.55 -- renewal in 1800 seconds.
                """);
        DhcpMessage discover = server.messages().get(0);
        assertThat(codes(discover)).containsExactly(53, 12, 55, 255);
        Ipv4Packet ip = Ipv4Packet.checked(EthernetFrame.checked(Unpooled.wrappedBuffer(server.seen.get(0).frame())).payload());
        assertThat(ip.tos()).isEqualTo(0x10);
        assertThat(ip.ttl()).isEqualTo(128);
        assertThat(ip.identification()).isZero();
        assertThat(rig.guest.run("ip addr show dev eth0").output())
                .contains("inet 192.168.122.55/24 brd 192.168.122.255 scope global dynamic eth0\n       valid_lft 3600sec preferred_lft 3600sec\n");
        CommandResult release = rig.guest.run("dhclient -r");
        assertThat(release.output()).isEmpty();
        assertThat(server.messages().get(server.messages().size() - 1).messageType()).contains(DhcpMessageType.RELEASE);
        assertThat(rig.guest.run("ip route").output()).isEmpty();
    }

    @Test
    void aNakRestartsFromDiscover() {
        Rig rig = new Rig(OsProfile.busybox("guest"));
        TinyDhcpServer server = rig.dhcpServer();
        server.nak = true;
        rig.lab.scheduler().schedule(1_000_000_000L, "server recovers", () -> server.nak = false);
        CommandResult r = rig.guest.run("udhcpc -i eth0 -n");
        assertThat(r.output()).contains("udhcpc: received NAK\n").endsWith("udhcpc: lease of 192.168.122.55 obtained from 192.168.122.1, lease time 3600\n");
    }

    @Test
    void startDhcpAtBootBindsInTheBackground() {
        Rig rig = new Rig(OsProfile.windows10("WIN10"));
        rig.dhcpServer();
        rig.guest.startDhcp();
        rig.lab.scheduler().runFor(1_000_000_000L);
        assertThat(rig.guest.lease()).isPresent();
        assertThat(rig.guest.config().orElseThrow().address()).isEqualTo(Rig.GUEST_IP);
    }
}
