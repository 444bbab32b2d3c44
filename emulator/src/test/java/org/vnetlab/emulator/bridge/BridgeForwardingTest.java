package org.vnetlab.emulator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vnetlab.emulator.bridge.Rig.BROADCAST;
import static org.vnetlab.emulator.bridge.Rig.VIRBR0;
import static org.vnetlab.emulator.sim.SimTime.seconds;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.protocols.MacAddress;

/** Learning, flooding, local delivery and ageing with STP off, where ports forward as soon as they are up. */
class BridgeForwardingTest {
    final Rig rig = new Rig(Rig.stpOff());
    final Rig.Guest a = rig.guest(1);
    final Rig.Guest b = rig.guest(2);
    final Rig.Guest c = rig.guest(3);

    @Test
    void portsForwardAtOnceWhenStpIsOff() {
        assertThat(rig.br.ports()).extracting(BridgePort::state).containsOnly(PortState.FORWARDING);
        assertThat(rig.br.hasCarrier()).isTrue();
        a.send(BROADCAST, 1);
        rig.run();
        assertThat(rig.host).containsExactly("0 ff:ff:ff:ff:ff:ff 52:54:00:aa:bb:01 1");
    }

    @Test
    void unknownUnicastFloodsToEveryOtherPortAndTheAnswerGoesOnlyWhereTheSenderWasLearned() {
        a.send(b.mac(), 1);
        rig.run();
        assertThat(b.got).containsExactly("0 52:54:00:aa:bb:02 52:54:00:aa:bb:01 1");
        assertThat(c.got).containsExactly("0 52:54:00:aa:bb:02 52:54:00:aa:bb:01 1");
        assertThat(a.got).isEmpty();
        assertThat(rig.host).isEmpty(); // unknown unicast is not for the host

        b.send(a.mac(), 2);
        rig.run();
        assertThat(a.got).containsExactly("0 52:54:00:aa:bb:01 52:54:00:aa:bb:02 2");
        assertThat(c.got).hasSize(1);

        assertThat(rig.br.fdb().lookup(a.mac())).get().extracting(FdbEntry::device).isEqualTo("vnet0");
        assertThat(rig.br.fdb().lookup(b.mac())).get().extracting(FdbEntry::device).isEqualTo("vnet1");
    }

    @Test
    void broadcastReachesEveryOtherPortAndTheHostButNotTheSender() {
        a.send(BROADCAST, 7);
        rig.run();
        assertThat(b.got).hasSize(1);
        assertThat(c.got).hasSize(1);
        assertThat(a.got).isEmpty();
        assertThat(rig.host).hasSize(1);
    }

    @Test
    void multicastFloodsAndGoesUpAndCountsOnTheBridgeDevice() {
        a.send(MacAddress.parse("01:00:5e:00:00:fb"), 3);
        rig.run();
        assertThat(b.got).hasSize(1);
        assertThat(c.got).hasSize(1);
        assertThat(rig.host).hasSize(1);
        assertThat(rig.br.counters().multicast()).isEqualTo(1);
    }

    @Test
    void framesToTheBridgesOwnAddressOrAPortsAddressGoUpOnly() {
        a.send(VIRBR0, 1);
        a.send(b.vnet.mac(), 2); // vnet1's own MAC is a local entry too
        rig.run();
        assertThat(rig.host).containsExactly("0 52:54:00:73:62:06 52:54:00:aa:bb:01 1", "0 fe:54:00:aa:bb:02 52:54:00:aa:bb:01 2");
        assertThat(b.got).isEmpty();
        assertThat(c.got).isEmpty();
        assertThat(rig.br.counters().rxPackets()).isEqualTo(2);
    }

    @Test
    void theFdbHoldsPermanentEntriesForTheBridgeAndEveryPort() {
        assertThat(rig.br.fdb().entries()).extracting(Object::toString).containsExactly(
                "52:54:00:73:62:06 dev virbr0 permanent",
                "fe:54:00:aa:bb:01 dev vnet0 permanent",
                "fe:54:00:aa:bb:02 dev vnet1 permanent",
                "fe:54:00:aa:bb:03 dev vnet2 permanent");
    }

