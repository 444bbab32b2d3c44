package org.vnetlab.emulator.link;

import io.netty.buffer.ByteBuf;

/**
 * Claims a device's received frames before its owner sees them, like the kernel's {@code rx_handler}: the
 * bridge installs one on each port. A device has at most one.
 */
@FunctionalInterface
public interface RxHandler {
    /**
     * Returns true if the handler consumed the frame (it owns the buffer now), false to pass it on,
     * untouched, to the device's {@link FrameReceiver} (the kernel's {@code RX_HANDLER_PASS}).
     */
    boolean handle(NetDevice device, ByteBuf frame);
}
