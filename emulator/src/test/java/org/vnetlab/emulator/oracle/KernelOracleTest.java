package org.vnetlab.emulator.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vnetlab.emulator.testing.SharedReference;

/**
 * The harness itself, against the real kernel: with the article's ruleset the namespaces reproduce what the
 * reference host did (shared/ref/captures/article/summary.md). One namespace set-up per scenario, many
 * probes per run. Needs root and the tools of `vnetlab-oracle check`.
 */
@ExtendWith(KernelOracleExtension.class)
class KernelOracleTest {
    static final String GUEST = "192.168.122.55";
    static final String HOST_UPLINK = "192.168.0.10";

    static Path resource(String name) {
        try {
            return Path.of(KernelOracleTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path shared(String relative) { return SharedReference.resolve(relative); }

    /** The article's host: its iptables-save, libvirt's default dnsmasq conf, two default routes, rp_filter 2. */
    static OracleSpec.Builder articleHost() {
        return OracleSpec.builder()
                .iptables(resource("article.iptables"))
                .dnsmasqConf(shared("ref/captures/article/dnsmasq-default.conf"))
                .resolv("nameserver 8.8.8.8")
                .sysctl("host", "net.ipv4.conf.all.rp_filter", "2")
                .sysctl("host", "net.ipv4.conf.default.rp_filter", "2")
                .route("host", "default via 192.168.0.1 metric 0")
                .route("host", "default via 192.168.0.1 metric 100")
                .route("host", "192.168.0.0/24 dev enp3s0 proto kernel scope link src 192.168.0.10 metric 100");
    }

    @Test
    void checkReportsToolsAndBridgeNetfilter(KernelOracle oracle) {
        OracleAvailability availability = oracle.availability();

        assertThat(availability.runnable()).isTrue();
        assertThat(availability.facts()).containsKeys("kernel", "iptables", "iptables_backend", "conntrack", "dnsmasq", "bridge_nf");
        assertThat(availability.facts().get("bridge_nf")).matches("available|unavailable.*");
    }

    @Test
    void aSpecMistakeNamesTheLineAndChangesNothing(KernelOracle oracle) {
        OracleSpec spec = OracleSpec.builder().set("guest.colour", "blue").probe(Probe.ping("p", "192.168.122.1")).build();

        assertThatThrownBy(() -> oracle.run(spec, Path.of("target", "oracle", "bad-spec")))
                .isInstanceOf(OracleException.class)
                .hasMessageContaining("spec.txt:2: unknown parameter 'guest.colour'");
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ArticleRuleset {
        OracleResult run;

        @BeforeAll
        void runTheArticleProbes(KernelOracle oracle) {
            OracleSpec spec = articleHost()
                    .probe(Probe.dhcp("dhcp"))
                    .probe(Probe.ping("ping_gw", "192.168.122.1"))
                    .probe(Probe.ping("ping_router", "192.168.0.1"))
                    .probe(Probe.ping("ping_8888", "8.8.8.8").with("id", 4099))
                    .probe(Probe.dns("dig_gw", "192.168.122.1", "google.com").with("sport", 40001))
                    .probe(Probe.dns("dig_8888", "8.8.8.8", "google.com").with("sport", 40002))
                    .probe(Probe.tcp("tcp_http", "142.250.1.1", 80).with("sport", 40003).with("http", 1))
                    .probe(Probe.tcp("tcp_lowport", "142.250.1.1", 80).with("sport", 700).with("http", 1))
                    .probe(Probe.dns("udp_lowport", "8.8.8.8", "google.com").with("sport", 700))
                    .probe(Probe.udp("udp_closed", "8.8.8.8", 5353).with("sport", 40004))
                    .probe(Probe.tcp("tcp_closed", "142.250.1.1", 81).with("sport", 40005))
                    .probe(Probe.ping("ping_ttl1", "8.8.8.8").with("ttl", 1).with("id", 4100))
                    .probe(Probe.ping("ping_ttl2", "8.8.8.8").with("ttl", 2))
                    .probe(Probe.dns("host_dig_8888", "8.8.8.8", "google.com").from("host").with("sport", 40002))
                    .probe(Probe.ping("in_ping", "$guest").from("lanhost"))
                    .probe(Probe.tcp("in_tcp", "$guest", 8080).from("lanhost"))
                    .build();
            run = oracle.run(spec, Path.of("target", "oracle", "article"));
        }

        @Test
        void theRulesetLoadsAndPrintsBareNumbersAsAddresses() {
            assertThat(run.meta("firewall_rc")).isEqualTo("0");
            // `-d 53` is parsed like inet_aton: 53.0.0.0, so these ACCEPTs match nothing
            assertThat(run.iptablesSave()).anyMatch(line -> line.endsWith("-A LIBVIRT_OUT -d 53.0.0.0/32 -o virbr0 -p udp -j ACCEPT"));
            assertThat(run.iptablesSave()).anyMatch(line -> line.endsWith("-A LIBVIRT_OUT -d 68.0.0.0/32 -o virbr0 -p tcp -j ACCEPT"));
        }

        @Test
        void stpRaisesTheZeroForwardDelayToTwoSeconds() {
            assertThat(run.meta("bridge_stp_state")).isEqualTo("1");
            assertThat(run.meta("bridge_forward_delay_cs")).isEqualTo("200");
        }

        @Test
        void dhcpLeasesTheHashedAddressFromTheBridge() {
            ProbeResult dhcp = run.probe("dhcp");

            assertThat(dhcp.outcome()).isEqualTo(Outcome.LEASE);
            assertThat(dhcp.detail("address")).isEqualTo(GUEST); // range start + hash(52:54:00:aa:bb:01)
            assertThat(dhcp.detail("server")).isEqualTo("192.168.122.1");
            assertThat(dhcp.detail("router")).isEqualTo("192.168.122.1");
            assertThat(dhcp.detail("dns")).isEqualTo("192.168.122.1");
            assertThat(dhcp.intDetail("lease_time")).isEqualTo(3600);
            assertThat(dhcp.detail("offer_options")).isEqualTo("53,54,51,58,59,1,28,3,6,255");
            assertThat(dhcp.detail("ack_options")).isEqualTo("53,54,51,58,59,1,28,3,6,255");
            // sent unicast to the client's MAC and offered address, TOS 0xc0, no DF, padded to 300 bytes
            assertThat(dhcp.detail("offer_eth_dst")).isEqualTo("52:54:00:aa:bb:01");
            assertThat(dhcp.detail("offer_ip_dst")).isEqualTo(GUEST);
            assertThat(dhcp.detail("offer_tos")).isEqualTo("0xc0");
            assertThat(dhcp.detail("offer_df")).isEqualTo("0");
            assertThat(dhcp.intDetail("offer_udp_len")).isEqualTo(308);
            assertThat(run.meta("guest_ip")).isEqualTo(GUEST);
        }

        @Test
        void pingsAreAnsweredOneHopFurtherEachTime() {
            assertThat(run.probe("ping_gw")).satisfies(p -> {
                assertThat(p.outcome()).isEqualTo(Outcome.REPLY);
                assertThat(p.detail("reply_from")).isEqualTo("192.168.122.1");
                assertThat(p.intDetail("reply_ttl")).isEqualTo(64);
            });
            assertThat(run.probe("ping_router")).satisfies(p -> {
                assertThat(p.outcome()).isEqualTo(Outcome.REPLY);
                assertThat(p.detail("reply_from")).isEqualTo("192.168.0.1");
                assertThat(p.intDetail("reply_ttl")).isEqualTo(63);
            });
            assertThat(run.probe("ping_8888")).satisfies(p -> {
                assertThat(p.outcome()).isEqualTo(Outcome.REPLY);
                assertThat(p.detail("reply_from")).isEqualTo("8.8.8.8");
                assertThat(p.intDetail("reply_ttl")).isEqualTo(62);
                // masqueraded to the uplink address, echo id kept, TTL 64 - 2 on arrival
                assertThat(p.inetSeen()).containsExactly(new SeenFlow("icmp", HOST_UPLINK + "#4099", "8.8.8.8", 62));
            });
        }

        @Test
        void eachProtocolIsMasqueradedByItsOwnLibvirtRule() {
            assertThat(run.counterDeltas("ping_8888")).containsEntry("nat:LIBVIRT_PRT #5", 1L)
                    .doesNotContainKeys("nat:LIBVIRT_PRT #3", "nat:LIBVIRT_PRT #4", "nat:POSTROUTING #2");
            assertThat(run.counterDeltas("dig_8888")).containsEntry("nat:LIBVIRT_PRT #4", 1L);
            assertThat(run.counterDeltas("tcp_http")).containsEntry("nat:LIBVIRT_PRT #3", 1L);
            // dnsmasq's own upstream query leaves through the uplink: the generic -o enp3s0 MASQUERADE
            assertThat(run.counterDeltas("dig_gw")).containsEntry("nat:POSTROUTING #2", 1L)
                    .containsEntry("filter:LIBVIRT_INP #1", 1L);
            assertThat(run.countersAfter("dig_gw").rule("nat:POSTROUTING #2")).isEqualTo("-A POSTROUTING -o enp3s0 -j MASQUERADE");
        }

        @Test
        void theSameCountersMoveAsOnTheReferenceHost() {
            // rows 02-ping_gw, 12-ping_ttl1 and 15-in_ping of shared/ref/captures/article/summary.md
            assertThat(run.counterDeltas("ping_gw")).isEqualTo(Map.of(
                    "nat:PREROUTING policy", 1L, "nat:INPUT policy", 1L,
                    "filter:INPUT policy", 1L, "filter:INPUT #1", 1L,
                    "filter:OUTPUT policy", 1L, "filter:OUTPUT #1", 1L));
            assertThat(run.counterDeltas("ping_ttl1")).isEqualTo(Map.of(
                    "nat:PREROUTING policy", 1L, "filter:OUTPUT policy", 1L, "filter:OUTPUT #1", 1L));
            assertThat(run.counterDeltas("in_ping")).isEqualTo(Map.of(
                    "nat:PREROUTING policy", 1L, "filter:FORWARD #1", 1L, "filter:FORWARD #2", 1L,
                    "filter:OUTPUT policy", 1L, "filter:OUTPUT #1", 1L, "filter:LIBVIRT_FWI #2", 1L));
        }

        @Test
        void dnsAnswersThroughDnsmasqAndDirectly() {
            assertThat(run.probe("dig_gw")).satisfies(p -> {
                assertThat(p.outcome()).isEqualTo(Outcome.ANSWER);
                assertThat(p.detail("rcode")).isEqualTo("NOERROR");
                assertThat(p.detail("a")).isEqualTo("142.250.1.1");
                assertThat(p.inetSeen()).singleElement().satisfies(f -> assertThat(f.sourceAddress()).isEqualTo(HOST_UPLINK));
            });
            assertThat(run.probe("dig_8888")).satisfies(p -> {
                assertThat(p.detail("a")).isEqualTo("142.250.1.1");
                assertThat(p.inetSeen()).containsExactly(new SeenFlow("udp", HOST_UPLINK + ":40002", "8.8.8.8:53", 62));
            });
            assertThat(run.probe("tcp_http").detail("http_status")).isEqualTo("200");
            assertThat(run.probe("tcp_http").inetSeen()).extracting(SeenFlow::source).containsExactly(HOST_UPLINK + ":40003");
        }

        @Test
        void aGuestSourcePortBelow1024IsRemappedInto1024To65535() {
            for (String id : List.of("tcp_lowport", "udp_lowport")) {
                ProbeResult probe = run.probe(id);
                assertThat(probe.outcome()).isIn(Outcome.CONNECTED, Outcome.ANSWER);
                assertThat(probe.intDetail("sport")).isEqualTo(700);
                assertThat(probe.inetSeen()).singleElement().satisfies(flow -> {
                    assertThat(flow.sourceAddress()).isEqualTo(HOST_UPLINK);
                    assertThat(flow.sourcePort()).isBetween(1024, 65535);
                });
            }
        }

        @Test
        void aClosedUdpPortAnswersWithAnIcmpErrorDeNattedInside() {
            ProbeResult probe = run.probe("udp_closed");

            assertThat(probe.outcome()).isEqualTo(Outcome.ICMP_ERROR);
            assertThat(probe.intDetail("icmp_type")).isEqualTo(3);
            assertThat(probe.intDetail("icmp_code")).isEqualTo(3);
            assertThat(probe.detail("icmp_from")).isEqualTo("8.8.8.8");
            // the quoted header is rewritten back to the guest; the quoted TTL is what the internet saw
            assertThat(probe.detail("quoted_src")).isEqualTo(GUEST);
            assertThat(probe.intDetail("quoted_sport")).isEqualTo(40004);
            assertThat(probe.intDetail("quoted_ttl")).isEqualTo(62);
        }

        @Test
        void aClosedTcpPortResetsAndTheRstDestroysTheEntryAtOnce() {
            assertThat(run.probe("tcp_closed").outcome()).isEqualTo(Outcome.RESET);
            assertThat(run.conntrackEvents()).anyMatch(e -> e.contains("[DESTROY] tcp") && e.contains("sport=40005"));
            assertThat(run.conntrackAfter("tcp_closed")).noneMatch(e -> e.contains("sport=40005"));
        }

        @Test
        void ttlOneDiesAtTheHostAndTtlTwoAtTheRouter() {
            ProbeResult ttl1 = run.probe("ping_ttl1");
            assertThat(ttl1.outcome()).isEqualTo(Outcome.ICMP_ERROR);
            assertThat(ttl1.intDetail("icmp_type")).isEqualTo(11);
            assertThat(ttl1.intDetail("icmp_code")).isEqualTo(0);
            assertThat(ttl1.detail("icmp_from")).isEqualTo("192.168.122.1");
            assertThat(ttl1.detail("icmp_tos")).isEqualTo("0xc0");
            assertThat(ttl1.inetSeen()).isEmpty();
            // the packet died before conntrack confirmed an entry for it
            assertThat(run.conntrackAfter("ping_ttl1")).noneMatch(e -> e.contains("id=4100"));

            ProbeResult ttl2 = run.probe("ping_ttl2");
            assertThat(ttl2.outcome()).isEqualTo(Outcome.ICMP_ERROR);
            assertThat(ttl2.intDetail("icmp_type")).isEqualTo(11);
            assertThat(ttl2.detail("icmp_from")).isEqualTo("192.168.0.1");
        }

        @Test
        void aHostFlowCollidingWithANattedTupleGetsItsPortRemapped() {
            ProbeResult probe = run.probe("host_dig_8888");

            assertThat(probe.outcome()).isEqualTo(Outcome.ANSWER);
            assertThat(probe.inetSeen()).singleElement().satisfies(flow -> {
                assertThat(flow.sourceAddress()).isEqualTo(HOST_UPLINK);
                assertThat(flow.sourcePort()).isNotEqualTo(40002);
            });
        }

        @Test
        void inboundTrafficFromTheLanIsRejectedFromTheUplinkAddress() {
            ProbeResult ping = run.probe("in_ping");
            assertThat(ping.outcome()).isEqualTo(Outcome.ICMP_ERROR);
            assertThat(ping.intDetail("icmp_type")).isEqualTo(3);
            assertThat(ping.intDetail("icmp_code")).isEqualTo(3);
            assertThat(ping.detail("icmp_from")).isEqualTo(HOST_UPLINK);
            assertThat(ping.intDetail("quoted_ttl")).isEqualTo(63); // quoted after the forwarding decrement
            assertThat(run.counterDeltas("in_ping")).containsEntry("filter:LIBVIRT_FWI #2", 1L);
            assertThat(run.countersAfter("in_ping").rule("filter:LIBVIRT_FWI #2"))
                    .isEqualTo("-A LIBVIRT_FWI -o virbr0 -j REJECT --reject-with icmp-port-unreachable");

            ProbeResult tcp = run.probe("in_tcp");
            assertThat(tcp.outcome()).isEqualTo(Outcome.ICMP_ERROR);
            assertThat(tcp.detail("icmp_from")).isEqualTo(HOST_UPLINK);
            assertThat(tcp.intDetail("quoted_dport")).isEqualTo(8080);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ForwardingOff {
        OracleResult run;

        @BeforeAll
        void runWithIpForwardZero(KernelOracle oracle) {
            OracleSpec spec = articleHost()
                    .sysctl("host", "net.ipv4.ip_forward", "0")
                    .set("guest.ip", GUEST + "/24")
                    .set("capture", "off")
                    .probe(Probe.ping("ping_gw", "192.168.122.1"))
                    .probe(Probe.ping("ping_8888", "8.8.8.8").with("timeout", 1))
                    .probe(Probe.ping("in_ping", GUEST).from("lanhost").with("timeout", 1))
                    .probe(Probe.dns("dig_gw", "192.168.122.1", "google.com"))
                    .build();
            run = oracle.run(spec, Path.of("target", "oracle", "ip-forward-0"));
        }

        @Test
        void theHostStillAnswersButForwardsNothing() {
            assertThat(run.meta("sysctl.host.net.ipv4.ip_forward")).isEqualTo("0");
            assertThat(run.probe("ping_gw").outcome()).isEqualTo(Outcome.REPLY);
            // dropped silently: no ICMP error comes back for a packet the host may not forward
            assertThat(run.probe("ping_8888").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(run.probe("ping_8888").inetSeen()).isEmpty();
            assertThat(run.probe("in_ping").outcome()).isEqualTo(Outcome.TIMEOUT);
            // the host's own dnsmasq still reaches the internet
            assertThat(run.probe("dig_gw").detail("a")).isEqualTo("142.250.1.1");
        }
    }
}
