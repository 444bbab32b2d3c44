package org.vnetlab.emulator.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vnetlab.emulator.bridge.Rig.BROADCAST;
import static org.vnetlab.emulator.bridge.Rig.VIRBR0;
import static org.vnetlab.emulator.sim.SimTime.millis;
import static org.vnetlab.emulator.sim.SimTime.seconds;

import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.sim.CaptureSink;
import org.vnetlab.emulator.sim.KernelLog;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.testing.SharedReference;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.pcap.PcapReader;
import org.vnetlab.protocols.pcap.PcapRecord;

/** libvirt's default network bridge: {@code stp='on' delay='0'}, as the reference host ran it. */
class BridgeStpTest {
    static final Path SHARED = SharedReference.root();

    final Rig rig = new Rig(Rig.libvirtDefault());

    /** The BPDUs in the reference capture of the guest's eth0, as hex. */
    static List<String> referenceBpdus() throws IOException, ParseException {
        List<String> out = new ArrayList<>();
        for (PcapRecord r : PcapReader.read(SHARED.resolve("ref/captures/article/guest-eth0.pcap"))) {
            String hex = ByteBufUtil.hexDump(r.data());
            if (hex.startsWith("0180c2000000")) out.add(hex);
        }
        return out;
    }

    /** BPDUs reaching the guest's eth0, by arrival time. */
    static Map<Long, String> bpdusAt(Lab lab, String iface) {
        Map<Long, String> out = new TreeMap<>();
        lab.addCaptureSink(iface, (path, t, dir, f) -> {
            if (dir == CaptureSink.Direction.INBOUND && ByteBufUtil.hexDump(f).startsWith("0180c2000000")) {
                out.put(t, ByteBufUtil.hexDump(f));
            }
        });
        return out;
    }

    @Test
    void stpRaisesLibvirtsZeroForwardDelayToTheKernelMinimumOfTwoSeconds() {
        assertThat(Rig.libvirtDefault().effectiveForwardDelayNanos()).isEqualTo(seconds(2));
        assertThat(Rig.libvirtDefault().withForwardDelay(seconds(45)).effectiveForwardDelayNanos()).isEqualTo(seconds(30));
        assertThat(Rig.libvirtDefault().withForwardDelay(seconds(15)).effectiveForwardDelayNanos()).isEqualTo(seconds(15));
        assertThat(Rig.stpOff().effectiveForwardDelayNanos()).isZero();
        assertThat(rig.br.forwardDelayNanos()).isEqualTo(seconds(2));
    }

    @Test
    void aNewPortListensTwoSecondsLearnsTwoSecondsAndForwardsAtFour() {
        Rig.Guest g = rig.guest(1);
        assertThat(g.port().state()).isEqualTo(PortState.LISTENING);
        assertThat(rig.br.hasCarrier()).isFalse();

        rig.at(seconds(1), () -> g.send(BROADCAST, 1)); // listening: neither forwarded nor learned
        assertThat(rig.host).isEmpty();
        assertThat(rig.br.fdb().lookup(g.mac())).isEmpty();

        rig.at(seconds(3), () -> g.send(BROADCAST, 3)); // learning: learned, not forwarded
        assertThat(g.port().state()).isEqualTo(PortState.LEARNING);
        assertThat(rig.host).isEmpty();
        assertThat(rig.br.fdb().lookup(g.mac())).isPresent();

        rig.at(millis(3999), () -> g.send(BROADCAST, 4));
        assertThat(rig.host).isEmpty();

        rig.at(seconds(4), () -> g.send(BROADCAST, 5)); // the forward delay timer ran first at 4 s
        assertThat(g.port().state()).isEqualTo(PortState.FORWARDING);
        assertThat(rig.br.hasCarrier()).isTrue();
        assertThat(rig.host).containsExactly("4000000000 ff:ff:ff:ff:ff:ff 52:54:00:aa:bb:01 5");
        assertThat(rig.lab.counters().get("host/virbr0", "drop_port_state")).isEqualTo(1);
        assertThat(rig.lab.counters().get("host/virbr0", "drop_learning_state")).isEqualTo(2);
    }

    @Test
    void theHostCannotReachTheGuestBeforeThePortForwards() {
        Rig.Guest g = rig.guest(1);
        rig.at(seconds(3), () -> rig.br.transmit(Rig.frame(BROADCAST, VIRBR0, 1)));
        assertThat(g.got).isEmpty();
        assertThat(rig.br.counters().txDropped()).isEqualTo(1); // no forwarding port, no carrier
        rig.at(seconds(5), () -> rig.br.transmit(Rig.frame(BROADCAST, VIRBR0, 2)));
        assertThat(g.got).containsExactly("5000000000 ff:ff:ff:ff:ff:ff 52:54:00:73:62:06 2");
    }

