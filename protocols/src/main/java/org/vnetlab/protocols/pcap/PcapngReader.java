package org.vnetlab.protocols.pcap;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vnetlab.protocols.ParseException;

/**
 * Reads a pcapng capture of one section, in either byte order: interfaces (name, link type, timestamp
 * resolution and offset) and Enhanced Packet Blocks, timestamps converted to nanoseconds. Enough for what
 * {@link PcapngWriter} writes and for captures saved by Wireshark/dumpcap. Blocks that carry no packets
 * (statistics, name resolution, secrets, custom) are skipped; packet blocks other than EPB and further
 * sections are refused as unsupported.
 */
public final class PcapngReader {
    private static final String LAYER = "pcapng";
    private static final int SPB = 3;
    private static final int OBSOLETE_PB = 2;
    private static final int IF_TSOFFSET = 14;

    private PcapngReader() {}

    public static PcapngCapture read(Path file) throws IOException, ParseException {
        return read(Files.readAllBytes(file));
    }

    public static PcapngCapture read(byte[] bytes) throws ParseException {
        if (bytes.length < 28) throw ParseException.truncated(LAYER, "section header block", 0, 28, bytes.length);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.getInt(0) != PcapngWriter.SHB) {
            throw new ParseException(LAYER, "block type", 0, String.format("0x%08x, a pcapng file starts with a section header block", buf.getInt(0)));
        }
        if (buf.getInt(8) != PcapngWriter.BYTE_ORDER_MAGIC) {
            buf.order(ByteOrder.BIG_ENDIAN);
            if (buf.getInt(8) != PcapngWriter.BYTE_ORDER_MAGIC) {
                throw new ParseException(LAYER, "byte-order magic", 8, String.format("0x%08x", buf.getInt(8)));
            }
        }
        if (buf.getShort(12) != 1) {
            throw new ParseException(LAYER, "major version", 12, "unsupported version " + buf.getShort(12));
        }
        String application = "";
        List<PcapngInterface> interfaces = new ArrayList<>();
        List<long[]> clocks = new ArrayList<>(); // per interface: {resolution code, offset seconds}
        List<PcapngPacket> packets = new ArrayList<>();
        int pos = 0;
        while (pos < bytes.length) {
            if (bytes.length - pos < 12) throw ParseException.truncated(LAYER, "block header", pos, 12, bytes.length - pos);
            int type = buf.getInt(pos);
            int total = buf.getInt(pos + 4);
            if (total < 12 || total % 4 != 0) {
                throw new ParseException(LAYER, "block total length", pos + 4, total + " is not a multiple of 4 of at least 12");
            }
            if (total > bytes.length - pos) throw ParseException.truncated(LAYER, "block", pos, total, bytes.length - pos);
            if (buf.getInt(pos + total - 4) != total) {
                throw new ParseException(LAYER, "trailing block length", pos + total - 4,
                        buf.getInt(pos + total - 4) + " differs from the leading " + total);
            }
            int body = pos + 8;
            int end = pos + total - 4;
            switch (type) {
                case PcapngWriter.SHB -> {
                    if (pos != 0) throw new ParseException(LAYER, "section header block", pos, "unsupported: more than one section");
                    need(end - body, 16, "section header block", pos);
                    for (Option o : options(buf, body + 16, end)) {
                        if (o.code == PcapngWriter.SHB_USERAPPL) application = o.text(bytes);
                    }
                }
                case PcapngWriter.IDB -> {
                    need(end - body, 8, "interface description block", pos);
                    String name = "";
                    long resolution = 6;
                    long offset = 0;
                    for (Option o : options(buf, body + 8, end)) {
                        if (o.code == PcapngWriter.IF_NAME) name = o.text(bytes);
                        if (o.code == PcapngWriter.IF_TSRESOL) {
                            if (o.length != 1) throw new ParseException(LAYER, "if_tsresol", o.at, "length " + o.length + ", expected 1");
                            resolution = bytes[o.at + 4] & 0xff;
                        }
                        if (o.code == IF_TSOFFSET) {
                            if (o.length != 8) throw new ParseException(LAYER, "if_tsoffset", o.at, "length " + o.length + ", expected 8");
                            offset = buf.getLong(o.at + 4);
                        }
                    }
                    interfaces.add(new PcapngInterface(name, buf.getShort(body) & 0xffff, buf.getInt(body + 4)));
                    clocks.add(new long[] {resolution, offset});
                }
                case PcapngWriter.EPB -> {
                    need(end - body, 20, "enhanced packet block", pos);
                    int id = buf.getInt(body);
                    if (id < 0 || id >= interfaces.size()) {
                        throw new ParseException(LAYER, "interface id", body, id + " names no interface (" + interfaces.size() + " described)");
                    }
                    long ticks = (buf.getInt(body + 4) & 0xffff_ffffL) << 32 | (buf.getInt(body + 8) & 0xffff_ffffL);
                    int captured = buf.getInt(body + 12);
                    int original = buf.getInt(body + 16);
                    if (captured < 0 || captured > end - body - 20) {
                        throw ParseException.truncated(LAYER, "packet data", body + 20, captured, end - body - 20);
                    }
                    byte[] data = new byte[captured];
                    System.arraycopy(bytes, body + 20, data, 0, captured);
                    packets.add(new PcapngPacket(id, nanos(ticks, clocks.get(id), body + 4), original, data));
                }
                case SPB, OBSOLETE_PB -> throw new ParseException(LAYER, "block type", pos,
                        "unsupported: " + (type == SPB ? "simple packet block" : "obsolete packet block"));
                default -> { } // no packets in it: statistics, name resolution, secrets, custom
            }
            pos += total;
        }
        return new PcapngCapture(application, interfaces, packets);
    }

    private static void need(int have, int needed, String block, int at) throws ParseException {
        if (have < needed) throw ParseException.truncated(LAYER, block, at, needed, have);
    }

    /** Timestamp units to nanoseconds: if_tsresol is 10^-n, or 2^-n when its top bit is set. */
    private static long nanos(long ticks, long[] clock, int at) throws ParseException {
        int code = (int) clock[0];
        BigInteger t = new BigInteger(Long.toUnsignedString(ticks));
        BigInteger nanos;
        if ((code & 0x80) == 0) {
            int exp = code & 0x7f;
            nanos = exp <= 9 ? t.multiply(BigInteger.TEN.pow(9 - exp)) : t.divide(BigInteger.TEN.pow(exp - 9));
        } else {
            nanos = t.multiply(BigInteger.valueOf(1_000_000_000L)).shiftRight(code & 0x7f);
        }
        nanos = nanos.add(BigInteger.valueOf(clock[1]).multiply(BigInteger.valueOf(1_000_000_000L)));
        if (nanos.signum() < 0 || nanos.bitLength() > 63) {
            throw new ParseException(LAYER, "timestamp", at, "does not fit a long of nanoseconds");
        }
        return nanos.longValueExact();
    }

    private record Option(int code, int length, int at) {
        String text(byte[] bytes) {
            int n = length;
            while (n > 0 && bytes[at + 4 + n - 1] == 0) n--; // some writers count a terminating NUL
            return new String(bytes, at + 4, n, StandardCharsets.UTF_8);
        }
    }

    private static List<Option> options(ByteBuffer buf, int from, int end) throws ParseException {
        List<Option> out = new ArrayList<>();
        int i = from;
        while (i < end) {
            if (end - i < 4) throw ParseException.truncated(LAYER, "option header", i, 4, end - i);
            int code = buf.getShort(i) & 0xffff;
            int length = buf.getShort(i + 2) & 0xffff;
            if (code == PcapngWriter.OPT_END) break;
            if (PcapngWriter.pad4(length) > end - i - 4) {
                throw ParseException.truncated(LAYER, "option " + code, i + 4, length, end - i - 4);
            }
            out.add(new Option(code, length, i));
            i += 4 + PcapngWriter.pad4(length);
        }
        return out;
    }
}
