package org.vnetlab.emulator.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.guest.CommandResult;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.guest.Outcome;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/** The article's host with a Linux guest (the reference capture's busybox udhcpc guest, and a Debian one). */
class ArticleHostLinuxGuestTest {

    @Test
    void theReferenceGuestGetsTheCapturedAddressAndReachesEverything() throws Exception {
        LibvirtHostLab lab = ArticleLab.build(1);
        // as on the reference rig, udhcpc starts once vnet0 forwards: its three DISCOVERs 3 s apart would
        // otherwise end (at 9 s) just as dnsmasq's OFFER for the one sent at 6 s arrives
        Guest g = lab.addGuest("guest", OsProfile.busybox("guest"), MacAddress.parse("52:54:00:aa:bb:01"), "default", false);
        lab.runFor(SimTime.seconds(5));
        long start = lab.lab().now();
        g.startDhcp();
        lab.runFor(SimTime.seconds(10));
        assertThat(g.lease().orElseThrow().obtainedAtNanos() - start).as("dnsmasq's 3 s ping check, then OFFER/REQUEST/ACK")
                .isGreaterThanOrEqualTo(SimTime.seconds(3)).isLessThan(SimTime.seconds(4));
        // dnsmasq picks range start + hash(MAC) mod range size: 52:54:00:aa:bb:01 -> .55 on the reference host
        assertThat(g.lease().orElseThrow().address()).isEqualTo(Ipv4Address.parse("192.168.122.55"));

        CommandResult ping = g.run("ping -c 1 8.8.8.8");
        assertThat(ping.succeeded()).as(ping.output()).isTrue();
        assertThat(((Outcome.Reply) ping.outcome()).ttl()).as("64 at 8.8.8.8, -1 at the router, -1 at the host").isEqualTo(62);
        CommandResult dig = g.run("dig google.com");
        assertThat(dig.output()).contains("status: NOERROR").contains(";; SERVER: 192.168.122.1#53(192.168.122.1)")
                .contains("142.250.1.1");
        CommandResult http = g.run("curl -s http://142.250.1.1/");
        assertThat(http.outcome()).isInstanceOf(Outcome.HttpResponse.class);
        assertThat(((Outcome.HttpResponse) http.outcome()).status()).isEqualTo(200);
        assertThat(lab.host().conntrackList()).as("the HTTP flow, masqueraded by LIBVIRT_PRT's tcp rule")
                .contains("tcp      6").contains("dport=80").contains("dst=192.168.0.10");
    }

    @Test
    void aDebianGuestBootsWithDhclientAndResolvesThroughDnsmasq() throws Exception {
        LibvirtHostLab lab = ArticleLab.build(2);
        Guest g = lab.addGuest("debian", OsProfile.debian("debian"), MacAddress.parse("52:54:00:12:34:56"));
        lab.runFor(SimTime.seconds(30));
        assertThat(g.lease()).isPresent();
        assertThat(g.run("ping -c 1 192.168.0.1").succeeded()).isTrue();
        CommandResult dig = g.run("dig google.com");
        assertThat(dig.output()).contains("status: NOERROR").contains("SERVER: 192.168.122.1#53");
        assertThat(lab.virsh("virsh net-dhcp-leases default").stdout()).contains("52:54:00:12:34:56").contains("debian");
    }
}
