package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.vnetlab.emulator.link.NetDevice;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.protocols.MacAddress;

/**
 * {@code lo}: what is sent comes back in as received, one event later (the kernel's loopback_xmit queues to
 * netif_rx and the packet is processed in a later softirq), so a stack talking to itself never recurses.
 * Always has carrier. Its MTU is 65535 (Linux uses 65536, one more than the device model allows).
 */
public final class LoopbackDevice extends NetDevice {
    private final String label;

    public LoopbackDevice(Lab lab, String node) {
        super(lab, node, "lo", MacAddress.ZERO);
        setMtu(65535);
        setCarrier(true);
        this.label = path() + " loopback";
    }

    @Override
    public void transmit(ByteBuf frame) {
        if (!isUp()) {
            counters().countTxDropped();
            return;
        }
        captureOutbound(frame);
        counters().countTx(frame.readableBytes());
        ByteBuf copy = Unpooled.copiedBuffer(frame);
        lab.scheduler().schedule(0, label, () -> receiveFrame(copy));
    }
}
