package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * An AF_PACKET socket bound to one interface: every frame the interface accepts (for its MAC, broadcast or
 * multicast) is handed over as a read-only copy before IP processing, and {@link #send} puts a whole frame
 * on the wire with no routing, no netfilter and no ARP. What a DHCP client without an address (busybox
 * udhcpc) uses. Frames the host itself sends are not looped back to it.
 */
public final class PacketSocket {
    private final IpStack stack;
    private final StackInterface device;
    private final Consumer<ByteBuf> receiver;
    private boolean closed;

    PacketSocket(IpStack stack, StackInterface device, Consumer<ByteBuf> receiver) {
        this.stack = stack;
        this.device = device;
        this.receiver = receiver;
    }

    public String device() { return device.name(); }

    /** Sends {@code frame} (from the Ethernet header on) out of the interface. */
    public void send(ByteBuf frame) throws SocketException {
        if (closed) throw new SocketException(Errno.EINVAL, "socket closed");
        if (!device.device().isUp()) throw new SocketException(Errno.ENETUNREACH, "send on " + device.name());
        stack.transmitRaw(device, frame);
    }

    public void close() {
        closed = true;
        stack.sockets().closePacket(this);
    }

    StackInterface iface() { return device; }

    void deliver(ByteBuf frame) { receiver.accept(frame.asReadOnly()); }
}
