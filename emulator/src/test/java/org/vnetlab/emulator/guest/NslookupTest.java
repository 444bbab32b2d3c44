package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsType;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.udp.UdpDatagram;

/** Windows' nslookup against the emulated resolvers. */
class NslookupTest {
    private static Rig rig() {
        return new Rig(OsProfile.windows10("WIN10")).withDns("8.8.8.8");
    }

    @Test
    void anAnswerShowsTheServerThenANonAuthoritativeAddress() {
        CommandResult r = rig().guest.run("nslookup google.com");
        assertThat(r.output()).isEqualTo("""
                Server:  dns.google
                Address:  8.8.8.8

                Non-authoritative answer:
                Name:    google.com
                Address:  142.250.72.14

                """);
        assertThat(r.exitStatus()).isZero();
        assertThat(r.outcome()).isEqualTo(new Outcome.Resolved("google.com", List.of(Ipv4Address.parse("142.250.72.14")), List.of()));
    }

    @Test
    void itAsksForTheServersNameFirstThenAThenAaaa() throws ParseException {
        Rig rig = rig();
        rig.guest.run("nslookup google.com");
        List<String> questions = new ArrayList<>();
        for (Ipv4Packet ip : rig.sentIp(17)) {
            DnsMessage m = DnsMessage.parse(UdpDatagram.checked(ip.payload()).payload());
            questions.add(m.question().name() + " " + m.question().type());
            assertThat(m.rd()).isTrue();
        }
        assertThat(questions).containsExactly("8.8.8.8.in-addr.arpa. PTR", "google.com. A", "google.com. AAAA");
    }

    @Test
    void anAliasIsListedUnderTheCanonicalName() {
        CommandResult r = rig().guest.run("nslookup www.google.com");
        assertThat(r.output()).endsWith("""
                Non-authoritative answer:
                Name:    google.com
                Address:  142.250.72.14
                Aliases:  www.google.com

                """);
        assertThat(r.outcome()).isEqualTo(new Outcome.Resolved("www.google.com",
                List.of(Ipv4Address.parse("142.250.72.14")), List.of("www.google.com")));
    }

    @Test
    void aMissingNameIsANonExistentDomain() {
        CommandResult r = rig().guest.run("nslookup nowhere.example 1.1.1.1");
        assertThat(r.output()).isEqualTo("""
                Server:  one.one.one.one
                Address:  1.1.1.1

                *** one.one.one.one can't find nowhere.example: Non-existent domain
                """);
        assertThat(r.outcome()).isEqualTo(new Outcome.NxDomain("nowhere.example"));
    }

    @Test
    void aServerThatNeverAnswersTimesOutTwiceForEachQuestion() {
        Rig rig = rig();
        rig.router.enable("block-dns");
        long start = rig.lab.now();
        CommandResult r = rig.guest.run("nslookup google.com");
        assertThat(r.output()).isEqualTo("""
                DNS request timed out.
                    timeout was 2 seconds.
                Server:  UnKnown
                Address:  8.8.8.8

                DNS request timed out.
                    timeout was 2 seconds.
                DNS request timed out.
                    timeout was 2 seconds.
                *** Request to UnKnown timed-out
                """);
        assertThat(r.outcome()).isEqualTo(new Outcome.Timeout());
        assertThat(r.exitStatus()).isEqualTo(1);
        // the PTR try, then the A question twice, 2 s each
        assertThat(rig.lab.now() - start).isEqualTo(6_000_000_000L);
    }

    @Test
    void aServfailEntryIsReportedAsServerFailed() {
        Rig rig = rig();
        rig.internet.setZone(org.vnetlab.emulator.internet.Zone.defaults().with(List.of(
                new org.vnetlab.emulator.internet.ZoneEntry.ServFail("broken.example"))));
        CommandResult r = rig.guest.run("nslookup broken.example");
        assertThat(r.output()).endsWith("*** dns.google can't find broken.example: Server failed\n");
        assertThat(r.outcome()).isEqualTo(new Outcome.ServFail("broken.example", "SERVFAIL"));
    }

    @Test
    void optionsAreCheckedByName() {
        CommandResult r = rig().guest.run("nslookup -foo google.com");
        assertThat(r.output()).isEqualTo("*** Invalid option: foo\n");
        assertThat(r.outcome()).isEqualTo(new Outcome.UsageError("-foo", "unknown nslookup option"));
        assertThat(DnsType.A).isNotNull();
    }
}
