package org.vnetlab.emulator.link;

import io.netty.buffer.ByteBuf;

/**
 * The protocol side of a device: usually the node (host stack, guest) that owns it. The frame belongs to
 * the receiver from now on.
 */
@FunctionalInterface
public interface FrameReceiver {
    void receive(NetDevice device, ByteBuf frame);
}
