package org.vnetlab.protocols.pcap;

import java.util.Arrays;
import java.util.HexFormat;

/** One Enhanced Packet Block: on which interface, when (nanoseconds), the original length and the bytes. */
public record PcapngPacket(int interfaceId, long timestampNanos, int originalLength, byte[] data) {
    public PcapngPacket {
        data = data.clone();
    }

    @Override
    public byte[] data() { return data.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcapngPacket p && p.interfaceId == interfaceId && p.timestampNanos == timestampNanos
                && p.originalLength == originalLength && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() { return (interfaceId * 31 + Long.hashCode(timestampNanos)) * 31 + Arrays.hashCode(data); }

    @Override
    public String toString() {
        return "PcapngPacket[interface=" + interfaceId + ", t=" + timestampNanos + "ns, " + data.length + "/" + originalLength
                + " bytes " + HexFormat.of().formatHex(data, 0, Math.min(data.length, 32)) + (data.length > 32 ? "…" : "") + "]";
    }
}
