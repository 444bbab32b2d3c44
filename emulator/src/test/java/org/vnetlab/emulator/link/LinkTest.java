package org.vnetlab.emulator.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vnetlab.emulator.sim.SimTime.micros;
import static org.vnetlab.emulator.sim.SimTime.millis;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.sim.CaptureSink;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.protocols.MacAddress;

class LinkTest {
    static final MacAddress GUEST = MacAddress.parse("52:54:00:aa:bb:01");
    static final MacAddress TAP = MacAddress.parse("fe:54:00:aa:bb:01");

    /** A frame of {@code length} bytes from src to dst, ethertype 0x0800, payload bytes counting up from {@code tag}. */
    static ByteBuf frame(MacAddress dst, MacAddress src, int length, int tag) {
        ByteBuf f = Unpooled.buffer(length);
        f.writerIndex(length);
        dst.write(f, 0);
        src.write(f, 6);
        f.setShort(12, 0x0800);
        for (int i = 14; i < length; i++) f.setByte(i, tag + i);
        return f;
    }

    /** Logs each frame received as "time path first-payload-byte". */
    static final class Recorder implements FrameReceiver {
        final Lab lab;
        final List<String> log = new ArrayList<>();
        final List<ByteBuf> frames = new ArrayList<>();

        Recorder(Lab lab) { this.lab = lab; }

        @Override
        public void receive(NetDevice device, ByteBuf frame) {
            log.add(lab.now() + " " + device.path() + " " + frame.readableBytes() + " " + frame.getUnsignedByte(14));
            frames.add(frame);
        }
    }

    final Lab lab = new Lab(2024);
    final LinkDevice eth0 = new LinkDevice(lab, "guest", "eth0", GUEST);
    final LinkDevice vnet0 = new LinkDevice(lab, "host", "vnet0", TAP);
    final Recorder host = new Recorder(lab);
    final Recorder guest = new Recorder(lab);

    Link wire(LinkProperties p) {
        Link link = Link.connect(lab, "vnet0", eth0, vnet0, p);
        eth0.setUp(true);
        vnet0.setUp(true);
        vnet0.setReceiver(host);
        eth0.setReceiver(guest);
        return link;
    }

    @Test
    void aFrameArrivesAfterTheLatencyAndTheReceiverOwnsItsCopy() {
        wire(LinkProperties.IDEAL.withLatency(micros(50)));
        ByteBuf sent = frame(TAP, GUEST, 60, 1);
        eth0.transmit(sent);
        sent.setByte(14, 99); // the sender reuses its buffer at once
        lab.scheduler().runUntilIdle();

        assertThat(host.log).containsExactly("50000 host/vnet0 60 15");
        ByteBuf got = host.frames.get(0);
        got.setByte(20, 0); // the receiver may scribble on its copy
        assertThat(sent.getByte(20)).isEqualTo((byte) 21);
        assertThat(sent.readerIndex()).isZero();
        assertThat(sent.writerIndex()).isEqualTo(60);
    }

    @Test
    void zeroLatencyFramesArriveAsSeparateEventsInSendingOrder() {
        wire(LinkProperties.IDEAL);
        vnet0.setReceiver((dev, f) -> {
            host.receive(dev, f);
            if (f.getUnsignedByte(14) == 15) vnet0.transmit(frame(GUEST, TAP, 60, 50)); // reply while handling
        });
        for (int tag = 1; tag <= 3; tag++) eth0.transmit(frame(TAP, GUEST, 60, tag));
        assertThat(host.log).isEmpty(); // nothing is delivered inside transmit
        lab.scheduler().runUntilIdle();
        assertThat(host.log).containsExactly("0 host/vnet0 60 15", "0 host/vnet0 60 16", "0 host/vnet0 60 17");
        assertThat(guest.log).containsExactly("0 guest/eth0 60 64");
    }

