package org.vnetlab.protocols.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.RefCaptures;

/** Whatever the bytes, the wrapper gives a message or a ParseException; valid messages round-trip. */
class DnsMessagePropertiesTest {

    @Property(tries = 2000, seed = "20261126")
    void parseOfWireIsIdentity(@ForAll("messages") DnsMessage m) throws ParseException {
        assertThat(DnsMessage.parse(m.toWire())).isEqualTo(m);
    }

    @Property(tries = 5000, seed = "20261126")
    void randomBytesOnlyEverRaiseParseException(@ForAll @Size(max = 300) byte[] bytes) {
        decodeAndCheck(bytes);
    }

    /** A plausible header (1 question, a few records) over random bytes reaches the name and RDATA decoders. */
    @Property(tries = 5000, seed = "20261126")
    void randomSectionsOnlyEverRaiseParseException(@ForAll @Size(max = 200) byte[] body,
            @ForAll @IntRange(max = 3) int answers, @ForAll @IntRange(max = 2) int additional, @ForAll boolean truncated) {
        byte[] b = new byte[12 + body.length];
        b[2] = (byte) (0x81 | (truncated ? 0x02 : 0));
        b[5] = 1;
        b[7] = (byte) answers;
        b[11] = (byte) additional;
        System.arraycopy(body, 0, b, 12, body.length);
        decodeAndCheck(b);
    }

    /** Real messages with bytes overwritten: lengths, pointers (0xc0..) and counts go wrong in every way. */
    @Property(tries = 5000, seed = "20261126")
    void mutatedRealMessagesOnlyEverRaiseParseException(@ForAll("realPayloads") byte[] real,
            @ForAll @Size(min = 1, max = 4) List<@IntRange(max = 200) Integer> positions,
            @ForAll("interestingBytes") byte value) {
        byte[] b = real.clone();
        for (int p : positions) b[p % b.length] = value;
        Statistics.collect(decodeAndCheck(b) ? "parsed" : "refused");
        Statistics.coverage(c -> {
            c.check("parsed").percentage(p -> p > 10);
            c.check("refused").percentage(p -> p > 10);
        });
    }

    @Example
    void everyTruncationOfRealMessages() {
        int refused = 0;
        for (RefCaptures.Udp u : RefCaptures.dns("guest-eth0.pcap")) {
            for (int n = 0; n < u.payload().length; n++) {
                if (!decodeAndCheck(Arrays.copyOf(u.payload(), n))) refused++;
            }
        }
        assertThat(refused).isPositive();
    }

    /** True when the bytes parsed; a parsed message must emit, and read back to itself. */
    private static boolean decodeAndCheck(byte[] bytes) {
        DnsMessage m;
        try {
            m = DnsMessage.parse(bytes);
        } catch (ParseException e) {
            assertThat(e.layer()).isEqualTo("dns");
            return false;
        }
        try {
            assertThat(DnsMessage.parse(m.toWire())).isEqualTo(m);
        } catch (ParseException e) {
            throw new AssertionError("re-emitted message does not parse: " + m, e);
        }
        return true;
    }

    @Provide
    Arbitrary<byte[]> realPayloads() {
        return Arbitraries.of(RefCaptures.dns("guest-eth0.pcap").stream().map(RefCaptures.Udp::payload).toList());
    }

    @Provide
    Arbitrary<Byte> interestingBytes() {
        return Arbitraries.oneOf(Arbitraries.bytes(),
                Arbitraries.of((byte) 0xc0, (byte) 0xc0, (byte) 0x3f, (byte) 0x40, (byte) 0x80, (byte) 0xff, (byte) 0, (byte) 1, (byte) 12, (byte) 41));
    }

    @Provide
    Arbitrary<DnsMessage> messages() {
        return Arbitraries.randomValue(DnsMessagePropertiesTest::randomMessage);
    }

