package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.stack.Mib;
import org.vnetlab.emulator.stack.SocketException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/**
 * Who answers a unicast to the guest's UDP port 68, client by client, seen on the guest's wire: the guest's kernel
 * sends ICMP port unreachable exactly when no UDP socket is bound there and the destination is one of its
 * addresses. Windows' DHCP service and a running ISC dhclient always hold the port; busybox udhcpc only while
 * RENEWING. A unicast OFFER/ACK that comes before the client has bound its address is not local to the kernel:
 * dropped quietly (forwarding off: ip_error counts InAddrErrors and sends nothing).
 */
class DhcpClientPortTest {

    /** ICMP destination unreachable, code 3 (port), that the guest put on its wire. */
    private static List<Ipv4Packet> portUnreachables(Rig rig) {
        List<Ipv4Packet> out = new ArrayList<>();
        for (Ipv4Packet ip : rig.sentIp(1)) {
            var p = ip.payload();
            if (p.getUnsignedByte(p.readerIndex()) == 3 && p.getUnsignedByte(p.readerIndex() + 1) == 3) out.add(ip);
        }
        return out;
    }

    /** A stray unicast from the host to {@code to}:68, as a late or duplicate unicast reply of a server. */
    private static void strayReply(Rig rig, Ipv4Address to) throws SocketException {
        var s = rig.host.openUdp();
        s.sendTo(to, 68, new byte[] {2, 1, 6, 0});
        rig.lab.scheduler().runFor(100_000_000L);
        s.close();
    }

    @Test
    void udhcpcTakesItsUnicastAckBeforeBindingSoTheKernelDropsItQuietlyButABoundUdhcpcHasNoSocket() throws Exception {
        Rig rig = new Rig(OsProfile.busybox("guest"), 1, true);
        WithDnsmasqTest.dnsmasq(rig);
        long addrErrors = rig.guest.stack().counter(Mib.IP_IN_ADDR_ERRORS);
        CommandResult r = rig.guest.run("udhcpc -i eth0 -n -q");
        assertThat(r.outcome()).isInstanceOf(Outcome.Lease.class);
        // dnsmasq unicast its OFFERs and the ACK to 192.168.122.55 (flags 0), after pinging it: none was the
        // guest's address yet, each one an InAddrErrors drop
        assertThat(unicastsTo68(rig)).isGreaterThanOrEqualTo(2);
        assertThat(rig.guest.stack().counter(Mib.IP_IN_ADDR_ERRORS) - addrErrors).isEqualTo(unicasts(rig, false));
        assertThat(portUnreachables(rig)).isEmpty();
        assertThat(rig.guest.dhcp().holdsClientPort()).isFalse();

        strayReply(rig, Rig.GUEST_IP);
        List<Ipv4Packet> icmp = portUnreachables(rig);
        assertThat(icmp).hasSize(1);
        assertThat(icmp.get(0).source()).isEqualTo(Rig.GUEST_IP);
        assertThat(icmp.get(0).destination()).isEqualTo(Rig.GATEWAY);
    }

    @Test
    void udhcpcHoldsPort68OnlyWhileRenewing() {
        Rig rig = new Rig(OsProfile.busybox("guest"));
        rig.dhcpServer();
        rig.guest.run("udhcpc -i eth0 -n -q");
        DhcpLease lease = rig.guest.lease().orElseThrow();
        List<Boolean> heldWhileRenewing = new ArrayList<>();
        rig.guest.dhcp().renew(lease, new DhcpClient.Listener() {
            @Override public void requestSent(Ipv4Address address, Ipv4Address server) {
                heldWhileRenewing.add(rig.guest.dhcp().holdsClientPort());
            }
            @Override public void bound(DhcpLease l) { rig.guest.bound(l); }
            @Override public void failed() { }
        });
        rig.lab.scheduler().runFor(1_000_000_000L);
        assertThat(heldWhileRenewing).containsExactly(true);
        assertThat(rig.guest.dhcp().holdsClientPort()).isFalse();
        assertThat(portUnreachables(rig)).isEmpty();
    }

    @Test
    void dhclientsFallbackSocketConsumesUnicastRepliesForTheDaemonsLifetime() throws Exception {
        Rig rig = new Rig(OsProfile.debian("debian"), 1, true);
        WithDnsmasqTest.dnsmasq(rig);
        CommandResult r = rig.guest.run("dhclient -v eth0");
        assertThat(r.outcome()).isInstanceOf(Outcome.Lease.class);
        assertThat(rig.guest.dhcp().holdsClientPort()).isTrue();
        strayReply(rig, Rig.GUEST_IP);
        assertThat(portUnreachables(rig)).isEmpty();

        // flushing the address leaves dhclient running; a reply to the old address is not local any more
        long addrErrors = rig.guest.stack().counter(Mib.IP_IN_ADDR_ERRORS);
        rig.guest.run("ip addr flush dev eth0");
        assertThat(rig.guest.dhcp().holdsClientPort()).isTrue();
        strayReply(rig, Rig.GUEST_IP);
        assertThat(portUnreachables(rig)).isEmpty();
        assertThat(rig.guest.stack().counter(Mib.IP_IN_ADDR_ERRORS) - addrErrors).isEqualTo(1);
    }

