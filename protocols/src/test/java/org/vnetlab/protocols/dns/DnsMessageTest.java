package org.vnetlab.protocols.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.RefCaptures;

/** DNS through the dnsjava wrapper, against dig's queries and the answers of the reference captures. */
class DnsMessageTest {
    private static final Ipv4Address GOOGLE = Ipv4Address.parse("142.250.1.1");
    private static final List<String> CAPTURES = List.of("guest-eth0.pcap", "host-enp3s0.pcap", "inet-wan0.pcap");

    private static RefCaptures.Udp frame(String file, int frame) {
        return RefCaptures.dns(file).stream().filter(u -> u.frame() == frame).findFirst().orElseThrow();
    }

    @Test
    void everyDnsPayloadOfTheCapturesParsesAndEmitsTheSameBytes() throws ParseException {
        int n = 0;
        for (String file : CAPTURES) {
            for (RefCaptures.Udp u : RefCaptures.dns(file)) {
                DnsMessage m = DnsMessage.parse(u.payload());
                assertThat(m.toWire()).as(u.toString()).isEqualTo(u.payload());
                n++;
            }
        }
        assertThat(n).isEqualTo(25);
    }

    @Test
    void digQueryWithCookie() throws ParseException {
        DnsMessage q = DnsMessage.parse(frame("guest-eth0.pcap", 21).payload());
        assertThat(q.id()).isEqualTo(0x0e89);
        assertThat(q.flags()).isEqualTo(0x0120);
        assertThat(q.qr()).isFalse();
        assertThat(q.opcode()).isEqualTo(DnsMessage.OPCODE_QUERY);
        assertThat(q.rd()).isTrue();
        assertThat(q.ad()).as("dig sets AD in queries").isTrue();
        assertThat(q.questions()).containsExactly(new DnsQuestion("google.com.", DnsType.A, DnsQuestion.CLASS_IN));
        assertThat(q.answers()).isEmpty();
        assertThat(q.authorities()).isEmpty();
        DnsRecord opt = q.additionals().get(0);
        assertThat(opt.type()).isEqualTo(DnsType.OPT);
        assertThat(opt.name()).isEqualTo(".");
        assertThat(opt.dnsClass()).as("EDNS UDP payload size").isEqualTo(1232);
        assertThat(opt.ttl()).isZero();
        assertThat(ByteBufUtil.hexDump(opt.rdata())).as("COOKIE option, client cookie").isEqualTo("000a0008f76a311d6b2da3cd");
    }

    @Test
    void answerRelayedByDnsmasq() throws ParseException {
        DnsMessage r = DnsMessage.parse(frame("guest-eth0.pcap", 22).payload());
        assertThat(r.id()).isEqualTo(0x0e89);
        assertThat(r.flags()).isEqualTo(0x8580);
        assertThat(r.qr()).isTrue();
        assertThat(r.aa()).isTrue();
        assertThat(r.rd()).isTrue();
        assertThat(r.ra()).isTrue();
        assertThat(r.ad()).isFalse();
        assertThat(r.rcode()).isEqualTo(DnsRcode.NOERROR);
        assertThat(r.question()).isEqualTo(DnsQuestion.of("google.com", DnsType.A));
        assertThat(r.answers()).containsExactly(DnsRecord.a("google.com.", 0, GOOGLE));
        DnsRecord a = r.answers().get(0);
        assertThat(a.ipv4()).contains(GOOGLE);
        assertThat(a.text()).isEqualTo("142.250.1.1");
        assertThat(r.additionals()).containsExactly(DnsRecord.opt(1232));
    }

