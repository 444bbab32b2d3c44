package org.vnetlab.protocols.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vnetlab.protocols.ParseException;

/**
 * Reads classic libpcap files (microsecond or nanosecond magic, either byte order): enough to replay the
 * reference captures recorded from a real kernel as byte fixtures.
 */
public final class PcapReader {
    private static final String LAYER = "pcap";

    private PcapReader() {}

    public static List<PcapRecord> read(Path file) throws IOException, ParseException {
        return read(Files.readAllBytes(file));
    }

    public static List<PcapRecord> read(byte[] bytes) throws ParseException {
        if (bytes.length < 24) throw ParseException.truncated(LAYER, "global header", 0, 24, bytes.length);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt(0);
        boolean nanos;
        switch (magic) {
            case 0xa1b2c3d4 -> nanos = false;
            case 0xa1b23c4d -> nanos = true;
            default -> {
                buf.order(ByteOrder.BIG_ENDIAN);
                magic = buf.getInt(0);
                if (magic == 0xa1b2c3d4) nanos = false;
                else if (magic == 0xa1b23c4d) nanos = true;
                else throw new ParseException(LAYER, "magic", 0, String.format("not a pcap file (0x%08x)", magic));
            }
        }
        int linkType = buf.getInt(20);
        List<PcapRecord> out = new ArrayList<>();
        int pos = 24;
        while (pos < bytes.length) {
            if (bytes.length - pos < 16) throw ParseException.truncated(LAYER, "record header", pos, 16, bytes.length - pos);
            long seconds = buf.getInt(pos) & 0xffff_ffffL;
            long fraction = buf.getInt(pos + 4) & 0xffff_ffffL;
            int captured = buf.getInt(pos + 8);
            if (captured < 0 || captured > bytes.length - pos - 16) {
                throw ParseException.truncated(LAYER, "record data", pos + 16, captured, bytes.length - pos - 16);
            }
            byte[] data = new byte[captured];
            System.arraycopy(bytes, pos + 16, data, 0, captured);
            long ts = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000);
            out.add(new PcapRecord(ts, linkType, data));
            pos += 16 + captured;
        }
        return out;
    }
}
