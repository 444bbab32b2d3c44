package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsRecord;
import org.vnetlab.protocols.dns.DnsType;
import org.vnetlab.protocols.ethernet.EthernetFrame;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.pcap.PcapReader;
import org.vnetlab.protocols.pcap.PcapRecord;
import org.vnetlab.protocols.udp.UdpDatagram;

/** BIND's dig on a Linux guest against the emulated resolvers. */
class DigTest {
    private static Rig rig() {
        return new Rig(OsProfile.debian("debian")).withDns("8.8.8.8");
    }

    @Test
    void fullOutput() {
        Rig rig = rig();
        CommandResult r = rig.guest.run("dig @8.8.8.8 google.com");
        String out = r.output().replaceAll("id: \\d+", "id: ID");
        assertThat(out).isEqualTo("""

                ; <<>> DiG 9.18.28-1~deb12u2-Debian <<>> @8.8.8.8 google.com
                ; (1 server found)
                ;; global options: +cmd
                ;; Got answer:
                ;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: ID
                ;; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1

                ;; OPT PSEUDOSECTION:
                ; EDNS: version: 0, flags:; udp: 512
                ;; QUESTION SECTION:
                ;google.com.\t\t\tIN\tA

                ;; ANSWER SECTION:
                google.com.\t\t300\tIN\tA\t142.250.72.14

                ;; Query time: 20 msec
                ;; SERVER: 8.8.8.8#53(8.8.8.8) (UDP)
                ;; WHEN: Thu Nov 26 06:00:00 UTC 2026
                ;; MSG SIZE  rcvd: 55

                """);
        assertThat(r.exitStatus()).isZero();
        assertThat(r.outcome()).isEqualTo(new Outcome.Resolved("google.com", List.of(Ipv4Address.parse("142.250.72.14")), List.of()));
    }

    @Test
    void shortFormPrintsTheRdataOnly() {
        assertThat(rig().guest.run("dig +short www.google.com").output()).isEqualTo("google.com.\n142.250.72.14\n");
    }

    @Test
    void theQueryHasTheShapeOfTheCapturedOne() throws Exception {
        Rig rig = rig();
        rig.guest.run("dig @8.8.8.8 google.com");
        UdpDatagram ours = UdpDatagram.checked(rig.sentIp(17).get(0).payload());
        DnsMessage q = DnsMessage.parse(ours.payload());
        DnsMessage captured = capturedQuery();
        assertThat(ours.payload().readableBytes()).isEqualTo(51);
        assertThat(q.flags()).isEqualTo(captured.flags()); // RD and AD
        assertThat(q.questions()).isEqualTo(captured.questions());
        DnsRecord opt = q.additionals().get(0);
        DnsRecord capturedOpt = captured.additionals().get(0);
        assertThat(opt.type()).isEqualTo(DnsType.OPT);
        assertThat(opt.dnsClass()).isEqualTo(capturedOpt.dnsClass()).isEqualTo(1232);
        assertThat(opt.rdata()).hasSize(12).startsWith(0, 10, 0, 8); // COOKIE, 8 client bytes
        assertThat(ours.destinationPort()).isEqualTo(53);
    }

    /** The guest's first query to 8.8.8.8 in the reference capture (dig 9.18 from 192.168.122.55). */
    private static DnsMessage capturedQuery() throws Exception {
        Path shared = Path.of(System.getProperty("vnetlab.shared", "../../shared"));
        for (PcapRecord rec : PcapReader.read(shared.resolve("ref/captures/article/guest-eth0.pcap"))) {
            EthernetFrame eth = EthernetFrame.checked(io.netty.buffer.Unpooled.wrappedBuffer(rec.data()));
            if (eth.etherType().value() != 0x0800) continue;
            Ipv4Packet ip = Ipv4Packet.checked(eth.payload());
            if (ip.protocol().value() != 17 || !ip.destination().equals(Ipv4Address.parse("8.8.8.8"))) continue;
            UdpDatagram udp = UdpDatagram.checked(ip.payload());
            if (udp.destinationPort() == 53) return DnsMessage.parse(udp.payload());
        }
        throw new AssertionError("no DNS query to 8.8.8.8 in the capture");
    }

    @Test
    void noAnswerThreeTimesGivesUp() {
        Rig rig = rig();
        rig.router.enable("block-dns");
        long start = rig.lab.now();
        CommandResult r = rig.guest.run("dig @8.8.8.8 google.com");
        assertThat(r.output()).isEqualTo("""
                ;; communications error to 8.8.8.8#53: timed out
                ;; communications error to 8.8.8.8#53: timed out
                ;; communications error to 8.8.8.8#53: timed out

                ; <<>> DiG 9.18.28-1~deb12u2-Debian <<>> @8.8.8.8 google.com
                ; (1 server found)
                ;; global options: +cmd
                ;; no servers could be reached

                """);
        assertThat(r.exitStatus()).isEqualTo(9);
        assertThat(rig.lab.now() - start).isEqualTo(15_000_000_000L);
    }

    @Test
    void aClosedPortIsRefusedAtOnce() {
        CommandResult r = rig().guest.run("dig @8.8.8.8 -p 5353 google.com");
        assertThat(r.output()).startsWith(";; communications error to 8.8.8.8#5353: connection refused\n")
                .endsWith(";; no servers could be reached\n\n");
        assertThat(r.outcome()).isEqualTo(new Outcome.Unreachable(3, 3, Ipv4Address.parse("8.8.8.8")));
    }

    @Test
    void nxdomainIsAnAnswerWithItsStatus() {
        CommandResult r = rig().guest.run("dig nowhere.example");
        assertThat(r.output()).contains("status: NXDOMAIN").contains("ANSWER: 0");
        assertThat(r.exitStatus()).isZero();
        assertThat(r.outcome()).isEqualTo(new Outcome.NxDomain("nowhere.example"));
    }
}
