package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.SharedReference;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.pcap.PcapReader;
import org.vnetlab.protocols.pcap.PcapRecord;

/**
 * The netfilter engine (conntrack, NAT, the article's rules, REJECT replies) under malformed transport
 * headers: every datagram the kernel's ip_rcv would hand to PREROUTING (a whole, checksummed IPv4 header)
 * but whose ICMP, UDP or TCP part is corrupted or cut — bad TCP options and data offsets, ICMP errors quoting
 * junk, UDP lengths that lie — ends with a disposition. Nothing may throw: the kernel marks such packets
 * INVALID or drops them; it never stops.
 */
class MalformedDatagramProperties {
    static final MacAddress M = MacAddress.parse("52:54:00:aa:bb:01");

    /** The IPv4 datagrams of the reference captures, as the host's interfaces received them. */
    static final List<byte[]> DATAGRAMS = referenceDatagrams();

    static List<byte[]> referenceDatagrams() {
        List<byte[]> out = new ArrayList<>();
        for (String f : List.of("guest-eth0.pcap", "host-enp3s0.pcap", "inet-wan0.pcap")) {
            try {
                for (PcapRecord r : PcapReader.read(SharedReference.resolve("ref/captures/article/" + f))) {
                    byte[] b = r.data();
                    if (b.length > 34 && b[12] == 0x08 && b[13] == 0x00) {
                        byte[] ip = new byte[b.length - 14];
                        System.arraycopy(b, 14, ip, 0, ip.length);
                        out.add(ip);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ParseException e) {
                throw new IllegalStateException(f, e);
            }
        }
        return out;
    }

    static final Ruleset ARTICLE = articleRuleset();

    static Ruleset articleRuleset() {
        try (var in = MalformedDatagramProperties.class.getResourceAsStream("/netfilter/article.rules")) {
            return IptablesSaveParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "article.rules").ruleset();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InputException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The article's host: its ruleset, routes and addresses; counters and conntrack fresh each time. */
    static PathRunner articleHost(long seed) {
        try {
            ArticleHost h = new ArticleHost();
            return new PathRunner(Netfilter.iptables(ARTICLE, new RuleCounters(), h, ConntrackSettings.DEFAULTS, seed), h, true);
        } catch (InputException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Feeds {@code ip} to the host on {@code in} when ip_rcv would accept its header; the engine must then
     * decide, whatever follows the header. Returns whether it was fed.
     */
    static boolean feed(PathRunner host, byte[] ip, String in, long now) {
        ByteBuf buf = Unpooled.wrappedBuffer(ip);
        try {
            Ipv4Packet p = Ipv4Packet.checked(buf);
            if (!p.verifyChecksum()) return false;
            buf = buf.slice(0, p.totalLength());
        } catch (ParseException e) {
            return false; // ip_rcv drops it before netfilter sees it
        }
        PathRunner.Result r = host.receive(buf, in, M, M, now);
        assertThat(r.disposition()).isNotNull();
        return true;
    }

    /** Corrupts one transport byte (the IPv4 header stays whole) and fixes the header checksum. */
    static byte[] corruptTransport(byte[] ip, int at, byte value, int cut) {
        byte[] b = ip.clone();
        int ihl = (b[0] & 0x0f) * 4;
        if (b.length > ihl) b[ihl + Math.floorMod(at, b.length - ihl)] = value;
        int keep = Math.max(ihl, b.length - Math.floorMod(cut, b.length - ihl + 1));
        byte[] out = new byte[keep];
        System.arraycopy(b, 0, out, 0, keep);
        out[2] = (byte) (keep >>> 8);
        out[3] = (byte) keep;
        return withHeaderChecksum(out);
    }

    /** The datagram with its IPv4 header checksum made right (when the header reads at all). */
    static byte[] withHeaderChecksum(byte[] ip) {
        try {
            Ipv4Packet.checkedTruncated(Unpooled.wrappedBuffer(ip)).fillChecksum();
        } catch (ParseException e) {
            // left as is: ip_rcv will drop it
        }
        return ip;
    }

    @Provide
    Arbitrary<byte[]> datagrams() { return Arbitraries.of(DATAGRAMS); }

    @Property(tries = 1500, seed = "2026")
    void aCorruptTransportHeaderNeverStopsTheEngine(@ForAll("datagrams") byte[] ip, @ForAll int at, @ForAll byte value,
                                                    @ForAll @IntRange(min = 0, max = 64) int cut, @ForAll boolean fromGuest) {
        PathRunner host = articleHost(5);
        assertThat(feed(host, corruptTransport(ip, at, value, cut), fromGuest ? "virbr0" : "enp3s0", 1_000_000L))
                .as("a whole checksummed header reaches netfilter").isTrue();
    }

    @Property(tries = 300, seed = "2027")
    void aConnectionFollowedByCorruptPacketsOfItsOwnFlow(@ForAll("datagrams") byte[] ip,
                                                         @ForAll @Size(min = 1, max = 6) List<@IntRange(max = 1 << 16) Integer> edits) {
        PathRunner host = articleHost(6);
        long now = 1_000_000L;
        feed(host, ip, "virbr0", now);
        for (int e : edits) {
            now += 1_000;
            feed(host, corruptTransport(ip, e, (byte) (e >>> 8), e % 7), e % 2 == 0 ? "virbr0" : "enp3s0", now);
        }
        assertThat(host.netfilter().conntrack().count()).isNotNegative();
    }
}
