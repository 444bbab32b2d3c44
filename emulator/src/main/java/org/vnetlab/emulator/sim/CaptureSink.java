package org.vnetlab.emulator.sim;

import io.netty.buffer.ByteBuf;

/**
 * Receives every frame a tapped interface sends or receives, like {@code tcpdump -i IFACE}: the
 * interface's path, the virtual timestamp and the frame from its Ethernet header on.
 *
 * <p>The buffer is a read-only view valid only during the call: a sink that keeps the bytes copies them.
 * Transmitted frames are seen before any drop on the wire (as the kernel's taps see them), received frames
 * when the interface accepts them.
 */
@FunctionalInterface
public interface CaptureSink {
    enum Direction { INBOUND, OUTBOUND }

    void frame(String interfacePath, long timestampNanos, Direction direction, ByteBuf frame);
}