    @Test
    void theHostSendsThroughTheBridgeDevice() {
        rig.br.transmit(Rig.frame(BROADCAST, VIRBR0, 1));
        rig.run();
        assertThat(a.got).hasSize(1);
        assertThat(b.got).hasSize(1);
        assertThat(c.got).hasSize(1);

        rig.br.transmit(Rig.frame(b.mac(), VIRBR0, 2)); // unknown yet: flooded
        rig.run();
        assertThat(a.got).hasSize(2);
        assertThat(c.got).hasSize(2);

        b.send(VIRBR0, 3);
        rig.run();
        rig.br.transmit(Rig.frame(b.mac(), VIRBR0, 4)); // learned: only to b
        rig.run();
        assertThat(b.got).hasSize(3);
        assertThat(a.got).hasSize(2);
        assertThat(c.got).hasSize(2);
        assertThat(rig.br.counters().txPackets()).isEqualTo(3);
    }

    @Test
    void learnedEntriesAgeOutAfter300SecondsWhenTheCollectorRuns() {
        rig.runFor(seconds(5));
        a.send(VIRBR0, 1); // learned at 5 s
        rig.run();
        rig.runFor(seconds(299)); // 304 s: a still known, the frame goes to a only
        rig.br.transmit(Rig.frame(a.mac(), VIRBR0, 2));
        rig.run();
        assertThat(b.got).isEmpty();
        assertThat(rig.br.fdb().lookup(a.mac())).isPresent();

        rig.runFor(seconds(1) + 1); // past 305 s: the collector removed a, so frames to it flood
        assertThat(rig.br.fdb().lookup(a.mac())).isEmpty();
        rig.br.transmit(Rig.frame(a.mac(), VIRBR0, 3));
        rig.run();
        assertThat(b.got).extracting(s -> s.substring(s.length() - 1)).containsExactly("3");
        assertThat(rig.br.fdb().entries()).allMatch(FdbEntry::local);
    }

    @Test
    void trafficFromAnAddressKeepsItsEntryAlive() {
        for (int t = 0; t < 10; t++) {
            a.send(VIRBR0, t);
            rig.runFor(seconds(100));
        }
        assertThat(rig.br.fdb().lookup(a.mac())).get().extracting(FdbEntry::updatedNanos).isEqualTo(seconds(900));
    }

    @Test
    void anAddressThatMovesIsLearnedOnItsNewPort() {
        a.send(VIRBR0, 1);
        rig.run();
        c.eth0.transmit(Rig.frame(VIRBR0, a.mac(), 2)); // a's MAC now appears behind vnet2
        rig.run();
        assertThat(rig.br.fdb().lookup(a.mac())).get().extracting(FdbEntry::device).isEqualTo("vnet2");
    }

    @Test
    void framesAreNotSentBackOutOfThePortTheyCameInOnUnlessHairpinIsOn() {
        MacAddress behindA = MacAddress.parse("52:54:00:aa:bb:99");
        a.eth0.transmit(Rig.frame(VIRBR0, behindA, 1)); // learn behindA on vnet0
        a.send(behindA, 2);
        rig.run();
        assertThat(a.got).isEmpty();
        assertThat(b.got).isEmpty();
        assertThat(rig.lab.counters().get("host/virbr0", "drop_no_egress")).isEqualTo(1);

        a.port().setHairpin(true);
        a.send(behindA, 3);
        rig.run();
        assertThat(a.got).containsExactly("0 52:54:00:aa:bb:99 52:54:00:aa:bb:01 3");
    }

    @Test
    void framesWithAMulticastOrZeroSourceAreDropped() {
        a.eth0.transmit(Rig.frame(BROADCAST, MacAddress.parse("01:00:5e:00:00:01"), 1));
        a.eth0.transmit(Rig.frame(BROADCAST, MacAddress.ZERO, 2));
        rig.run();
        assertThat(b.got).isEmpty();
        assertThat(rig.host).isEmpty();
        assertThat(rig.lab.counters().get("host/virbr0", "drop_invalid_source")).isEqualTo(2);
        assertThat(a.vnet.counters().rxPackets()).isEqualTo(2); // the port device still received them
    }

