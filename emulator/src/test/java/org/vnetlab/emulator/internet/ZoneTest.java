package org.vnetlab.emulator.internet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsRcode;
import org.vnetlab.protocols.dns.DnsRecord;
import org.vnetlab.protocols.dns.DnsType;

/** The resolvers' zone table, their DNS answers and the web server's replies, without a network. */
class ZoneTest {
    private static final Zone ZONE = Zone.of(List.of(
            new ZoneEntry.A("google.com", Ipv4Address.parse("142.250.72.14")),
            new ZoneEntry.Aaaa("google.com", "2607:f8b0:4005:80c::200e"),
            new ZoneEntry.Cname("www.google.com", "google.com"),
            new ZoneEntry.Cname("loop.example", "loop.example"),
            new ZoneEntry.NxDomain("blocked.example"),
            new ZoneEntry.ServFail("broken.example")));

    @Test
    void anAddressAnswer() {
        Zone.Answer a = ZONE.lookup("Google.COM.", DnsType.A);
        assertThat(a.rcode()).isEqualTo(DnsRcode.NOERROR);
        assertThat(a.records()).containsExactly(DnsRecord.a("google.com.", 300, Ipv4Address.parse("142.250.72.14")));
    }

    @Test
    void cnamesAreFollowedAndComeFirst() {
        Zone.Answer a = ZONE.lookup("www.google.com", DnsType.A);
        assertThat(a.records()).extracting(DnsRecord::type).containsExactly(DnsType.CNAME, DnsType.A);
        assertThat(a.records().get(0).text()).isEqualTo("google.com.");
        assertThat(ZONE.lookup("www.google.com", DnsType.CNAME).records()).hasSize(1);
    }

    @Test
    void failuresAsConfigured() {
        assertThat(ZONE.lookup("nowhere.example", DnsType.A).rcode()).isEqualTo(DnsRcode.NXDOMAIN);
        assertThat(ZONE.lookup("blocked.example", DnsType.A).rcode()).isEqualTo(DnsRcode.NXDOMAIN);
        assertThat(ZONE.lookup("broken.example", DnsType.A).rcode()).isEqualTo(DnsRcode.SERVFAIL);
        assertThat(ZONE.lookup("loop.example", DnsType.A).rcode()).isEqualTo(DnsRcode.SERVFAIL);
        Zone.Answer noData = ZONE.lookup("google.com", DnsType.MX);
        assertThat(noData.rcode()).isEqualTo(DnsRcode.NOERROR);
        assertThat(noData.records()).isEmpty();
        assertThat(ZONE.lookup("google.com", DnsType.AAAA).records().get(0).rdata()).isEqualTo(
                java.util.HexFormat.of().parseHex("2607f8b74005080c000000000000200e".replace("f8b7", "f8b0")));
    }

    @Test
    void defaultAndReferenceZones() {
        assertThat(Zone.defaults().lookup("google.com", DnsType.A).records().get(0).ipv4()).contains(Ipv4Address.parse("142.250.72.14"));
        assertThat(Zone.reference().lookup("google.com", DnsType.A).records().get(0).ipv4()).contains(Ipv4Address.parse("142.250.1.1"));
        assertThat(Zone.defaults().lookup("8.8.8.8.in-addr.arpa", DnsType.PTR).records().get(0).text()).isEqualTo("dns.google.");
        assertThatThrownBy(() -> new ZoneEntry.Aaaa("x.example", "1.2.3.4")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theResponderAnswersLikeAPublicResolver() throws Exception {
        DnsResponder responder = new DnsResponder(ZONE);
        DnsMessage query = DnsMessage.query(0x1234, "google.com", DnsType.A, true)
                .withAdditionals(List.of(DnsRecord.opt(1232)));
        DnsMessage reply = DnsMessage.parse(responder.answer(query.toWire()).orElseThrow());
        assertThat(reply.id()).isEqualTo(0x1234);
        assertThat(reply.qr()).isTrue();
        assertThat(reply.rd()).isTrue();
        assertThat(reply.ra()).isTrue();
        assertThat(reply.aa()).isFalse();
        assertThat(reply.answers()).hasSize(1);
        assertThat(reply.additionals()).containsExactly(DnsRecord.opt(512));
        DnsMessage nx = DnsMessage.parse(responder.answer(DnsMessage.query(1, "nowhere.example", DnsType.A, true).toWire()).orElseThrow());
        assertThat(nx.rcode()).isEqualTo(DnsRcode.NXDOMAIN);
        assertThat(nx.additionals()).isEmpty();
        // a reply, or garbage, gets no answer at all
        assertThat(responder.answer(reply.toWire())).isEmpty();
        assertThat(responder.answer(new byte[] {1, 2, 3})).isEmpty();
    }

    @Test
    void theWebServerAnswersOnceTheHeaderIsIn() {
        HttpResponder web = new HttpResponder("hello\n");
        assertThat(web.respond("GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1))).isEmpty();
        String ok = new String(web.respond("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)).orElseThrow(),
                StandardCharsets.ISO_8859_1);
        assertThat(ok).isEqualTo("HTTP/1.0 200 OK\r\nServer: vnetlab\r\nContent-type: text/html\r\nContent-Length: 6\r\n\r\nhello\n");
        String head = new String(web.respond("HEAD / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)).orElseThrow(),
                StandardCharsets.ISO_8859_1);
        assertThat(head).endsWith("Content-Length: 6\r\n\r\n");
        assertThat(new String(web.respond("POST / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)).orElseThrow(),
                StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.0 501 Not Implemented\r\n");
    }
}