    static DnsMessage randomMessage(Random r) {
        // names share suffixes so compression has work; dnsjava matches names case-insensitively when
        // compressing, so a name is written once and later ones in another case would read back as the first
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 4; i++) pool.add(randomName(r));
        List<DnsQuestion> questions = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            questions.add(new DnsQuestion(pick(r, pool), DnsType.of(r.nextInt(300)), r.nextInt(5) == 0 ? 3 : 1));
        }
        List<List<DnsRecord>> sections = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            List<DnsRecord> rs = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) rs.add(randomRecord(r, pool));
            sections.add(rs);
        }
        if (r.nextBoolean()) {
            sections.get(2).add(new DnsRecord(".", DnsType.OPT, 512 + r.nextInt(4000), r.nextInt() & 0xffff_ffffL,
                    ednsOptions(r)));
        }
        return new DnsMessage(r.nextInt(65536), r.nextInt(65536), questions, sections.get(0), sections.get(1), sections.get(2));
    }

    private static DnsRecord randomRecord(Random r, List<String> pool) {
        String owner = pick(r, pool);
        long ttl = r.nextInt() & 0xffff_ffffL;
        return switch (r.nextInt(8)) {
            case 0 -> DnsRecord.a(owner, ttl, new Ipv4Address(r.nextInt()));
            case 1 -> new DnsRecord(owner, DnsType.AAAA, 1, ttl, bytes(r, 16));
            case 2 -> new DnsRecord(owner, DnsType.CNAME, 1, ttl, nameWire(pick(r, pool)));
            case 3 -> new DnsRecord(owner, DnsType.PTR, 1, ttl, nameWire(pick(r, pool)));
            case 4 -> {
                byte[] target = nameWire(pick(r, pool));
                byte[] rdata = new byte[2 + target.length];
                rdata[1] = (byte) r.nextInt(50);
                System.arraycopy(target, 0, rdata, 2, target.length);
                yield new DnsRecord(owner, DnsType.MX, 1, ttl, rdata);
            }
            case 5 -> {
                byte[] text = bytes(r, r.nextInt(60));
                byte[] rdata = new byte[1 + text.length];
                rdata[0] = (byte) text.length;
                System.arraycopy(text, 0, rdata, 1, text.length);
                yield new DnsRecord(owner, DnsType.TXT, 1, ttl, rdata);
            }
            // private-use types: opaque RDATA of any length, any class
            default -> new DnsRecord(owner, DnsType.of(65280 + r.nextInt(255)), r.nextInt(65536), ttl, bytes(r, r.nextInt(40)));
        };
    }

    private static byte[] ednsOptions(Random r) {
        byte[] out = new byte[0];
        for (int i = r.nextInt(3); i > 0; i--) {
            byte[] data = bytes(r, r.nextInt(20));
            int code = r.nextBoolean() ? 10 : 65001 + r.nextInt(500); // COOKIE or a local/experimental code
            if (code == 10) data = bytes(r, r.nextBoolean() ? 8 : 16 + r.nextInt(17));
            byte[] opt = new byte[4 + data.length];
            opt[0] = (byte) (code >>> 8);
            opt[1] = (byte) code;
            opt[3] = (byte) data.length;
            System.arraycopy(data, 0, opt, 4, data.length);
            byte[] joined = Arrays.copyOf(out, out.length + opt.length);
            System.arraycopy(opt, 0, joined, out.length, opt.length);
            out = joined;
        }
        return out;
    }

    /** Lower-case labels of printable and binary bytes (escaped in text as dnsjava does), under a few shared suffixes. */
    private static String randomName(Random r) {
        String[] suffixes = {"example.org.", "a.example.org.", "lan.", ".", "in-addr.arpa."};
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(3); i > 0; i--) {
            byte[] label = bytes(r, 1 + r.nextInt(12));
            for (int j = 0; j < label.length; j++) {
                if (label[j] >= 'A' && label[j] <= 'Z') label[j] = (byte) (label[j] + 32);
            }
            sb.append(escape(label)).append('.');
        }
        String suffix = suffixes[r.nextInt(suffixes.length)];
        return sb.length() == 0 || !suffix.equals(".") ? sb + suffix : sb.toString();
    }

    private static String escape(byte[] label) {
        StringBuilder sb = new StringBuilder();
        for (byte b : label) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && "().;\\@$\"".indexOf(c) < 0) sb.append((char) c);
            else sb.append('\\').append(String.format("%03d", c));
        }
        return sb.toString();
    }

    private static byte[] nameWire(String name) {
        return DnsNames.toName(name).toWire();
    }

    private static String pick(Random r, List<String> pool) {
        return pool.get(r.nextInt(pool.size()));
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
