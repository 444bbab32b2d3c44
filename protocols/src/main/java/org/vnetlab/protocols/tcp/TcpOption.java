package org.vnetlab.protocols.tcp;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vnetlab.protocols.ParseException;

/**
 * One TCP option (RFC 9293 3.1, RFC 7323, RFC 2018). A known kind with a length other than its own is kept
 * as {@link Unknown} bytes, like Linux's tcp_parse_options skips it, so nothing is lost on re-emit.
 */
public sealed interface TcpOption {
    int KIND_END = 0;
    int KIND_NOP = 1;
    int KIND_MSS = 2;
    int KIND_WINDOW_SCALE = 3;
    int KIND_SACK_PERMITTED = 4;
    int KIND_SACK = 5;
    int KIND_TIMESTAMPS = 8;

    int kind();

    /** Bytes on the wire, kind and length bytes included. */
    int length();

    /** Writes {@link #length()} bytes at absolute {@code index}. */
    void emit(ByteBuf buf, int index);

    /** End of option list: one byte; what follows it up to the data offset is zero padding. */
    record EndOfList() implements TcpOption {
        @Override public int kind() { return KIND_END; }
        @Override public int length() { return 1; }
        @Override public void emit(ByteBuf buf, int index) { buf.setByte(index, KIND_END); }
    }

    record NoOp() implements TcpOption {
        @Override public int kind() { return KIND_NOP; }
        @Override public int length() { return 1; }
        @Override public void emit(ByteBuf buf, int index) { buf.setByte(index, KIND_NOP); }
    }

    record Mss(int value) implements TcpOption {
        public Mss {
            if (value < 0 || value > 0xffff) throw new IllegalArgumentException("MSS out of 16 bits: " + value);
        }
        @Override public int kind() { return KIND_MSS; }
        @Override public int length() { return 4; }
        @Override public void emit(ByteBuf buf, int index) {
            buf.setByte(index, KIND_MSS);
            buf.setByte(index + 1, 4);
            buf.setShort(index + 2, value);
        }
    }

    /** The shift count as sent (RFC 7323 caps its use at 14; the wire byte is kept as is). */
    record WindowScale(int shift) implements TcpOption {
        public WindowScale {
            if (shift < 0 || shift > 0xff) throw new IllegalArgumentException("shift out of 8 bits: " + shift);
        }
        @Override public int kind() { return KIND_WINDOW_SCALE; }
        @Override public int length() { return 3; }
        @Override public void emit(ByteBuf buf, int index) {
            buf.setByte(index, KIND_WINDOW_SCALE);
            buf.setByte(index + 1, 3);
            buf.setByte(index + 2, shift);
        }
    }

    record SackPermitted() implements TcpOption {
        @Override public int kind() { return KIND_SACK_PERMITTED; }
        @Override public int length() { return 2; }
        @Override public void emit(ByteBuf buf, int index) {
            buf.setByte(index, KIND_SACK_PERMITTED);
            buf.setByte(index + 1, 2);
        }
    }

    /** One SACK block: left and right edges, unsigned 32-bit sequence numbers. */
    record SackBlock(long left, long right) {
        public SackBlock {
            if (left < 0 || left > 0xffff_ffffL || right < 0 || right > 0xffff_ffffL) {
                throw new IllegalArgumentException("SACK edge out of 32 bits");
            }
        }
    }

    record Sack(List<SackBlock> blocks) implements TcpOption {
        public Sack {
            blocks = List.copyOf(blocks);
            if (blocks.isEmpty() || blocks.size() > 4) throw new IllegalArgumentException("SACK carries 1 to 4 blocks: " + blocks.size());
        }
        @Override public int kind() { return KIND_SACK; }
        @Override public int length() { return 2 + 8 * blocks.size(); }
        @Override public void emit(ByteBuf buf, int index) {
            buf.setByte(index, KIND_SACK);
            buf.setByte(index + 1, length());
            int i = index + 2;
            for (SackBlock b : blocks) {
                buf.setInt(i, (int) b.left());
                buf.setInt(i + 4, (int) b.right());
                i += 8;
            }
        }
    }

