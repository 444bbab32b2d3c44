package org.vnetlab.emulator.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vnetlab.emulator.link.LinkTest.frame;
import static org.vnetlab.emulator.sim.SimTime.micros;

import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.protocols.MacAddress;

/** The same seed and the same calls give the same deliveries, byte for byte and nanosecond for nanosecond. */
class DeterminismTest {

    /** Three hosts on two lossy links, each echoing what it receives once; returns the delivery log. */
    static List<String> run(long seed, boolean extraLink) {
        Lab lab = new Lab(seed);
        List<String> log = new ArrayList<>();
        lab.addCaptureSink((path, t, dir, f) -> log.add(t + " " + path + " " + dir + " " + ByteBufUtil.hexDump(f, 0, 20)));
        LinkDevice a = new LinkDevice(lab, "a", "eth0", MacAddress.parse("02:00:00:00:00:01"));
        LinkDevice b1 = new LinkDevice(lab, "b", "eth0", MacAddress.parse("02:00:00:00:00:02"));
        LinkDevice b2 = new LinkDevice(lab, "b", "eth1", MacAddress.parse("02:00:00:00:00:03"));
        LinkDevice c = new LinkDevice(lab, "c", "eth0", MacAddress.parse("02:00:00:00:00:04"));
        Link.connect(lab, "ab", a, b1, LinkProperties.IDEAL.withLatency(micros(30)).withLoss(0.2));
        Link.connect(lab, "bc", b2, c, LinkProperties.IDEAL.withLatency(micros(70)).withLoss(0.3));
        if (extraLink) {
            // An element added elsewhere in the lab, drawing from its own stream.
            LinkDevice x = new LinkDevice(lab, "x", "eth0", MacAddress.parse("02:00:00:00:00:05"));
            LinkDevice y = new LinkDevice(lab, "y", "eth0", MacAddress.parse("02:00:00:00:00:06"));
            Link.connect(lab, "xy", x, y, LinkProperties.IDEAL.withLoss(0.5));
            x.setUp(true);
            y.setUp(true);
            for (int i = 0; i < 50; i++) x.transmit(frame(y.mac(), x.mac(), 60, i));
        }
        for (LinkDevice d : List.of(a, b1, b2, c)) d.setUp(true);
        b1.setReceiver((dev, f) -> b2.transmit(f)); // b forwards a's frames to c
        c.setReceiver((dev, f) -> c.transmit(f)); // c echoes back
        b2.setReceiver((dev, f) -> b1.transmit(f)); // and b forwards the echo to a
        for (int i = 0; i < 200; i++) {
            int tag = i;
            lab.scheduler().schedule(micros(10) * i, "a sends", () -> a.transmit(frame(c.mac(), a.mac(), 60 + tag % 40, tag)));
        }
        lab.scheduler().runUntilIdle();
        log.removeIf(line -> line.contains(" x/") || line.contains(" y/"));
        return log;
    }

    @Test
    void theSameSeedGivesAnIdenticalDeliveryLog() {
        List<String> first = run(99, false);
        assertThat(first).hasSizeGreaterThan(400);
        assertThat(run(99, false)).isEqualTo(first);
    }

    @Test
    void anotherSeedLosesOtherFrames() {
        assertThat(run(100, false)).isNotEqualTo(run(99, false));
    }

    @Test
    void addingAnUnrelatedLossyLinkDoesNotChangeWhatTheOthersLose() {
        assertThat(run(99, true)).isEqualTo(run(99, false));
    }
}