    @Test
    void pauseFramesAreDroppedAndOtherLinkLocalGroupsAreNotForwarded() {
        List<String> tapStack = new ArrayList<>();
        a.vnet.setReceiver((dev, f) -> tapStack.add(Rig.describe(rig.lab, f)));
        a.send(MacAddress.parse("01:80:c2:00:00:01"), 1); // 802.3x pause
        a.send(MacAddress.parse("01:80:c2:00:00:0e"), 2); // LLDP
        rig.run();
        assertThat(b.got).isEmpty();
        assertThat(rig.host).isEmpty();
        assertThat(tapStack).containsExactly("0 01:80:c2:00:00:0e 52:54:00:aa:bb:01 2");
        assertThat(rig.br.fdb().lookup(a.mac())).isPresent(); // learned from the LLDP frame
    }

    @Test
    void withStpOffBpdusAreForwardedLikeAnyMulticast() {
        a.send(Bpdu.GROUP_ADDRESS, 1);
        rig.run();
        assertThat(b.bpdus).hasSize(1);
        assertThat(c.bpdus).hasSize(1);
        assertThat(rig.host).hasSize(1);
    }

    @Test
    void aPacketCarryingTheBridgesOwnAddressAsSourceIsNotLearnedAndIsReported() {
        a.eth0.transmit(Rig.frame(BROADCAST, VIRBR0, 1));
        rig.run();
        assertThat(rig.br.fdb().lookup(VIRBR0)).get().extracting(FdbEntry::device).isEqualTo("virbr0");
        assertThat(rig.lab.log().dmesg("host")).contains(
                "virbr0: received packet on vnet0 with own address as source address (addr:52:54:00:73:62:06, vlan:0)");
    }

    @Test
    void framesTooLongForTheEgressPortAreDropped() {
        c.vnet.setMtu(1400);
        c.eth0.setMtu(1400);
        a.eth0.transmit(frameOf(1500 + 14, BROADCAST, a.mac()));
        rig.run();
        assertThat(b.got).hasSize(1);
        assertThat(c.got).isEmpty();
        assertThat(rig.lab.counters().get("host/virbr0", "drop_egress_mtu")).isEqualTo(1);
        assertThat(rig.br.mtu()).isEqualTo(1400); // the bridge follows its smallest port
    }

    static io.netty.buffer.ByteBuf frameOf(int length, MacAddress dst, MacAddress src) {
        io.netty.buffer.ByteBuf f = io.netty.buffer.Unpooled.buffer(length);
        f.writerIndex(length);
        dst.write(f, 0);
        src.write(f, 6);
        f.setShort(12, 0x0800);
        return f;
    }

    @Test
    void theForwardHookSeesBridgedFramesPerEgressPortAndCanDropThem() {
        List<String> calls = new ArrayList<>();
        rig.br.setFilter(BridgeFilter.perPort((frame, in, out) -> {
            calls.add(in + "->" + out);
            return out.equals("vnet2") ? BridgeFilter.Verdict.DROP : BridgeFilter.Verdict.ACCEPT;
        }));
        a.send(BROADCAST, 1);
        rig.br.transmit(Rig.frame(BROADCAST, VIRBR0, 2)); // from the host: not a bridged frame
        rig.run();
        assertThat(calls).containsExactly("vnet0->vnet2", "vnet0->vnet1"); // newest port first, like the kernel's list
        assertThat(b.got).hasSize(2);
        assertThat(c.got).hasSize(1);
        assertThat(rig.host).hasSize(1); // local delivery is not the forward hook's business
    }

    @Test
    void theForwardHookMayRewriteItsCopyWithoutTouchingOtherPorts() {
        rig.br.setFilter(BridgeFilter.perPort((frame, in, out) -> {
            if (out.equals("vnet1")) frame.setByte(14, 99);
            return BridgeFilter.Verdict.ACCEPT;
        }));
        a.send(BROADCAST, 1);
        rig.run();
        assertThat(b.got).containsExactly("0 ff:ff:ff:ff:ff:ff 52:54:00:aa:bb:01 99");
        assertThat(c.got).containsExactly("0 ff:ff:ff:ff:ff:ff 52:54:00:aa:bb:01 1");
        assertThat(rig.host).containsExactly("0 ff:ff:ff:ff:ff:ff 52:54:00:aa:bb:01 1");
    }

