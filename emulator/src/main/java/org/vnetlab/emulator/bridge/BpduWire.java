package org.vnetlab.emulator.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;

/** The BPDU frame layout, named once. */
final class BpduWire {
    private static final String LAYER = "stp";
    private static final int LLC_SAP_BSPAN = 0x42;
    private static final int LLC_UI = 0x03;
    private static final int TYPE_CONFIG = 0x00;
    private static final int TYPE_TCN = 0x80;
    private static final int FLAG_TOPOLOGY_CHANGE = 0x01;
    private static final int FLAG_TOPOLOGY_CHANGE_ACK = 0x80;
    /** 1/256 s, exactly. */
    private static final long NANOS_PER_TICK = 3_906_250L;

    private static final int LENGTH = 12;
    private static final int LLC = 14;
    private static final int PROTOCOL = 17;
    private static final int VERSION = 19;
    private static final int TYPE = 20;
    private static final int FLAGS = 21;
    private static final int ROOT = 22;
    private static final int ROOT_PATH_COST = 30;
    private static final int BRIDGE = 34;
    private static final int PORT = 42;
    private static final int MESSAGE_AGE = 44;
    private static final int MAX_AGE = 46;
    private static final int HELLO_TIME = 48;
    private static final int FORWARD_DELAY = 50;
    private static final int CONFIG_END = 52;
    private static final int TCN_END = 21;

    private BpduWire() {}

    static ByteBuf emit(Bpdu.Config c, MacAddress source) {
        ByteBuf f = header(source, CONFIG_END, TYPE_CONFIG);
        f.setByte(FLAGS, (c.topologyChange() ? FLAG_TOPOLOGY_CHANGE : 0) | (c.topologyChangeAck() ? FLAG_TOPOLOGY_CHANGE_ACK : 0));
        f.setLong(ROOT, c.root().bits());
        f.setInt(ROOT_PATH_COST, c.rootPathCost());
        f.setLong(BRIDGE, c.bridge().bits());
        f.setShort(PORT, c.portId());
        f.setShort(MESSAGE_AGE, ticks(c.messageAgeNanos()));
        f.setShort(MAX_AGE, ticks(c.maxAgeNanos()));
        f.setShort(HELLO_TIME, ticks(c.helloTimeNanos()));
        f.setShort(FORWARD_DELAY, ticks(c.forwardDelayNanos()));
        return f;
    }

    static ByteBuf emit(Bpdu.Tcn t, MacAddress source) {
        return header(source, TCN_END, TYPE_TCN);
    }

    private static ByteBuf header(MacAddress source, int end, int type) {
        ByteBuf f = Unpooled.buffer(end, end);
        f.writerIndex(end);
        Bpdu.GROUP_ADDRESS.write(f, 0);
        source.write(f, 6);
        f.setShort(LENGTH, end - LLC);
        f.setByte(LLC, LLC_SAP_BSPAN);
        f.setByte(LLC + 1, LLC_SAP_BSPAN);
        f.setByte(LLC + 2, LLC_UI);
        f.setShort(PROTOCOL, 0);
        f.setByte(VERSION, 0);
        f.setByte(TYPE, type);
        return f;
    }

    private static int ticks(long nanos) {
        return (int) Math.min(0xffff, Math.max(0, nanos) / NANOS_PER_TICK);
    }

    private static long nanos(ByteBuf f, int index) {
        return f.getUnsignedShort(index) * NANOS_PER_TICK;
    }

    static Bpdu parse(ByteBuf frame) throws ParseException {
        int base = frame.readerIndex();
        int available = frame.readableBytes();
        if (available < LLC + 3) throw ParseException.truncated(LAYER, "LLC header", LLC, LLC + 3, available);
        int length = frame.getUnsignedShort(base + LENGTH);
        if (length >= 0x0600) {
            throw new ParseException(LAYER, "length", LENGTH, String.format("0x%04x is an EtherType, not an 802.3 length", length));
        }
        if (length < 3 || LLC + length > available) throw ParseException.truncated(LAYER, "802.3 payload", LLC, length, available - LLC);
        int end = LLC + length; // the LLC layer trims anything past the length field (padding)
        if (frame.getUnsignedByte(base + LLC) != LLC_SAP_BSPAN || frame.getUnsignedByte(base + LLC + 1) != LLC_SAP_BSPAN
                || frame.getUnsignedByte(base + LLC + 2) != LLC_UI) {
            throw new ParseException(LAYER, "LLC header", LLC, "not DSAP/SSAP 0x42 with a UI control field");
        }
        if (end < TCN_END) throw ParseException.truncated(LAYER, "BPDU header", PROTOCOL, TCN_END - PROTOCOL, end - PROTOCOL);
        if (frame.getUnsignedShort(base + PROTOCOL) != 0 || frame.getUnsignedByte(base + VERSION) != 0) {
            throw new ParseException(LAYER, "protocol/version", PROTOCOL, "only 802.1D protocol 0 version 0 is accepted");
        }
        int type = frame.getUnsignedByte(base + TYPE);
        if (type == TYPE_TCN) return new Bpdu.Tcn();
        if (type != TYPE_CONFIG) throw new ParseException(LAYER, "type", TYPE, String.format("unknown BPDU type 0x%02x", type));
        if (end < CONFIG_END) throw ParseException.truncated(LAYER, "config BPDU", PROTOCOL, CONFIG_END - PROTOCOL, end - PROTOCOL);
        int flags = frame.getUnsignedByte(base + FLAGS);
        return new Bpdu.Config((flags & FLAG_TOPOLOGY_CHANGE) != 0, (flags & FLAG_TOPOLOGY_CHANGE_ACK) != 0,
                new BridgeId(frame.getLong(base + ROOT)), frame.getInt(base + ROOT_PATH_COST),
                new BridgeId(frame.getLong(base + BRIDGE)), frame.getUnsignedShort(base + PORT),
                nanos(frame, base + MESSAGE_AGE), nanos(frame, base + MAX_AGE), nanos(frame, base + HELLO_TIME),
                nanos(frame, base + FORWARD_DELAY));
    }
}