    @Test
    void aRunUntilIdleWaitsForThePortToSettle() {
        Rig.Guest g = rig.guest(1);
        rig.run();
        assertThat(rig.lab.now()).isEqualTo(seconds(4));
        assertThat(g.port().state()).isEqualTo(PortState.FORWARDING);
    }

    @Test
    void theKernelLogTellsThePortsStory() {
        rig.guest(1);
        rig.runFor(seconds(5));
        assertThat(rig.lab.log().dmesg("host")).isEqualTo("""
                [    0.000000] virbr0: port 1(vnet0) entered blocking state
                [    0.000000] virbr0: port 1(vnet0) entered disabled state
                [    0.000000] vnet0: entered promiscuous mode
                [    0.000000] virbr0: port 1(vnet0) entered blocking state
                [    0.000000] virbr0: port 1(vnet0) entered listening state
                [    2.000000] virbr0: port 1(vnet0) entered learning state
                [    4.000000] virbr0: port 1(vnet0) entered forwarding state
                [    4.000000] virbr0: topology change detected, propagating
                """);
        assertThat(rig.lab.log().entries("host")).extracting(KernelLog.Entry::level).containsOnly(KernelLog.Level.INFO);
    }

    @Test
    void configBpdusLeaveEveryHelloTimeAndMatchTheRealKernelsBytes() throws Exception {
        List<String> reference = referenceBpdus();
        assertThat(reference).hasSize(5).containsOnly(reference.get(0));

        Map<Long, String> got = bpdusAt(rig.lab, "guest1/eth0");
        rig.guest(1);
        rig.runFor(seconds(10));

        assertThat(got.keySet()).containsExactly(seconds(2), seconds(4), seconds(6), seconds(8), seconds(10));
        // From 6 s the port forwards and the topology change flag is set, as on the reference host.
        assertThat(got.get(seconds(6))).isEqualTo(reference.get(0));
        assertThat(got.get(seconds(8))).isEqualTo(reference.get(0));
        assertThat(got.get(seconds(10))).isEqualTo(reference.get(0));
        // Before the port forwarded there was no topology change: the same BPDU with flags 0.
        String noChange = reference.get(0).substring(0, 42) + "00" + reference.get(0).substring(44);
        assertThat(got.get(seconds(2))).isEqualTo(noChange);
        assertThat(got.get(seconds(4))).isEqualTo(noChange);
    }