    @Test
    void framesUpToMtuPlusEthernetAndVlanHeadersPassLongerOnesAreDroppedLikeVeth() {
        wire(LinkProperties.IDEAL);
        eth0.transmit(frame(TAP, GUEST, 1500 + 14 + 4, 1));
        eth0.transmit(frame(TAP, GUEST, 1500 + 14 + 5, 2));
        lab.scheduler().runUntilIdle();

        assertThat(host.log).containsExactly("0 host/vnet0 1518 15");
        assertThat(eth0.counters().txPackets()).isEqualTo(1);
        assertThat(eth0.counters().txDropped()).isEqualTo(1);
        assertThat(vnet0.counters().rxDropped()).isEqualTo(1);
        assertThat(vnet0.counters().rxPackets()).isEqualTo(1);
        assertThat(vnet0.counters().rxBytes()).isEqualTo(1518);
    }

    @Test
    void theMtuThatCountsIsTheReceivingEnds() {
        wire(LinkProperties.IDEAL);
        vnet0.setMtu(1400);
        eth0.transmit(frame(TAP, GUEST, 1500, 1)); // fits eth0's own 1500 but not vnet0's 1400 + 18
        vnet0.transmit(frame(GUEST, TAP, 1500, 2)); // fits eth0's 1500
        lab.scheduler().runUntilIdle();
        assertThat(host.log).isEmpty();
        assertThat(guest.log).hasSize(1);
        assertThat(eth0.counters().txDropped()).isEqualTo(1);
    }

    @Test
    void runtFramesShorterThanAnEthernetHeaderAreNotSent() {
        wire(LinkProperties.IDEAL);
        eth0.transmit(Unpooled.wrappedBuffer(new byte[13]));
        lab.scheduler().runUntilIdle();
        assertThat(host.log).isEmpty();
        assertThat(eth0.counters().txDropped()).isEqualTo(1);
        assertThat(eth0.counters().txPackets()).isZero();
    }

    @Test
    void carrierFollowsTheCableAndTheFarEndsAdminState() {
        Link link = Link.connect(lab, "vnet0", eth0, vnet0);
        assertThat(eth0.hasCarrier()).isFalse(); // vnet0 still down
        vnet0.setUp(true);
        eth0.setUp(true);
        assertThat(eth0.hasCarrier()).isTrue();
        assertThat(vnet0.hasCarrier()).isTrue();

        List<String> events = new ArrayList<>();
        eth0.addListener(d -> events.add(d.name() + (d.isOperUp() ? " up" : " down")));
        vnet0.setUp(false);
        assertThat(eth0.hasCarrier()).isFalse();
        link.setUp(false);
        vnet0.setUp(true);
        assertThat(eth0.hasCarrier()).isFalse();
        link.setUp(true);
        assertThat(eth0.isOperUp()).isTrue();
        assertThat(events).containsExactly("eth0 down", "eth0 up");
    }

    @Test
    void aDeviceWithoutCarrierDropsWhatItSendsBeforeTapsSeeIt() {
        Link link = wire(LinkProperties.IDEAL);
        List<String> seen = new ArrayList<>();
        lab.addCaptureSink((path, t, dir, f) -> seen.add(path + " " + dir));
        link.setUp(false);
        eth0.transmit(frame(TAP, GUEST, 60, 1));
        lab.scheduler().runUntilIdle();
        assertThat(seen).isEmpty();
        assertThat(host.log).isEmpty();
        assertThat(eth0.counters().txDropped()).isEqualTo(1);
    }

    @Test
    void aFrameInFlightWhenTheFarEndGoesDownIsDroppedThere() {
        wire(LinkProperties.IDEAL.withLatency(millis(10)));
        eth0.transmit(frame(TAP, GUEST, 60, 1));
        lab.scheduler().schedule(millis(5), "unplug vnet0", () -> vnet0.setUp(false));
        lab.scheduler().runUntilIdle();
        assertThat(host.log).isEmpty();
        assertThat(eth0.counters().txPackets()).isEqualTo(1);
        assertThat(vnet0.counters().rxDropped()).isEqualTo(1);
    }

