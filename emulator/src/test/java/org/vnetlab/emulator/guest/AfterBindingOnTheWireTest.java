package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a Linux guest puts on the wire once its DHCP client has bound the address: nothing. busybox udhcpc
 * validates the offer by ARP only with {@code -a} (not given here, nor by the reference run), and its default
 * script runs {@code ip addr add}; Debian's dhclient-script also just adds the address and routes; the kernel
 * announces nothing on an address add (arp_notify acts on link events, and is off by default). The reference
 * capture (guest-eth0.pcap) shows the same: after dnsmasq's ACK the guest's next frame is the ARP request that
 * its first ping needs, 380 ms later, when the ping runs.
 */
class AfterBindingOnTheWireTest {

    private static long sentAfter(Rig rig, long atNanos) {
        return rig.wire.stream().filter(f -> f.sent() && f.atNanos() > atNanos).count();
    }

    private static long lastReceivedAt(Rig rig) {
        long t = 0;
        for (Rig.WireFrame f : rig.wire) if (!f.sent()) t = f.atNanos();
        return t;
    }

    @Test
    void udhcpcSendsNothingAfterTheAck() throws Exception {
        Rig rig = new Rig(OsProfile.busybox("guest"), 1, true);
        WithDnsmasqTest.dnsmasq(rig);
        rig.guest.run("udhcpc -i eth0 -n -q");
        long ack = lastReceivedAt(rig);
        rig.lab.scheduler().runFor(5_000_000_000L);
        assertThat(sentAfter(rig, ack)).isZero();
    }

    @Test
    void dhclientSendsNothingAfterTheAck() throws Exception {
        Rig rig = new Rig(OsProfile.debian("debian"), 1, true);
        WithDnsmasqTest.dnsmasq(rig);
        rig.guest.run("dhclient eth0");
        long ack = lastReceivedAt(rig);
        rig.lab.scheduler().runFor(5_000_000_000L);
        assertThat(sentAfter(rig, ack)).isZero();
    }
}
