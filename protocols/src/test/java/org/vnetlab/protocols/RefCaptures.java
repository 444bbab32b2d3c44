package org.vnetlab.protocols;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vnetlab.protocols.pcap.PcapReader;
import org.vnetlab.protocols.pcap.PcapRecord;
import org.vnetlab.protocols.testing.SharedReference;

/** The real captures in shared/ref/captures/article, cut down to UDP payloads for fixture tests. */
public final class RefCaptures {
    private RefCaptures() {}

    /** A UDP datagram from a capture: 1-based frame number as tshark counts, ports, and the payload. */
    public record Udp(String file, int frame, long timestampNanos, byte[] frameBytes, int sourcePort, int destinationPort,
            byte[] payload) {
        public boolean hasPort(int port) { return sourcePort == port || destinationPort == port; }
        @Override public String toString() { return file + " frame " + frame + " (" + sourcePort + " > " + destinationPort + ")"; }
    }

    public static Path dir() {
        return SharedReference.resolve("ref/captures/article");
    }

    public static List<PcapRecord> frames(String file) {
        try {
            return PcapReader.read(dir().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException(file + " does not read as pcap", e);
        }
    }

    /** Ethernet II + IPv4 (IHL from byte 14) + UDP: every unfragmented UDP datagram of the capture. */
    public static List<Udp> udp(String file) {
        List<Udp> out = new ArrayList<>();
        List<PcapRecord> frames = frames(file);
        for (int n = 0; n < frames.size(); n++) {
            byte[] f = frames.get(n).data();
            if (f.length < 34 || (f[12] & 0xff) != 0x08 || f[13] != 0x00) continue;
            int ihl = (f[14] & 0x0f) * 4;
            if (f[23] != 17) continue;
            int udp = 14 + ihl;
            int udpLength = (f[udp + 4] & 0xff) << 8 | (f[udp + 5] & 0xff);
            out.add(new Udp(file, n + 1, frames.get(n).timestampNanos(), f,
                    (f[udp] & 0xff) << 8 | (f[udp + 1] & 0xff), (f[udp + 2] & 0xff) << 8 | (f[udp + 3] & 0xff),
                    Arrays.copyOfRange(f, udp + 8, udp + udpLength)));
        }
        return out;
    }

    /** The DHCP payloads (port 67/68) of a capture. */
    public static List<Udp> dhcp(String file) {
        return udp(file).stream().filter(u -> u.hasPort(67) && u.hasPort(68)).toList();
    }

    /** The payloads to or from port 53, and the DNS query dig sent to the closed port 5353. */
    public static List<Udp> dns(String file) {
        return udp(file).stream().filter(u -> u.hasPort(53) || u.destinationPort() == 5353).toList();
    }
}