    @Test
    void perPortAndBridgeDeviceCountersCountLikeTheKernel() {
        a.send(BROADCAST, 1);
        a.send(b.mac(), 2);
        rig.run();
        assertThat(a.vnet.counters().rxPackets()).isEqualTo(2);
        assertThat(a.vnet.counters().rxBytes()).isEqualTo(120);
        assertThat(b.vnet.counters().txPackets()).isEqualTo(2);
        assertThat(c.vnet.counters().txPackets()).isEqualTo(2);
        assertThat(rig.br.counters().rxPackets()).isEqualTo(1); // only the broadcast went up
        assertThat(rig.br.counters().rxBytes()).isEqualTo(60);
        assertThat(a.eth0.counters().txPackets()).isEqualTo(2);
    }

    @Test
    void aPortThatLosesCarrierIsDisabledAndForgetsWhatWasLearnedBehindIt() {
        a.send(VIRBR0, 1);
        rig.run();
        a.link.setUp(false);
        assertThat(a.port().state()).isEqualTo(PortState.DISABLED);
        assertThat(rig.br.fdb().lookup(a.mac())).isEmpty();
        assertThat(rig.br.fdb().lookup(a.vnet.mac())).isPresent(); // the port's own address stays
        a.link.setUp(true);
        assertThat(a.port().state()).isEqualTo(PortState.FORWARDING);
    }

    @Test
    void theBridgeHasCarrierOnlyWhileSomePortForwards() {
        Rig empty = new Rig(new org.vnetlab.emulator.sim.Lab(1), Rig.stpOff());
        assertThat(empty.br.isUp()).isTrue();
        assertThat(empty.br.hasCarrier()).isFalse();
        empty.br.transmit(Rig.frame(BROADCAST, VIRBR0, 1)); // no carrier: dropped before the taps
        assertThat(empty.br.counters().txDropped()).isEqualTo(1);
        Rig.Guest g = empty.guest(1);
        assertThat(empty.br.hasCarrier()).isTrue();
        g.vnet.setUp(false);
        assertThat(empty.br.hasCarrier()).isFalse();
    }

    @Test
    void removingAPortForgetsItsAddressesAndFreesTheDevice() {
        a.send(VIRBR0, 1);
        rig.run();
        rig.br.removePort(a.vnet);
        assertThat(rig.br.port("vnet0")).isEmpty();
        assertThat(rig.br.fdb().lookup(a.mac())).isEmpty();
        assertThat(rig.br.fdb().lookup(a.vnet.mac())).isEmpty();
        assertThat(a.vnet.hasRxHandler()).isFalse();
        Rig.Guest d = rig.guest(4);
        assertThat(d.port().number()).isEqualTo(1); // the lowest free number is reused
    }

    @Test
    void portsMustBeFreeDevicesOfTheBridgesOwnNode() {
        assertThatThrownBy(() -> rig.br.addPort(a.vnet)).hasMessageContaining("already a port");
        assertThatThrownBy(() -> rig.br.addPort(a.eth0)).hasMessageContaining("not on node host");
        Bridge other = new Bridge(rig.lab, "host", BridgeConfig.of("br1", MacAddress.parse("02:00:00:00:00:01")));
        assertThatThrownBy(() -> other.addPort(a.vnet)).hasMessageContaining("already has a receive handler");
        assertThatThrownBy(() -> rig.br.addPort(other)).hasMessageContaining("can not enslave a bridge to a bridge");
        LinkDevice spare = new LinkDevice(rig.lab, "host", "vnet9", MacAddress.parse("fe:54:00:00:00:09"));
        assertThat(rig.br.addPort(spare).state()).isEqualTo(PortState.DISABLED); // down: added but disabled
    }
}
