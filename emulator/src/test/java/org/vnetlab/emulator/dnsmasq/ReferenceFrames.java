package org.vnetlab.emulator.dnsmasq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.pcap.PcapReader;
import org.vnetlab.protocols.pcap.PcapRecord;

/** Frames of the real host's captures (shared/ref/captures/article), cut into the fields these specs compare. */
final class ReferenceFrames {
    private ReferenceFrames() {}

    /** An Ethernet + IPv4 + UDP frame of a capture: header fields and the UDP payload. */
    record UdpFrame(int number, long timestampNanos, byte[] frame) {
        int tos() { return frame[15] & 0xff; }
        int ttl() { return frame[22] & 0xff; }
        boolean dontFragment() { return (frame[20] & 0x40) != 0; }
        int ihl() { return (frame[14] & 0x0f) * 4; }
        int sourcePort() { return u16(14 + ihl()); }
        int destinationPort() { return u16(16 + ihl()); }
        int udpLength() { return u16(18 + ihl()); }
        byte[] payload() { return Arrays.copyOfRange(frame, 14 + ihl() + 8, 14 + ihl() + udpLength()); }
        private int u16(int at) { return (frame[at] & 0xff) << 8 | (frame[at + 1] & 0xff); }
    }

    static Path shared() {
        Path configured = Path.of(System.getProperty("vnetlab.shared", "../../shared")).toAbsolutePath().normalize();
        if (Files.isDirectory(configured.resolve("ref"))) return configured;
        for (Path p = Path.of(System.getProperty("vnetlab.root", ".")).toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/ref/captures"))) return p.resolve("shared");
        }
        throw new IllegalStateException("reference data not found: " + configured + " (set -Dvnetlab.shared)");
    }

    static Path article(String file) {
        return shared().resolve("ref/captures/article").resolve(file);
    }

    static String articleText(String file) {
        try {
            return Files.readString(article(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Frame {@code number} (1-based, as tshark counts) of a capture, which must be IPv4/UDP. */
    static UdpFrame udp(String file, int number) {
        try {
            List<PcapRecord> frames = PcapReader.read(article(file));
            PcapRecord r = frames.get(number - 1);
            byte[] f = r.data();
            if (f[12] != 0x08 || f[13] != 0x00 || f[23] != 17) throw new IllegalArgumentException(file + " frame " + number + " is not IPv4/UDP");
            return new UdpFrame(number, r.timestampNanos(), f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
