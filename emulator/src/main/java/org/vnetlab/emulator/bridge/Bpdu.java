package org.vnetlab.emulator.bridge;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;

/**
 * 802.1D bridge protocol data units as the kernel sends and accepts them (br_stp_bpdu.c, net/802/stp.c):
 * an 802.3 frame to {@link #GROUP_ADDRESS} from the sending port's own MAC, the length field, LLC header
 * 42 42 03, then protocol id 0, version 0, type. Times travel in 1/256 s ticks.
 */
public sealed interface Bpdu permits Bpdu.Config, Bpdu.Tcn {
    /** The bridge group address, where 802.1D BPDUs go. */
    MacAddress GROUP_ADDRESS = MacAddress.parse("01:80:c2:00:00:00");

    /** A configuration BPDU; times in nanoseconds, sent rounded down to whole ticks as br_set_ticks does. */
    record Config(boolean topologyChange, boolean topologyChangeAck, BridgeId root, int rootPathCost,
            BridgeId bridge, int portId, long messageAgeNanos, long maxAgeNanos, long helloTimeNanos,
            long forwardDelayNanos) implements Bpdu {
        @Override
        public ByteBuf emit(MacAddress source) { return BpduWire.emit(this, source); }
    }

    /** A topology change notification BPDU. */
    record Tcn() implements Bpdu {
        @Override
        public ByteBuf emit(MacAddress source) { return BpduWire.emit(this, source); }
    }

    /** The whole Ethernet frame, unpadded: veth and tap carry BPDUs as the 52- or 21-byte frames they are. */
    ByteBuf emit(MacAddress source);

    /**
     * Reads a BPDU frame the way the kernel's LLC and STP receive paths accept it; anything they would
     * discard raises {@link ParseException}: not an 802.3 length, payload shorter than the length, LLC other
     * than 42 42 03, protocol or version not 0 (so RSTP BPDUs are refused), unknown type, short config BPDU.
     */
    static Bpdu parse(ByteBuf frame) throws ParseException {
        return BpduWire.parse(frame);
    }
}