    @Test
    void dhclientMinusXEndsTheDaemonAndFlushesTheAddressAfterwardsPort68IsClosed() throws Exception {
        Rig rig = new Rig(OsProfile.debian("debian"));
        TinyDhcpServer server = rig.dhcpServer();
        rig.guest.run("dhclient eth0");
        int sent = server.messages().size();
        CommandResult x = rig.guest.run("dhclient -x");
        assertThat(x.exitStatus()).isZero();
        assertThat(server.messages()).hasSize(sent); // -x sends nothing
        assertThat(rig.guest.config()).isEmpty();
        assertThat(rig.guest.dhcp().holdsClientPort()).isFalse();
        rig.guest.run("ip addr add 192.168.122.55/24 dev eth0");
        strayReply(rig, Rig.GUEST_IP);
        assertThat(portUnreachables(rig)).hasSize(1);
    }

    @Test
    void dhclientMinusRReleasesAndEndsTheDaemon() {
        Rig rig = new Rig(OsProfile.debian("debian"));
        rig.dhcpServer();
        rig.guest.run("dhclient eth0");
        assertThat(rig.guest.dhcp().holdsClientPort()).isTrue();
        rig.guest.run("dhclient -r");
        assertThat(rig.guest.dhcp().holdsClientPort()).isFalse();
    }

    @Test
    void dhclientMinusOneThatGetsNoLeaseExitsAndClosesItsSocketWithoutMinusOneItStaysInTheBackground() {
        Rig quits = new Rig(OsProfile.debian("debian"));
        assertThat(quits.guest.run("dhclient -1 eth0").exitStatus()).isEqualTo(2);
        assertThat(quits.guest.dhcp().holdsClientPort()).isFalse();
        Rig stays = new Rig(OsProfile.debian("debian"));
        assertThat(stays.guest.run("dhclient eth0").exitStatus()).isZero();
        assertThat(stays.guest.dhcp().holdsClientPort()).isTrue();
    }

    @Test
    void windowsRenewsByUnicastAndItsDhcpServiceConsumesTheUnicastAck() throws Exception {
        Rig rig = new Rig(OsProfile.windows10("WIN10"), 1, true);
        WithDnsmasqTest.dnsmasq(rig);
        assertThat(rig.guest.dhcp().holdsClientPort()).isTrue();
        rig.guest.run("ipconfig /renew");
        CommandResult renew = rig.guest.run("ipconfig /renew"); // with a lease: unicast REQUEST from 192.168.122.55
        assertThat(renew.outcome()).isInstanceOf(Outcome.Lease.class);
        strayReply(rig, Rig.GUEST_IP);
        assertThat(portUnreachables(rig)).isEmpty();
    }

    /** Unicast datagrams to port 68 of the guest's address that reached its NIC. */
    private static long unicastsTo68(Rig rig) { return unicasts(rig, true); }

    /** IPv4 datagrams to the guest's address that reached its NIC; {@code port68}: UDP to port 68 only. */
    private static long unicasts(Rig rig, boolean port68) {
        long n = 0;
        for (Rig.WireFrame f : rig.wire) {
            if (f.sent()) continue;
            try {
                var eth = org.vnetlab.protocols.ethernet.EthernetFrame.checked(io.netty.buffer.Unpooled.wrappedBuffer(f.bytes()));
                if (eth.etherType().value() != 0x0800) continue;
                var ip = Ipv4Packet.checked(eth.payload());
                if (!ip.destination().equals(Rig.GUEST_IP)) continue;
                if (!port68 || ip.protocol().value() == 17
                        && org.vnetlab.protocols.udp.UdpDatagram.checked(ip.payload()).destinationPort() == 68) n++;
            } catch (org.vnetlab.protocols.ParseException e) {
                throw new AssertionError(e);
            }
        }
        return n;
    }

    @Test
    void aReplyToAnAddressTheGuestNoLongerHasDrawsNoIcmpFromAnyClient() throws Exception {
        Rig rig = new Rig(OsProfile.busybox("guest"), 1, true);
        WithDnsmasqTest.dnsmasq(rig); // the host learns the guest's MAC from the exchange, so the stray goes out
        rig.guest.run("udhcpc -i eth0 -n -q");
        rig.guest.run("ip addr flush dev eth0");
        long addrErrors = rig.guest.stack().counter(Mib.IP_IN_ADDR_ERRORS);
        long before = unicastsTo68(rig);
        strayReply(rig, Rig.GUEST_IP);
        assertThat(unicastsTo68(rig)).isEqualTo(before + 1);
        assertThat(portUnreachables(rig)).isEmpty();
        assertThat(rig.guest.stack().counter(Mib.IP_IN_ADDR_ERRORS) - addrErrors).isEqualTo(1);
    }
}
