package org.vnetlab.emulator.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Objects;
import org.vnetlab.emulator.sim.Element;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SeededRandom;

/**
 * A wire between two {@link LinkDevice}s. Each frame sent is checked against the receiving end (up, MTU),
 * copied, and delivered after the latency as its own event, so even a zero-latency link never recurses and
 * same-time frames arrive in the order they were sent. Loss is drawn per frame from the link's own random
 * stream ({@code link/NAME}); a lost frame counts as sent, and is counted on the link, not on any device.
 */
public final class Link implements Element {
    private final Lab lab;
    private final String name;
    private final LinkDevice a;
    private final LinkDevice b;
    private final LinkProperties properties;
    private final SeededRandom random;
    private final String labelAtoB;
    private final String labelBtoA;
    private boolean up = true;
    private long lost;

    private Link(Lab lab, String name, LinkDevice a, LinkDevice b, LinkProperties properties) {
        this.lab = lab;
        this.name = name;
        this.a = a;
        this.b = b;
        this.properties = Objects.requireNonNull(properties, "properties");
        this.random = lab.random(path());
        this.labelAtoB = "link " + name + ": " + a.path() + " -> " + b.path();
        this.labelBtoA = "link " + name + ": " + b.path() + " -> " + a.path();
    }

    /** Wires two devices together; the link starts up (cable plugged in). */
    public static Link connect(Lab lab, String name, LinkDevice a, LinkDevice b, LinkProperties properties) {
        if (a == b) throw new IllegalArgumentException("a link needs two different devices");
        Link link = new Link(lab, name, a, b, properties);
        a.attach(link);
        b.attach(link);
        lab.add(link);
        link.refreshCarrier();
        return link;
    }

    public static Link connect(Lab lab, String name, LinkDevice a, LinkDevice b) {
        return connect(lab, name, a, b, LinkProperties.IDEAL);
    }

    public String name() { return name; }

    @Override
    public String path() { return "link/" + name; }

    public LinkDevice a() { return a; }

    public LinkDevice b() { return b; }

    public LinkDevice peerOf(LinkDevice end) {
        if (end == a) return b;
        if (end == b) return a;
        throw new IllegalArgumentException(end.path() + " is not on link " + name);
    }

    public LinkProperties properties() { return properties; }

    public boolean isUp() { return up; }

    /** Plugs or unplugs the cable: both ends gain or lose carrier. */
    public void setUp(boolean up) {
        this.up = up;
        refreshCarrier();
    }

    /** Frames lost on the wire by the loss probability. */
    public long lostFrames() { return lost; }

    boolean carries(LinkDevice end) {
        return up && peerOf(end).isUp();
    }

    void refreshCarrier() {
        a.refreshCarrier();
        b.refreshCarrier();
    }

    void send(LinkDevice from, ByteBuf frame) {
        LinkDevice to = peerOf(from);
        int length = frame.readableBytes();
        if (length < NetDevice.ETH_HLEN) {
            from.counters().countTxDropped(); // veth_xmit cannot pull an Ethernet header
            return;
        }
        if (!to.isUp() || length > to.mtu() + NetDevice.ETH_HLEN + NetDevice.VLAN_HLEN) {
            from.counters().countTxDropped();
            to.counters().countRxDropped();
            return;
        }
        from.counters().countTx(length);
        if (random.chance(properties.lossProbability())) {
            lost++;
            return;
        }
        ByteBuf copy = Unpooled.copiedBuffer(frame);
        lab.scheduler().schedule(properties.latencyNanos(), from == a ? labelAtoB : labelBtoA, () -> to.arrive(copy));
    }

    @Override
    public String toString() {
        return "Link[" + name + ": " + a.path() + " <-> " + b.path() + (up ? "" : " DOWN") + "]";
    }
}
