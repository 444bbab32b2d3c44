package org.vnetlab.protocols.pcap;

import io.netty.buffer.ByteBuf;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a pcapng capture (one section, little-endian): one Interface Description Block per emulated link,
 * named ({@code if_name}) and with nanosecond timestamps ({@code if_tsresol} = 9), and one Enhanced Packet
 * Block per frame, stamped with the emulated clock's time as the caller gives it.
 *
 * <p>Deterministic: the Section Header Block carries only {@code shb_userappl}, never the host name, OS
 * or the time of writing, so the same calls always give the same bytes.
 */
public final class PcapngWriter implements Closeable, Flushable {
    public static final int LINKTYPE_ETHERNET = 1;

    static final int SHB = 0x0A0D0D0A;
    static final int IDB = 0x00000001;
    static final int EPB = 0x00000006;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int OPT_END = 0;
    static final int SHB_USERAPPL = 4;
    static final int IF_NAME = 2;
    static final int IF_TSRESOL = 9;
    /** 10^-9 s: nanoseconds. */
    static final int TSRESOL_NANOS = 9;

    private final OutputStream out;
    private final List<String> interfaces = new ArrayList<>();
    private final List<Integer> snapLengths = new ArrayList<>();

    /** Starts a capture written by "vnetlab". */
    public PcapngWriter(OutputStream out) throws IOException {
        this(out, "vnetlab");
    }

    /** Starts a capture; {@code application} goes into {@code shb_userappl}. */
    public PcapngWriter(OutputStream out, String application) throws IOException {
        this.out = out;
        byte[] appl = application.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = block(SHB, 16 + optionLength(appl.length) + 4);
        b.putInt(BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0).putLong(-1L); // section length unknown
        option(b, SHB_USERAPPL, appl);
        b.putShort((short) OPT_END).putShort((short) 0);
        finish(b);
    }

    /** Adds an Ethernet interface without a snap length limit; returns its id for {@link #write}. */
    public int addInterface(String name) throws IOException {
        return addInterface(name, LINKTYPE_ETHERNET, 0);
    }

    /** Adds an interface; a snap length of 0 means no limit. */
    public int addInterface(String name, int linkType, int snapLength) throws IOException {
        if (linkType < 0 || linkType > 0xffff) throw new IllegalArgumentException("link type out of 0..65535: " + linkType);
        if (snapLength < 0) throw new IllegalArgumentException("snap length must not be negative");
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = block(IDB, 8 + optionLength(n.length) + optionLength(1) + 4);
        b.putShort((short) linkType).putShort((short) 0).putInt(snapLength);
        option(b, IF_NAME, n);
        option(b, IF_TSRESOL, new byte[] {TSRESOL_NANOS});
        b.putShort((short) OPT_END).putShort((short) 0);
        finish(b);
        interfaces.add(name);
        snapLengths.add(snapLength);
        return interfaces.size() - 1;
    }

    /**
     * Writes the readable bytes of {@code frame} (indices untouched) as seen on {@code interfaceId} at
     * {@code timestampNanos} (emulated time, nanoseconds since the epoch the caller chose).
     */
    public void write(int interfaceId, long timestampNanos, ByteBuf frame) throws IOException {
        byte[] data = new byte[frame.readableBytes()];
        frame.getBytes(frame.readerIndex(), data);
        write(interfaceId, timestampNanos, data);
    }

    public void write(int interfaceId, long timestampNanos, byte[] frame) throws IOException {
        if (interfaceId < 0 || interfaceId >= interfaces.size()) {
            throw new IllegalArgumentException("no interface " + interfaceId + " (" + interfaces.size() + " added)");
        }
        if (timestampNanos < 0) throw new IllegalArgumentException("timestamp must not be negative: " + timestampNanos);
        int snap = snapLengths.get(interfaceId);
        int captured = snap == 0 ? frame.length : Math.min(frame.length, snap);
        ByteBuffer b = block(EPB, 20 + pad4(captured));
        b.putInt(interfaceId).putInt((int) (timestampNanos >>> 32)).putInt((int) timestampNanos)
                .putInt(captured).putInt(frame.length).put(frame, 0, captured);
        b.position(b.position() + pad4(captured) - captured);
        finish(b);
    }

    /** The names given to {@link #addInterface}, by id. */
    public List<String> interfaces() { return List.copyOf(interfaces); }

    @Override
    public void flush() throws IOException { out.flush(); }

    @Override
    public void close() throws IOException { out.close(); }

    /** A block buffer with type and total length written; {@code body} excludes the 12 bytes of framing. */
    private static ByteBuffer block(int type, int body) {
        int total = 12 + body;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        return b.putInt(type).putInt(total);
    }

    private void finish(ByteBuffer b) throws IOException {
        b.putInt(b.capacity());
        if (b.position() != b.capacity()) throw new IllegalStateException("block size miscounted");
        out.write(b.array());
    }

    private static void option(ByteBuffer b, int code, byte[] value) {
        b.putShort((short) code).putShort((short) value.length).put(value);
        b.position(b.position() + pad4(value.length) - value.length);
    }

    private static int optionLength(int valueLength) { return 4 + pad4(valueLength); }

    static int pad4(int n) { return (n + 3) & ~3; }
}
