package org.vnetlab.emulator.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsRcode;
import org.vnetlab.protocols.dns.DnsType;

/** Forwarding to upstreams: dnsmasq's own ID and port out, the client's ID back, failover as dnsmasq does it. */
class DnsForwardingTest {
    private static Ipv4Address ip(String s) { return Ipv4Address.parse(s); }

    @Test
    void theReferenceQueryGoesUpstreamUnchangedButForTheIdAndComesBackAsTheGuestSawIt() {
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().build(), "8.8.8.8");
        ReferenceFrames.UdpFrame guestQuery = ReferenceFrames.udp("guest-eth0.pcap", 21);
        ReferenceFrames.UdpFrame hostQuery = ReferenceFrames.udp("host-enp3s0.pcap", 7);
        ReferenceFrames.UdpFrame hostReply = ReferenceFrames.udp("host-enp3s0.pcap", 8);
        ReferenceFrames.UdpFrame guestReply = ReferenceFrames.udp("guest-eth0.pcap", 22);

        rig.ask(guestQuery.payload(), ip("192.168.122.55"), guestQuery.sourcePort());

        assertThat(rig.upstream).singleElement().satisfies(u -> {
            assertThat(u.server()).isEqualTo(ip("8.8.8.8"));
            assertThat(u.serverPort()).isEqualTo(53);
            assertThat(u.sourcePort()).isBetween(1024, 65535);
            assertThat(Arrays.copyOfRange(u.payload(), 2, u.payload().length))
                    .isEqualTo(Arrays.copyOfRange(hostQuery.payload(), 2, hostQuery.payload().length));
        });
        DnsRig.Upstream sent = rig.upstream.get(0);
        byte[] reply = hostReply.payload();
        reply[0] = sent.payload()[0];
        reply[1] = sent.payload()[1];
        rig.dnsmasq.dns().upstreamReply(sent.sourcePort(), ip("8.8.8.8"), 53, reply);

