package org.vnetlab.emulator.link;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.protocols.MacAddress;

/**
 * One end of a point-to-point {@link Link}: a veth end, a tap such as {@code vnet0}, or a guest's
 * {@code eth0}. Like a veth, it has carrier while its link is up and the far end is administratively up.
 */
public final class LinkDevice extends NetDevice {
    private Link link;

    /** A new device, administratively down and without carrier until it is linked and brought up. */
    public LinkDevice(Lab lab, String node, String name, MacAddress mac) {
        super(lab, node, name, mac);
    }

    public Optional<Link> link() { return Optional.ofNullable(link); }

    void attach(Link link) {
        if (this.link != null) throw new IllegalStateException(path() + " is already on link " + this.link.path());
        this.link = link;
    }

    void refreshCarrier() {
        setCarrier(link != null && link.carries(this));
    }

    @Override
    protected void adminStateChanged(boolean nowUp) {
        if (link != null) link.refreshCarrier();
    }

    /**
     * Puts a copy of the frame on the wire. A device that is down or without carrier sends nothing and
     * counts {@code tx_dropped} (the kernel discards in its no-op qdisc).
     */
    @Override
    public void transmit(ByteBuf frame) {
        if (!isOperUp()) {
            counters().countTxDropped();
            return;
        }
        captureOutbound(frame);
        link.send(this, frame);
    }

    /** The wire delivers: the far end may have gone down while the frame was in flight. */
    void arrive(ByteBuf frame) {
        if (!isOperUp()) {
            counters().countRxDropped();
            return;
        }
        receiveFrame(frame);
    }
}
