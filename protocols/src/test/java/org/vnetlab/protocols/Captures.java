package org.vnetlab.protocols;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.vnetlab.protocols.pcap.PcapReader;
import org.vnetlab.protocols.pcap.PcapRecord;
import org.vnetlab.protocols.testing.SharedReference;

/** The reference captures of a real Linux host (shared/ref/captures/article), frame by frame. */
public final class Captures {
    private Captures() {}

    /** One captured frame, named "file#number" with tcpdump's 1-based numbering. */
    public record Frame(String file, int number, byte[] bytes) {
        public ByteBuf buf() { return Unpooled.wrappedBuffer(bytes.clone()); }

        @Override
        public String toString() { return file + "#" + number; }
    }

    public static Path articleDir() {
        return SharedReference.resolve("ref/captures/article");
    }

    public static List<Frame> all() {
        try (Stream<Path> files = Files.list(articleDir())) {
            List<Frame> out = new ArrayList<>();
            for (Path p : files.filter(f -> f.toString().endsWith(".pcap")).sorted().toList()) out.addAll(read(p.getFileName().toString()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Frame> read(String file) {
        try {
            List<PcapRecord> records = PcapReader.read(articleDir().resolve(file));
            List<Frame> out = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) out.add(new Frame(file, i + 1, records.get(i).data()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException("reference capture unreadable: " + file, e);
        }
    }

    /** Frame {@code number} (1-based, as tcpdump and tshark count) of {@code file}. */
    public static Frame frame(String file, int number) {
        return read(file).get(number - 1);
    }

    public static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", "")));
    }

    /** A buffer of {@code length} bytes all 0xa5, so that a field emit forgets shows up. */
    public static ByteBuf poisoned(int length) {
        ByteBuf buf = Unpooled.buffer(length);
        for (int i = 0; i < length; i++) buf.writeByte(0xa5);
        return buf;
    }

    public static String hexOf(ByteBuf buf) { return ByteBufUtil.hexDump(buf); }
}
