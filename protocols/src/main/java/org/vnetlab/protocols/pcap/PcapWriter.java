package org.vnetlab.protocols.pcap;

import io.netty.buffer.ByteBuf;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a classic libpcap file for one link, with the nanosecond magic (0xa1b23c4d), little-endian.
 * Timestamps come from the caller (the emulated clock), never the wall clock.
 */
public final class PcapWriter implements Closeable, Flushable {
    public static final int NANOSECOND_MAGIC = 0xa1b23c4d;
    public static final int DEFAULT_SNAP_LENGTH = 262144;

    private final OutputStream out;
    private final int snapLength;

    /** An Ethernet capture with tcpdump's default snap length. */
    public PcapWriter(OutputStream out) throws IOException {
        this(out, PcapngWriter.LINKTYPE_ETHERNET, DEFAULT_SNAP_LENGTH);
    }

    public PcapWriter(OutputStream out, int linkType, int snapLength) throws IOException {
        if (snapLength <= 0) throw new IllegalArgumentException("snap length must be positive");
        this.out = out;
        this.snapLength = snapLength;
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(NANOSECOND_MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snapLength)
                .putInt(linkType);
        out.write(b.array());
    }

    /** Writes the readable bytes of {@code frame} without moving its indices. */
    public void write(long timestampNanos, ByteBuf frame) throws IOException {
        byte[] data = new byte[frame.readableBytes()];
        frame.getBytes(frame.readerIndex(), data);
        write(timestampNanos, data);
    }

    /** Writes a frame; bytes past the snap length are cut, the original length kept in the record header. */
    public void write(long timestampNanos, byte[] frame) throws IOException {
        if (timestampNanos < 0) throw new IllegalArgumentException("timestamp must not be negative: " + timestampNanos);
        long seconds = timestampNanos / 1_000_000_000L;
        if (seconds > 0xffff_ffffL) throw new IllegalArgumentException("timestamp past 2106 does not fit classic pcap");
        int captured = Math.min(frame.length, snapLength);
        ByteBuffer b = ByteBuffer.allocate(16 + captured).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) seconds).putInt((int) (timestampNanos % 1_000_000_000L)).putInt(captured).putInt(frame.length)
                .put(frame, 0, captured);
        out.write(b.array());
    }

    @Override
    public void flush() throws IOException { out.flush(); }

    @Override
    public void close() throws IOException { out.close(); }
}
