package org.vnetlab.protocols.pcap;

import java.util.Arrays;

/** One captured frame: when, on which link type, and its bytes as they were on the wire. */
public record PcapRecord(long timestampNanos, int linkType, byte[] data) {
    public PcapRecord {
        data = data.clone();
    }

    @Override
    public byte[] data() { return data.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcapRecord r && r.timestampNanos == timestampNanos && r.linkType == linkType
                && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() { return Long.hashCode(timestampNanos) * 31 + Arrays.hashCode(data); }
}
