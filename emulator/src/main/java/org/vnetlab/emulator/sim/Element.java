package org.vnetlab.emulator.sim;

/**
 * Anything registered in a {@link Lab}: a node, a device, a link. The path is unique in the lab and reads
 * like a location, {@code host/virbr0} or {@code link/vnet0}; captures, counters and logs use it.
 */
public interface Element {
    String path();
}
