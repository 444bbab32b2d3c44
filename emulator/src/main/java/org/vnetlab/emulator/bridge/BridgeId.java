package org.vnetlab.emulator.bridge;

import java.util.Locale;
import org.vnetlab.protocols.MacAddress;

/**
 * An 802.1D bridge identifier: 16-bit priority then the 48-bit MAC, compared as one unsigned 64-bit number
 * (lower is better, as memcmp over the 8 bytes compares them in the kernel).
 */
public record BridgeId(long bits) implements Comparable<BridgeId> {

    public static BridgeId of(int priority, MacAddress mac) {
        if (priority < 0 || priority > 0xffff) throw new IllegalArgumentException("bridge priority " + priority);
        return new BridgeId(((long) priority << 48) | mac.bits());
    }

    public int priority() { return (int) (bits >>> 48); }

    public MacAddress mac() { return new MacAddress(bits & 0xffff_ffff_ffffL); }

    @Override
    public int compareTo(BridgeId o) { return Long.compareUnsigned(bits, o.bits); }

    /** {@code 8000.52:54:00:73:62:06}, as tcpdump prints it. */
    @Override
    public String toString() { return String.format(Locale.ROOT, "%04x.%s", priority(), mac()); }
}