    /** TSval and TSecr, unsigned 32-bit. */
    record Timestamps(long value, long echoReply) implements TcpOption {
        public Timestamps {
            if (value < 0 || value > 0xffff_ffffL || echoReply < 0 || echoReply > 0xffff_ffffL) {
                throw new IllegalArgumentException("timestamp out of 32 bits");
            }
        }
        @Override public int kind() { return KIND_TIMESTAMPS; }
        @Override public int length() { return 10; }
        @Override public void emit(ByteBuf buf, int index) {
            buf.setByte(index, KIND_TIMESTAMPS);
            buf.setByte(index + 1, 10);
            buf.setInt(index + 2, (int) value);
            buf.setInt(index + 6, (int) echoReply);
        }
    }

    /** Any other option: kind and the bytes after the length byte. */
    record Unknown(int kind, byte[] data) implements TcpOption {
        public Unknown {
            if (kind < 2 || kind > 0xff) throw new IllegalArgumentException("option kind must be 2..255 for a length-carrying option: " + kind);
            if (data.length > 38) throw new IllegalArgumentException("option data too long: " + data.length);
            if (isCanonical(kind, data.length + 2)) {
                throw new IllegalArgumentException("kind " + kind + " of length " + (data.length + 2) + " is a typed option, not Unknown");
            }
            data = data.clone();
        }
        @Override public byte[] data() { return data.clone(); }
        @Override public int length() { return 2 + data.length; }
        @Override public void emit(ByteBuf buf, int index) {
            buf.setByte(index, kind);
            buf.setByte(index + 1, length());
            buf.setBytes(index + 2, data);
        }
        @Override public boolean equals(Object o) { return o instanceof Unknown u && u.kind == kind && Arrays.equals(u.data, data); }
        @Override public int hashCode() { return kind * 31 + Arrays.hashCode(data); }
        @Override public String toString() { return "Unknown[kind " + kind + ", " + data.length + " bytes]"; }
    }

    /**
     * Parses the options area {@code [from, to)} of {@code buf}. Stops at End of List. An option whose length
     * byte is missing, below 2 or runs past {@code to} raises a ParseException (Linux drops such a walk).
     */
    static List<TcpOption> parseAll(ByteBuf buf, int from, int to) throws ParseException {
        List<TcpOption> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            int kind = buf.getUnsignedByte(i);
            if (kind == KIND_END) {
                out.add(new EndOfList());
                break;
            }
            if (kind == KIND_NOP) {
                out.add(new NoOp());
                i++;
                continue;
            }
            if (i + 1 >= to) throw new ParseException(TcpSegment.LAYER, "option length", i + 1, "option " + kind + " has no length byte");
            int length = buf.getUnsignedByte(i + 1);
            if (length < 2) throw new ParseException(TcpSegment.LAYER, "option length", i + 1, "length " + length + " of option " + kind + " is below 2");
            if (i + length > to) {
                throw new ParseException(TcpSegment.LAYER, "option length", i + 1,
                        "option " + kind + " of " + length + " bytes runs past the end of the header");
            }
            out.add(parseOne(buf, i, kind, length));
            i += length;
        }
        return out;
    }

    /** Whether (kind, length) is the wire form of one of the typed records. */
    private static boolean isCanonical(int kind, int length) {
        return switch (kind) {
            case KIND_MSS -> length == 4;
            case KIND_WINDOW_SCALE -> length == 3;
            case KIND_SACK_PERMITTED -> length == 2;
            case KIND_TIMESTAMPS -> length == 10;
            case KIND_SACK -> length >= 10 && length <= 34 && (length - 2) % 8 == 0;
            default -> false;
        };
    }

    private static TcpOption parseOne(ByteBuf buf, int i, int kind, int length) {
        if (!isCanonical(kind, length)) {
            byte[] data = new byte[length - 2];
            buf.getBytes(i + 2, data);
            return new Unknown(kind, data);
        }
        if (kind == KIND_MSS) return new Mss(buf.getUnsignedShort(i + 2));
        if (kind == KIND_WINDOW_SCALE) return new WindowScale(buf.getUnsignedByte(i + 2));
        if (kind == KIND_SACK_PERMITTED) return new SackPermitted();
        if (kind == KIND_TIMESTAMPS) return new Timestamps(buf.getUnsignedInt(i + 2), buf.getUnsignedInt(i + 6));
        List<SackBlock> blocks = new ArrayList<>();
        for (int j = i + 2; j < i + length; j += 8) blocks.add(new SackBlock(buf.getUnsignedInt(j), buf.getUnsignedInt(j + 4)));
        return new Sack(blocks);
    }
}
