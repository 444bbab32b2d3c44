package org.vnetlab.emulator.netfilter;

/** A packet and byte count, as {@code [packets:bytes]} in iptables-save -c. */
public record Counter(long packets, long bytes) {
    public static final Counter ZERO = new Counter(0, 0);

    public Counter {
        if (packets < 0 || bytes < 0) throw new IllegalArgumentException("negative counter");
    }

    public Counter plus(long packetCount, long byteCount) { return new Counter(packets + packetCount, bytes + byteCount); }
}