    @Test
    void tapsSeeTheSenderAtSendTimeAndTheReceiverAtArrivalEvenForFramesTheWireDrops() {
        wire(LinkProperties.IDEAL.withLatency(micros(7)));
        List<String> seen = new ArrayList<>();
        lab.addCaptureSink((path, t, dir, f) -> seen.add(t + " " + path + " " + dir + " " + f.readableBytes()));
        eth0.transmit(frame(TAP, GUEST, 100, 1));
        eth0.transmit(frame(TAP, GUEST, 2000, 2)); // too long for vnet0: tapped on eth0, never on vnet0
        lab.scheduler().runUntilIdle();
        assertThat(seen).containsExactly(
                "0 guest/eth0 OUTBOUND 100",
                "0 guest/eth0 OUTBOUND 2000",
                "7000 host/vnet0 INBOUND 100");
    }

    @Test
    void framesNobodyReceivesCountAsNoHandler() {
        wire(LinkProperties.IDEAL);
        vnet0.setReceiver(null);
        eth0.transmit(frame(TAP, GUEST, 60, 1));
        lab.scheduler().runUntilIdle();
        assertThat(vnet0.counters().rxPackets()).isEqualTo(1);
        assertThat(vnet0.counters().rxNoHandler()).isEqualTo(1);
    }

    @Test
    void theRxHandlerSeesFramesFirstAndMayPassThemToTheOwner() {
        wire(LinkProperties.IDEAL);
        List<Integer> handled = new ArrayList<>();
        vnet0.setRxHandler((dev, f) -> {
            handled.add((int) f.getUnsignedByte(14));
            return f.getUnsignedByte(14) == 15; // consume the first, pass the second
        });
        assertThatThrownBy(() -> vnet0.setRxHandler((d, f) -> true)).hasMessageContaining("host/vnet0 already has");
        eth0.transmit(frame(TAP, GUEST, 60, 1));
        eth0.transmit(frame(TAP, GUEST, 60, 2));
        lab.scheduler().runUntilIdle();
        assertThat(handled).containsExactly(15, 16);
        assertThat(host.log).containsExactly("0 host/vnet0 60 16");
    }

    @Test
    void lossIsSeededPerLinkAndCountedOnTheLink() {
        Link link = wire(LinkProperties.IDEAL.withLoss(0.25));
        for (int i = 0; i < 4000; i++) eth0.transmit(frame(TAP, GUEST, 60, i));
        lab.scheduler().runUntilIdle();
        assertThat(link.lostFrames() + host.log.size()).isEqualTo(4000);
        assertThat(link.lostFrames()).isBetween(900L, 1100L);
        assertThat(eth0.counters().txPackets()).isEqualTo(4000); // lost on the wire, not by the device
    }

    @Test
    void interfaceNamesFollowLinuxRules() {
        assertThatThrownBy(() -> new LinkDevice(lab, "host", "a-name-too-long-x", TAP)).hasMessageContaining("1-15");
        assertThatThrownBy(() -> new LinkDevice(lab, "host", "bad/name", TAP)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkDevice(lab, "guest", "eth0", TAP)).hasMessageContaining("duplicate");
    }

    @Test
    void countersPrintLikeIpDashS() {
        wire(LinkProperties.IDEAL);
        eth0.transmit(frame(TAP, GUEST, 342, 1));
        lab.scheduler().runUntilIdle();
        assertThat(eth0.counters().toString()).contains("TX: bytes 342 packets 1 errors 0 dropped 0");
        assertThat(vnet0.counters().toString()).startsWith("RX: bytes 342 packets 1 errors 0 dropped 0");
    }

    static String hex(ByteBuf f) { return ByteBufUtil.hexDump(f); }

    @Test
    void capturedFramesAreTheBytesSent() {
        wire(LinkProperties.IDEAL);
        List<String> seen = new ArrayList<>();
        lab.addCaptureSink("host/vnet0", (path, t, dir, f) -> seen.add(hex(f)));
        ByteBuf f = frame(TAP, GUEST, 64, 3);
        eth0.transmit(f);
        lab.scheduler().runUntilIdle();
        assertThat(seen).containsExactly(hex(f));
        assertThat(seen.get(0)).startsWith("fe5400aabb01" + "525400aabb01" + "0800");
        assertThat(CaptureSink.Direction.values()).hasSize(2);
    }
}