        assertThat(rig.answers).singleElement().satisfies(a -> {
            assertThat(a.payload()).isEqualTo(guestReply.payload());
            assertThat(a.source()).isEqualTo(DnsRig.SERVER);
            assertThat(a.sourcePort()).isEqualTo(53);
            assertThat(a.destination()).isEqualTo(ip("192.168.122.55"));
            assertThat(a.destinationPort()).isEqualTo(40001);
        });
        assertThat(rig.released).containsExactly(sent.sourcePort());
        assertThat(rig.dnsmasq.log().texts()).as("libvirt does not set log-queries").containsExactly(
                "started, version 2.90 cachesize 150",
                "DHCP, IP range 192.168.122.2 -- 192.168.122.254, lease time 1h",
                "DHCP, sockets bound exclusively to interface virbr0",
                "reading /etc/resolv.conf",
                "using nameserver 8.8.8.8#53",
                "read /etc/hosts - 0 names",
                "read /tmp/vo-oracle.4jT0KJ/default.addnhosts - 0 names",
                "read /tmp/vo-oracle.4jT0KJ/default.hostsfile");
    }

    @Test
    void idsAndPortsAreDnsmasqsOwnAndTheSameSeedGivesTheSameOnes() {
        DnsRig a = DnsRig.withResolvConf(DhcpRig.defaultNetwork().build(), "8.8.8.8");
        DnsRig b = DnsRig.withResolvConf(DhcpRig.defaultNetwork().build(), "8.8.8.8");
        a.ask("google.com", DnsType.A, 0x1234);
        b.ask("google.com", DnsType.A, 0x1234);
        assertThat(a.upstream.get(0).message().id()).isEqualTo(b.upstream.get(0).message().id());
        assertThat(a.upstream.get(0).sourcePort()).isEqualTo(b.upstream.get(0).sourcePort());
        a.ask("example.org", DnsType.A, 0x1234);
        assertThat(a.upstream.get(1).sourcePort()).isNotEqualTo(a.upstream.get(0).sourcePort());
    }

    @Test
    void strictOrderMovesAServfailToTheNextServerAndReturnsItsAnswer() {
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().build(), "10.0.0.1", "10.0.0.2");
        rig.ask("google.com", DnsType.A, 0x0101);
        assertThat(rig.upstream).extracting(DnsRig.Upstream::server).containsExactly(ip("10.0.0.1"));

        rig.upstreamAnswers(0, DnsRcode.SERVFAIL);
        assertThat(rig.answers).isEmpty();
        assertThat(rig.upstream).extracting(DnsRig.Upstream::server).containsExactly(ip("10.0.0.1"), ip("10.0.0.2"));
        assertThat(rig.upstream.get(1).sourcePort()).isEqualTo(rig.upstream.get(0).sourcePort());

        rig.upstreamAnswers(1, DnsRcode.NOERROR, ip("142.250.1.1"));
        DnsMessage answer = rig.lastAnswer();
        assertThat(answer.id()).isEqualTo(0x0101);
        assertThat(answer.rcode()).isEqualTo(DnsRcode.NOERROR);
        assertThat(answer.answers()).singleElement().satisfies(r -> assertThat(r.ipv4()).contains(ip("142.250.1.1")));
    }

    @Test
    void refusedFailsOverTheSameWay() {
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().build(), "10.0.0.1", "10.0.0.2");
        rig.ask("google.com", DnsType.A, 7);
        rig.upstreamAnswers(0, DnsRcode.REFUSED);
        assertThat(rig.upstream).extracting(DnsRig.Upstream::server).containsExactly(ip("10.0.0.1"), ip("10.0.0.2"));
    }

    @Test
    void aServfailFromTheLastServerInStrictOrderLeavesTheClientWithoutAnAnswer() {
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().build(), "10.0.0.1", "10.0.0.2");
        rig.ask("google.com", DnsType.A, 7);
        rig.upstreamAnswers(0, DnsRcode.SERVFAIL);
        rig.upstreamAnswers(1, DnsRcode.SERVFAIL);
        assertThat(rig.answers).isEmpty();
        assertThat(rig.upstream).hasSize(2);
    }

    @Test
    void aSilentServerIsPassedOverWhenTheClientRetries() {
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().build(), "10.0.0.1", "10.0.0.2");
        byte[] query = DnsMessage.query(0x4242, "google.com", DnsType.A, true).toWire();
        rig.ask(query);
        rig.lab.scheduler().runFor(SimTime.seconds(5)); // dig waits 5 s, then sends the same query again
        rig.ask(query);

        assertThat(rig.upstream).extracting(DnsRig.Upstream::server).containsExactly(ip("10.0.0.1"), ip("10.0.0.2"));
        rig.upstreamAnswers(1, DnsRcode.NOERROR, ip("1.2.3.4"));
        assertThat(rig.lastAnswer().id()).isEqualTo(0x4242);
    }

    @Test
    void withoutStrictOrderTheFirstQueryGoesToEveryServerAndTheFirstAnswerWins() {
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().strictOrder(false).build(), "10.0.0.1", "10.0.0.2");
        rig.ask("google.com", DnsType.A, 9);
        assertThat(rig.upstream).extracting(DnsRig.Upstream::server).containsExactly(ip("10.0.0.1"), ip("10.0.0.2"));
        rig.upstreamAnswers(1, DnsRcode.NOERROR, ip("1.2.3.4"));
        assertThat(rig.answers).hasSize(1);
        rig.upstreamAnswers(0, DnsRcode.NOERROR, ip("1.2.3.4"));
        assertThat(rig.answers).as("the late answer finds no query waiting").hasSize(1);

        // the server that answered is used alone for a while
        rig.ask("example.org", DnsType.A, 10);
        assertThat(rig.upstream.get(2).server()).isEqualTo(ip("10.0.0.2"));
    }

    @Test
    void aStubResolverNobodyListensOnGivesNoAnswerAtAllAndDnsmasqSaysNothing() {
        // the reference host: resolv.conf names systemd-resolved's stub, which was not running
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().build(), "127.0.0.53");
        byte[] query = DnsMessage.query(0x0e89, "google.com", DnsType.A, true).toWire();
        for (int attempt = 0; attempt < 3; attempt++) { // dig's three tries, 5 s apart
            rig.ask(query);
            rig.lab.scheduler().runFor(SimTime.seconds(5));
        }
        assertThat(rig.upstream).extracting(DnsRig.Upstream::server).containsOnly(ip("127.0.0.53")).hasSize(3);
        assertThat(rig.answers).isEmpty();
        assertThat(rig.dnsmasq.log().texts()).contains("using nameserver 127.0.0.53#53")
                .noneMatch(t -> t.contains("google.com") || t.contains("REFUSED") || t.contains("SERVFAIL"));
    }

    @Test
    void withNoUpstreamAtAllTheAnswerIsRefused() {
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().noResolv(true).build(), "8.8.8.8");
        rig.ask("google.com", DnsType.A, 3);
        assertThat(rig.upstream).isEmpty();
        assertThat(rig.lastAnswer().rcode()).isEqualTo(DnsRcode.REFUSED);
    }

    @Test
    void anUnroutableUpstreamIsRefusedAtOnce() {
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().build(), "203.0.113.53");
        rig.unreachable.add(ip("203.0.113.53"));
        rig.ask("google.com", DnsType.A, 3);
        assertThat(rig.lastAnswer().rcode()).isEqualTo(DnsRcode.REFUSED);
    }

    @Test
    void forwarderLinesBeatResolvConfAndDomainServersTakeTheirDomains() {
        // nat-network-dns-forwarders.conf: server=8.8.8.8, server=8.8.4.4, server=/example.com/192.168.1.1,
        // server=/www.example.com/#, no-resolv
        DnsmasqSettings s = DhcpRig.defaultNetwork().noResolv(true)
                .server(ServerRule.upstream(ip("8.8.8.8"))).server(ServerRule.upstream(ip("8.8.4.4")))
                .server(ServerRule.upstream("example.com", ip("192.168.1.1")))
                .server(new ServerRule("www.example.com", new ServerRule.Target.Standard())).build();
        DnsRig rig = DnsRig.withResolvConf(s, "127.0.0.53");
        rig.ask("host.example.com", DnsType.A, 1);
        rig.ask("www.example.com", DnsType.A, 2);
        rig.ask("google.com", DnsType.A, 3);
        assertThat(rig.upstream).extracting(DnsRig.Upstream::server)
                .containsExactly(ip("192.168.1.1"), ip("8.8.8.8"), ip("8.8.8.8"));
        assertThat(rig.dnsmasq.log().texts()).contains(
                "using nameserver 192.168.1.1#53 for domain example.com",
                "using standard nameservers for www.example.com",
                "using nameserver 8.8.8.8#53", "using nameserver 8.8.4.4#53")
                .doesNotContain("reading /etc/resolv.conf");
    }

    @Test
    void anotherClientAskingTheSameWithinTwoSecondsSharesTheForwardAndBothGetTheAnswer() {
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().build(), "8.8.8.8");
        rig.ask(DnsMessage.query(1, "google.com", DnsType.A, true).toWire(), ip("192.168.122.55"), 40001);
        rig.ask(DnsMessage.query(2, "google.com", DnsType.A, true).toWire(), ip("192.168.122.66"), 50000);
        assertThat(rig.upstream).hasSize(1);
        rig.upstreamAnswers(0, DnsRcode.NOERROR, ip("142.250.1.1"));
        assertThat(rig.answers).extracting(DnsDatagram::destination).containsExactly(ip("192.168.122.55"), ip("192.168.122.66"));
        assertThat(rig.answers).extracting(a -> DnsRig.parse(a.payload()).id()).containsExactly(1, 2);
    }
}