    /** tcpdump -vv's decode (guest-eth0.txt etc.): the same IDs, questions and answers, in order. */
    @Test
    void agreesWithTcpdumpDecode() throws IOException, ParseException {
        Pattern line = Pattern.compile("\\.(\\d+) > [\\d.]+\\.(\\d+): \\[udp sum ok\\] (\\d+)([*+]?).*? (?:q: )?A(?: \\(QM\\))?\\? (\\S+)"
                + "(?: (\\d+)/(\\d+)/(\\d+) (\\S+) A (\\S+))?");
        for (String file : CAPTURES) {
            List<String> lines = Files.readAllLines(RefCaptures.dir().resolve(file.replace(".pcap", ".txt")));
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = line.matcher(lines.get(i));
                if (!m.find() || lines.get(i - 1).startsWith("\t(")) continue; // skip datagrams quoted in ICMP errors
                expected.add(m.group(3) + " " + m.group(5) + (m.group(10) == null ? "" : " " + m.group(9) + " A " + m.group(10)));
            }
            List<String> actual = new ArrayList<>();
            for (RefCaptures.Udp u : RefCaptures.dns(file)) {
                DnsMessage m = DnsMessage.parse(u.payload());
                actual.add(m.id() + " " + m.question().name()
                        + (m.answers().isEmpty() ? "" : " " + m.answers().get(0).name() + " A " + m.answers().get(0).text()));
            }
            assertThat(actual).as(file).isEqualTo(expected).isNotEmpty();
        }
    }

    /** dig's query, rebuilt: query() plus AD and the EDNS cookie it sends. */
    @Test
    void builtQueryIsDigs() throws ParseException {
        DnsMessage captured = DnsMessage.parse(frame("guest-eth0.pcap", 21).payload());
        DnsMessage built = DnsMessage.query(0x0e89, "google.com", DnsType.A, true).withFlag(DnsMessage.FLAG_AD, true)
                .withAdditionals(List.of(new DnsRecord(".", DnsType.OPT, 1232, 0,
                        ByteBufUtil.decodeHexDump("000a0008f76a311d6b2da3cd"))));
        assertThat(built).isEqualTo(captured);
        assertThat(built.toWire()).isEqualTo(frame("guest-eth0.pcap", 21).payload());
    }

    /** The relayed answer, rebuilt with reply(): compression pointer to the question name included. */
    @Test
    void builtReplyIsTheCapturedAnswer() throws ParseException {
        DnsMessage query = DnsMessage.parse(frame("guest-eth0.pcap", 21).payload());
        DnsMessage reply = DnsMessage.reply(query, DnsRcode.NOERROR, List.of(DnsRecord.a("google.com", 0, GOOGLE)))
                .withFlag(DnsMessage.FLAG_AA, true).withAdditionals(List.of(DnsRecord.opt(1232)));
        assertThat(reply.toWire()).isEqualTo(frame("guest-eth0.pcap", 22).payload());
    }

    @Test
    void errorReplies() throws ParseException {
        DnsMessage query = DnsMessage.query(7, "nosuch.example", DnsType.AAAA, true);
        DnsMessage nx = DnsMessage.reply(query, DnsRcode.NXDOMAIN, List.of());
        byte[] wire = nx.toWire();
        assertThat(wire[3] & 0x0f).isEqualTo(3);
        assertThat(DnsMessage.parse(wire).rcode()).isEqualTo(DnsRcode.NXDOMAIN);
        assertThat(DnsMessage.parse(DnsMessage.reply(query, DnsRcode.REFUSED, List.of()).toWire()).rcode().name())
                .isEqualTo("REFUSED");
        assertThatThrownBy(() -> DnsMessage.reply(query, DnsRcode.of(16), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("EDNS");
    }

    @Test
    void extendedRcodeComesFromTheOptRecord() throws ParseException {
        DnsMessage m = DnsMessage.query(1, "a.b", DnsType.A, false).withFlags(DnsMessage.FLAG_QR)
                .withAdditionals(List.of(new DnsRecord(".", DnsType.OPT, 1232, 0x0100_0000L, new byte[0])));
        assertThat(m.rcode().code()).as("BADVERS").isEqualTo(16);
        // the top bit of the extended rcode makes the TTL field exceed 2^31-1
        DnsMessage big = m.withAdditionals(List.of(new DnsRecord(".", DnsType.OPT, 512, 0xff00_8000L, new byte[0])));
        assertThat(DnsMessage.parse(big.toWire())).isEqualTo(big);
        assertThat(big.rcode().code()).isEqualTo(0xff0);
    }

    @Test
    void namesAreCompressedAndRecordsOfEveryKindRoundTrip() throws ParseException {
        DnsMessage m = DnsMessage.reply(DnsMessage.query(0x1234, "www.example.org", DnsType.A, true), DnsRcode.NOERROR,
                List.of(DnsRecord.of("www.example.org", DnsType.CNAME, 300, "web.example.org."),
                        DnsRecord.a("web.example.org", 300, Ipv4Address.parse("192.0.2.7"))))
                .withAuthorities(List.of(DnsRecord.of("example.org", DnsType.NS, 3600, "ns1.example.org."),
                        DnsRecord.of("example.org", DnsType.SOA, 3600,
                                "ns1.example.org. hostmaster.example.org. 1 7200 900 1209600 86400")))
                .withAdditionals(List.of(DnsRecord.of("example.org", DnsType.MX, 60, "10 mail.example.org."),
                        DnsRecord.of("example.org", DnsType.TXT, 60, "\"v=spf1 -all\" \"second string\""),
                        DnsRecord.of("ns1.example.org", DnsType.AAAA, 60, "2001:db8::53"),
                        DnsRecord.of("_sip._udp.example.org", DnsType.SRV, 60, "10 5 5060 sip.example.org."),
                        DnsRecord.of("7.2.0.192.in-addr.arpa", DnsType.PTR, 60, "web.example.org."),
                        new DnsRecord("example.org", DnsType.of(65280), 1, 60, new byte[] {1, 2, 3})));
        byte[] wire = m.toWire();
        assertThat(DnsMessage.parse(wire)).isEqualTo(m);
        assertThat(m.answers().get(0).text()).isEqualTo("web.example.org.");
        assertThat(m.additionals().get(5).type().name()).isEqualTo("TYPE65280");
        // "example.org" is written in full twice: in the question, and in the SRV target, which RFC 2782
        // forbids compressing; every other owner and RDATA name points back
        String hex = ByteBufUtil.hexDump(wire);
        assertThat(hex.split("076578616d706c65036f726700", -1)).hasSize(3);
        assertThat(hex).contains("03776562c010"); // CNAME RDATA "web" + pointer to example.org at offset 16
    }

    @Test
    void caseOfTheQuestionIsKept() throws ParseException {
        DnsMessage q = DnsMessage.query(9, "GoOgLe.CoM", DnsType.A, true);
        assertThat(DnsMessage.parse(q.toWire()).question().name()).isEqualTo("GoOgLe.CoM.");
    }

    @Test
    void typesAndRcodesAreOpen() {
        assertThat(DnsType.of(1)).isSameAs(DnsType.A);
        assertThat(DnsType.parse("aaaa")).isSameAs(DnsType.AAAA);
        assertThat(DnsType.of(64).name()).isEqualTo("SVCB");
        assertThat(DnsType.of(4242)).isEqualTo(DnsType.of(4242));
        assertThat(DnsType.of(4242).name()).isEqualTo("TYPE4242");
        assertThat(DnsRcode.of(3)).isSameAs(DnsRcode.NXDOMAIN);
        assertThat(DnsRcode.of(16).code()).isEqualTo(16);
        assertThatThrownBy(() -> DnsType.parse("NOPE")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseReadsTheReadableBytesOfABuffer() throws ParseException {
        byte[] payload = frame("inet-wan0.pcap", 6).payload();
        var buf = Unpooled.buffer();
        buf.writeBytes(new byte[] {9, 9, 9});
        buf.writeBytes(payload);
        buf.readerIndex(3);
        assertThat(DnsMessage.parse(buf).toWire()).isEqualTo(payload);
        assertThat(buf.readerIndex()).isEqualTo(3);
    }

    @Test
    void badRdataIsRefusedWhenBuilt() {
        assertThatThrownBy(() -> new DnsRecord("a.example", DnsType.A, 1, 60, new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed A RDATA 010203");
        assertThatThrownBy(() -> DnsRecord.of("a.example", DnsType.MX, 60, "mail"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsQuestion.of("a..b", DnsType.A)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- malformed input --------------------------------------------------------------------------------

    @Test
    void shortHeader() {
        ParseException e = parseFails(new byte[] {0x0e, (byte) 0x89, 1, 0x20, 0, 1});
        assertThat(e.field()).isEqualTo("header");
        assertThat(e.offset()).isZero();
    }

    @Test
    void countsPromiseMoreThanIsThere() {
        byte[] q = frame("guest-eth0.pcap", 21).payload();
        q[7] = 1; // one answer that is not there
        ParseException e = parseFails(q);
        assertThat(e.field()).isEqualTo("message");
        assertThat(e.offset()).isEqualTo(-1);
    }

    @Test
    void compressionPointerToItself() {
        // header, 1 question; the name is a pointer to offset 12, i.e. to itself
        byte[] b = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1};
        parseFails(b);
    }

    @Test
    void compressionLoopBetweenTwoNames() {
        // question name points at the answer's owner, which points back at the question
        byte[] b = {0, 1, (byte) 0x80, 0, 0, 1, 0, 1, 0, 0, 0, 0,
                (byte) 0xc0, 18, 0, 1, 0, 1,
                (byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4};
        parseFails(b);
    }

    @Test
    void compressionPointerPastTheEnd() {
        byte[] b = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, (byte) 0xff, 0, 1, 0, 1};
        parseFails(b);
        byte[] forward = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', (byte) 0xc3, (byte) 0xe8, 0, 1, 0, 1};
        parseFails(forward);
    }

    @Test
    void labelRunsPastTheEnd() {
        byte[] b = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 'g', 'o'};
        parseFails(b);
    }

    /** RFC 2136 UPDATE "delete an RRset": a record without RDATA; dnsjava parses it as an empty record. */
    @Test
    void updateRecordWithoutRdataRoundTrips() throws ParseException {
        byte[] b = {0, 1, 0x28, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, (byte) 0xff, 0, 0, 0, 0, 0, 0};
        DnsMessage m = DnsMessage.parse(b);
        assertThat(m.opcode()).isEqualTo(5);
        assertThat(m.authorities()).containsExactly(new DnsRecord(".", DnsType.A, 255, 0, new byte[0]));
        assertThat(m.toWire()).isEqualTo(b);
    }

    /** Found by fuzzing: dnsjava 3.6.3 throws InvalidTTLException (unchecked) for this one; we do not. */
    @Test
    void updateRecordWithoutRdataAndHugeTtl() {
        byte[] b = {0, 1, 0x28, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, (byte) 0xff, (byte) 0x80, 0, 0, 0, 0, 0};
        assertThat(parseFails(b).reason()).contains("InvalidTTLException");
    }

    /** Found by fuzzing: dnsjava 3.6.3 reads a WKS record with an empty bitmap but cannot write it back. */
    @Test
    void wksWithEmptyBitmapIsRefusedAsUnsupported() {
        byte[] b = {0, 1, (byte) 0x80, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 11, 0, 1, 0, 0, 0, 0, 0, 5, 10, 0, 0, 1, 6};
        ParseException e = parseFails(b);
        assertThat(e.field()).isEqualTo("record");
        assertThat(e.reason()).startsWith("unsupported: dnsjava cannot write this WKS RDATA back");
    }

    static ParseException parseFails(byte[] b) {
        try {
            DnsMessage m = DnsMessage.parse(b);
            throw new AssertionError("parsed: " + m);
        } catch (ParseException e) {
            assertThat(e.layer()).isEqualTo("dns");
            return e;
        }
    }
}
