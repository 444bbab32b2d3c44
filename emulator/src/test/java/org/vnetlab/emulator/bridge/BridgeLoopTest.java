package org.vnetlab.emulator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vnetlab.emulator.sim.SimTime.seconds;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.link.Link;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SimulationLimitException;
import org.vnetlab.protocols.MacAddress;

/** Two bridges joined by two links: a loop, which only STP can break. */
class BridgeLoopTest {
    static final MacAddress SW1 = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress SW2 = MacAddress.parse("02:00:00:00:00:02");

    final Lab lab = new Lab(5, 50_000);
    final List<String> atGuest1 = new ArrayList<>();
    final List<String> atGuest2 = new ArrayList<>();
    Bridge br1;
    Bridge br2;
    LinkDevice guest1;
    LinkDevice guest2;

    void build(boolean stp) {
        br1 = new Bridge(lab, "sw1", BridgeConfig.of("br0", SW1).withForwardDelay(0).withStp(stp));
        br2 = new Bridge(lab, "sw2", BridgeConfig.of("br0", SW2).withForwardDelay(0).withStp(stp));
        for (int i = 1; i <= 2; i++) {
            LinkDevice a = up(new LinkDevice(lab, "sw1", "trunk" + i, MacAddress.parse("02:00:00:00:01:0" + i)));
            LinkDevice b = up(new LinkDevice(lab, "sw2", "trunk" + i, MacAddress.parse("02:00:00:00:02:0" + i)));
            Link.connect(lab, "l" + i, a, b);
            br1.addPort(a);
            br2.addPort(b);
        }
        guest1 = attachGuest(br1, "sw1", 1, atGuest1);
        guest2 = attachGuest(br2, "sw2", 2, atGuest2);
        br1.setUp(true);
        br2.setUp(true);
    }

    LinkDevice attachGuest(Bridge br, String node, int n, List<String> log) {
        LinkDevice eth0 = up(new LinkDevice(lab, "guest" + n, "eth0", Rig.mac(n)));
        LinkDevice tap = up(new LinkDevice(lab, node, "vnet0", MacAddress.parse("fe:54:00:aa:bb:0" + n)));
        Link.connect(lab, "vnet-" + n, eth0, tap);
        eth0.setReceiver((dev, f) -> {
            if (!MacAddress.read(f, 0).equals(Bpdu.GROUP_ADDRESS)) log.add(Rig.describe(lab, f));
        });
        br.addPort(tap);
        return eth0;
    }

    static LinkDevice up(LinkDevice d) {
        d.setUp(true);
        return d;
    }

    @Test
    void withStpOffOneBroadcastCirculatesForeverAndTheRunEndsInAClearError() {
        build(false);
        guest1.transmit(Rig.frame(Rig.BROADCAST, guest1.mac(), 1));
        assertThatThrownBy(lab.scheduler()::runUntilIdle)
                .isInstanceOfSatisfying(SimulationLimitException.class, e -> {
                    assertThat(e.limit()).isEqualTo(50_000);
                    assertThat(e.busiestSources()).anyMatch(s -> s.startsWith("link l1: "));
                    assertThat(e.busiestSources()).anyMatch(s -> s.startsWith("link l2: "));
                })
                .hasMessageContaining("50,000 events in one run until idle without reaching idle")
                .hasMessageContaining("virtual time stuck at 0.000000000s")
                .hasMessageContaining("likely cause: a bridge loop or broadcast storm");
        assertThat(atGuest2.size()).isGreaterThan(1000); // guest 2 drowns in copies of one frame
    }

    @Test
    void withStpOnTheBridgeWithTheLowerIdBecomesRootAndTheOtherBlocksOneTrunk() {
        build(true);
        lab.scheduler().runFor(seconds(10));

        assertThat(br1.isRootBridge()).isTrue();
        assertThat(br2.isRootBridge()).isFalse();
        assertThat(br2.designatedRoot()).isEqualTo(BridgeId.of(0x8000, SW1));
        assertThat(br2.rootPort()).get().extracting(BridgePort::name).isEqualTo("trunk1");
        assertThat(br2.port("trunk2").orElseThrow().state()).isEqualTo(PortState.BLOCKING);
        assertThat(br2.port("trunk1").orElseThrow().state()).isEqualTo(PortState.FORWARDING);
        assertThat(br1.ports()).extracting(BridgePort::state).containsOnly(PortState.FORWARDING);
        assertThat(br2.port("vnet0").orElseThrow().state()).isEqualTo(PortState.FORWARDING);

        guest1.transmit(Rig.frame(Rig.BROADCAST, guest1.mac(), 1));
        lab.scheduler().runUntilIdle();
        assertThat(atGuest2).containsExactly("10000000000 ff:ff:ff:ff:ff:ff 52:54:00:aa:bb:01 1");
        assertThat(atGuest1).isEmpty();

        // Unicast back across the tree reaches guest 1 once.
        guest2.transmit(Rig.frame(guest1.mac(), guest2.mac(), 2));
        lab.scheduler().runUntilIdle();
        assertThat(atGuest1).containsExactly("10000000000 52:54:00:aa:bb:01 52:54:00:aa:bb:02 2");
    }

    @Test
    void withStpOnTheNonRootBridgeReportsTheTopologyChangeToTheRoot() {
        build(true);
        lab.scheduler().runFor(seconds(10));
        assertThat(lab.log().dmesg("sw2")).contains("br0: topology change detected, sending tcn bpdu");
        assertThat(lab.log().dmesg("sw1")).contains("br0: port 1(trunk1) received tcn bpdu");
        assertThat(br1.topologyChange()).isTrue();
        assertThat(br2.topologyChange()).isTrue(); // learned from the root's BPDUs
    }

    @Test
    void whenTheRootPortsLinkFailsTheBlockedTrunkTakesOver() {
        build(true);
        lab.scheduler().runFor(seconds(10));
        lab.element("link/l1").map(Link.class::cast).orElseThrow().setUp(false);
        lab.scheduler().runFor(seconds(10));
        assertThat(br2.rootPort()).get().extracting(BridgePort::name).isEqualTo("trunk2");
        assertThat(br2.port("trunk2").orElseThrow().state()).isEqualTo(PortState.FORWARDING);
        guest1.transmit(Rig.frame(Rig.BROADCAST, guest1.mac(), 3));
        lab.scheduler().runUntilIdle();
        assertThat(atGuest2).hasSize(1);
    }
}