    @Test
    void theReferenceBpduReadsAsTheDefaultNetworksRootBridge() throws Exception {
        byte[] bytes = ByteBufUtil.decodeHexDump(referenceBpdus().get(0));
        Bpdu bpdu = Bpdu.parse(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
        assertThat(bpdu).isEqualTo(new Bpdu.Config(true, false, BridgeId.of(0x8000, VIRBR0), 0, BridgeId.of(0x8000, VIRBR0),
                0x8001, 0, seconds(20), seconds(2), seconds(2)));
        assertThat(bpdu.emit(org.vnetlab.protocols.MacAddress.parse("fe:54:00:aa:bb:01")))
                .isEqualTo(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
        assertThat(((Bpdu.Config) bpdu).root()).hasToString("8000.52:54:00:73:62:06");
    }

    @Test
    void theTopologyChangeFlagClearsForwardDelayPlusMaxAgeAfterThePortForwards() {
        Map<Long, String> got = bpdusAt(rig.lab, "guest1/eth0");
        rig.guest(1);
        rig.runFor(seconds(30));
        assertThat(rig.br.topologyChange()).isFalse();
        // The flag byte is at frame offset 21: set from 6 s to 26 s (4 s + 2 s + 20 s), clear after.
        assertThat(got.get(seconds(24)).substring(42, 44)).isEqualTo("01");
        assertThat(got.get(seconds(28)).substring(42, 44)).isEqualTo("00");
        assertThat(got.get(seconds(30)).substring(42, 44)).isEqualTo("00");
    }

    @Test
    void withStpOffNoBpdusAreSentAndPortsForwardImmediately() {
        Rig off = new Rig(Rig.stpOff());
        Map<Long, String> got = bpdusAt(off.lab, "guest1/eth0");
        Rig.Guest g = off.guest(1);
        assertThat(g.port().state()).isEqualTo(PortState.FORWARDING);
        off.runFor(seconds(10));
        assertThat(got).isEmpty();
        assertThat(off.lab.log().dmesg("host")).doesNotContain("topology change");
    }

    @Test
    void learnedEntriesAgeAtTheForwardDelayWhenTheCollectorRunsDuringATopologyChange() {
        // Ageing 10 s: the collector, first run at 0.1 s, comes back at 10.1 s, inside the topology
        // change (4 s to 26 s), when the hold time is the 2 s forward delay.
        Rig fast = new Rig(Rig.libvirtDefault().withAgeingTime(seconds(10)));
        Rig.Guest a = fast.guest(1);
        Rig.Guest b = fast.guest(2);
        fast.at(millis(4500), () -> a.send(VIRBR0, 1));
        fast.runFor(millis(5000)); // 9.5 s: still there
        assertThat(fast.br.fdb().lookup(a.mac())).isPresent();
        fast.runFor(millis(700)); // 10.2 s: gone, 5.7 s after it was learned
        assertThat(fast.br.fdb().lookup(a.mac())).isEmpty();
        fast.br.transmit(Rig.frame(a.mac(), VIRBR0, 2));
        fast.run();
        assertThat(b.got).hasSize(1); // unknown again: flooded
    }

    @Test
    void aPortThatComesBackListensAndLearnsAgain() {
        Rig.Guest g = rig.guest(1);
        rig.runFor(seconds(10));
        g.link.setUp(false);
        assertThat(g.port().state()).isEqualTo(PortState.DISABLED);
        rig.runFor(seconds(2));
        g.link.setUp(true);
        assertThat(g.port().state()).isEqualTo(PortState.LISTENING);
        rig.runFor(seconds(4) - 1);
        assertThat(g.port().state()).isEqualTo(PortState.LEARNING);
        rig.runFor(1);
        assertThat(g.port().state()).isEqualTo(PortState.FORWARDING);
    }

    @Test
    void portPathCostsFollowLinkSpeedLikeTheKernelsPortCost() {
        assertThat(BridgePort.pathCost(10)).isEqualTo(100); // tun/tap report 10 Mb/s
        assertThat(BridgePort.pathCost(10000)).isEqualTo(2); // veth reports 10 Gb/s
        assertThat(BridgePort.pathCost(1000)).isEqualTo(4);
        assertThat(BridgePort.pathCost(100)).isEqualTo(19);
        assertThat(BridgePort.pathCost(0)).isEqualTo(100);
        assertThat(rig.guest(1).port().portId()).isEqualTo(0x8001);
    }

    @Test
    void malformedOrForeignBpdusAreDiscarded() {
        Rig.Guest g = rig.guest(1);
        rig.runFor(seconds(5));
        g.send(Bpdu.GROUP_ADDRESS, 1); // ethertype 0x0800: not an 802.3 LLC frame
        String rstp = "0180c2000000" + "525400aabb01" + "0027" + "424203" + "0000" + "02" + "02" + "3c"
                + "8000525400aabb01" + "00000000" + "8000525400aabb01" + "8001" + "0000" + "1400" + "0200" + "0f00" + "00";
        g.eth0.transmit(io.netty.buffer.Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(rstp)));
        rig.run();
        assertThat(rig.lab.counters().get("host/virbr0", "bpdu_discarded")).isEqualTo(2);
        assertThat(rig.br.isRootBridge()).isTrue();
        assertThat(rig.host).isEmpty(); // BPDUs never go up the bridge device
    }

    @Test
    void bpduParsingFollowsTheLlcLengthAndRefusesWhatTheKernelRefuses() throws Exception {
        String config = referenceBpdus().get(0);
        // Padding beyond the 802.3 length is trimmed, as the LLC layer does.
        assertThat(Bpdu.parse(buf(config + "00000000000000"))).isInstanceOf(Bpdu.Config.class);
        // A TCN is 4 bytes after LLC.
        assertThat(Bpdu.parse(buf("0180c2000000525400aabb010007424203000000800000"))).isEqualTo(new Bpdu.Tcn());
        assertThat(new Bpdu.Tcn().emit(Rig.mac(1))).isEqualTo(buf("0180c2000000525400aabb01000742420300000080"));
        // A config BPDU cut short, a wrong LLC header, a version-2 (RSTP) BPDU.
        assertParseError(config.substring(0, 100), "truncated");
        assertParseError(config.substring(0, 28) + "aaaa03" + config.substring(34), "LLC");
        assertParseError(config.substring(0, 38) + "02" + config.substring(40), "version");
    }

    static io.netty.buffer.ByteBuf buf(String hex) {
        return io.netty.buffer.Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    }

    static void assertParseError(String hex, String reason) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Bpdu.parse(buf(hex)))
                .isInstanceOf(ParseException.class).hasMessageContaining(reason);
    }
}
