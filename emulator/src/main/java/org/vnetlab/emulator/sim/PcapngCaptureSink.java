package org.vnetlab.emulator.sim;

import io.netty.buffer.ByteBuf;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.vnetlab.protocols.pcap.PcapngWriter;

/**
 * Writes what the lab's taps see into a pcapng file: one interface block per tapped interface, named by its
 * path ({@code host/vnet0}) and added when its first frame arrives, and one packet block per frame, stamped
 * with the virtual time plus a fixed epoch (0 unless given, so the same run writes the same bytes).
 * Direction is not recorded; each interface shows what it sent and received, as {@code tcpdump -i} does.
 */
public final class PcapngCaptureSink implements CaptureSink, Closeable {
    private final PcapngWriter writer;
    private final long epochNanos;
    private final Map<String, Integer> interfaceIds = new HashMap<>();

    public PcapngCaptureSink(PcapngWriter writer) {
        this(writer, 0);
    }

    /** @param epochNanos added to every virtual timestamp, e.g. to place a run at a real date in Wireshark */
    public PcapngCaptureSink(PcapngWriter writer, long epochNanos) {
        if (epochNanos < 0) throw new IllegalArgumentException("negative epoch");
        this.writer = writer;
        this.epochNanos = epochNanos;
    }

    /** Writing failed: the capture is unusable, so the run stops with the I/O error. */
    @Override
    public void frame(String interfacePath, long timestampNanos, Direction direction, ByteBuf frame) {
        try {
            Integer id = interfaceIds.get(interfacePath);
            if (id == null) {
                id = writer.addInterface(interfacePath);
                interfaceIds.put(interfacePath, id);
            }
            writer.write(id, Math.addExact(epochNanos, timestampNanos), frame);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the capture of " + interfacePath, e);
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
