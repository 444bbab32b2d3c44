package org.vnetlab.emulator.bridge;

import org.vnetlab.protocols.MacAddress;

/**
 * One forwarding database entry as {@code bridge fdb show} lists it.
 *
 * @param device the port device the address is behind, or the bridge's own name for its own address
 * @param local the address belongs to the bridge or one of its ports (frames to it go up to the host);
 *     {@code bridge fdb} calls these "permanent"
 * @param isStatic never ages (local entries, and entries added as static)
 * @param updatedNanos when a frame from this address last arrived (or when the entry was made)
 */
public record FdbEntry(MacAddress mac, String device, boolean local, boolean isStatic, long updatedNanos) {
    @Override
    public String toString() {
        return mac + " dev " + device + (local ? " permanent" : isStatic ? " static" : "");
    }
}
