package org.vnetlab.emulator.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.sim.SimTime;

/** Leases end on the lab's clock, at the second dnsmasq's alarm fires. */
class LeaseExpiryTest {
    @Test
    void aLeaseIsGoneWhenItsTimeIsUpAndNotBefore() {
        DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());
        rig.lease(DhcpRig.GUEST, 1); // acked at 3 s, for an hour
        assertThat(rig.server.leases().leases().get(0).expires()).isEqualTo(3603);

        rig.lab.scheduler().runUntil(() -> false, SimTime.seconds(3602) - rig.lab.now());
        assertThat(rig.server.leases().size()).isEqualTo(1);

        rig.lab.scheduler().runFor(SimTime.seconds(1));
        assertThat(rig.lab.now()).isEqualTo(SimTime.seconds(3603));
        assertThat(rig.server.leases().leases()).isEmpty();
    }

    @Test
    void anInfiniteLeaseNeverExpires() {
        DhcpRig rig = new DhcpRig(DnsmasqSettings.builder("virbr0")
                .dhcpRange(DhcpRange.of("192.168.122.2", "192.168.122.254", "255.255.255.0", LeaseTime.INFINITE)).build());
        rig.lease(DhcpRig.GUEST, 1);
        rig.lab.scheduler().runFor(SimTime.seconds(10L * 365 * 86400));
        assertThat(rig.server.leases().leases()).singleElement().satisfies(l -> assertThat(l.isInfinite()).isTrue());
    }
}
