package org.vnetlab.emulator.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vnetlab.emulator.differential.Differential.Aspect;
import org.vnetlab.emulator.differential.Differential.Mismatch;
import org.vnetlab.emulator.oracle.KernelOracle;
import org.vnetlab.emulator.oracle.KernelOracleExtension;
import org.vnetlab.emulator.oracle.OracleResult;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.oracle.ProbeResult;

/**
 * The Linux kernel is the oracle for netfilter semantics: each scenario runs once through the real kernel
 * (network namespaces wired like the reference host, see src/oracle/README.md) and once through the
 * emulator's netfilter path with a far end that answers like the real machines, and every probe must
 * agree in outcome, NAT, conntrack entry and moved counters ({@link Differential}). Each scenario also
 * states what the kernel did, so it reads as a specification and cannot pass vacuously.
 */
@ExtendWith(KernelOracleExtension.class)
class KernelDifferentialTest {
    static final String GUEST = "192.168.122.55";
    static final String UPLINK = "192.168.0.10";
    /**
     * Timeout of a probe that gets no answer (answers take milliseconds here). Below the kernel's 1 s initial
     * TCP RTO, so a SYN is sent once: with 1 s the retransmitted SYN sometimes fell inside the probe and
     * moved the counters twice.
     */
    static final String NO_ANSWER = "0.5";

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Agreement {
        OracleResult kernel;
        EmulatedRun emulator;
        Differential differential;

        abstract Scenario scenario();

        @BeforeAll
        void runInTheKernelAndInTheEmulator(KernelOracle oracle) {
            Scenario s = scenario();
            kernel = oracle.run(s.spec(), Path.of("target", "oracle", "differential-" + s.name()));
            emulator = s.emulate();
            differential = new Differential(s.probes(), Observation.of(kernel), emulator);
            try {
                Files.writeString(kernel.dir().resolve("differential.txt"), differential.report());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        ProbeResult k(String id) { return kernel.probe(id); }

        @Test
        void theKernelLoadedTheRulesetAndRanEveryProbe() {
            assertThat(kernel.meta("firewall_rc")).as(kernel.meta().getOrDefault("firewall_error", "")).isEqualTo("0");
            assertThat(kernel.probes()).extracting(ProbeResult::outcome)
                    .doesNotContain(Outcome.ERROR, Outcome.NOT_RUN, Outcome.NOT_AVAILABLE);
        }

        @Test
        void outcomesAgree() { agree(Aspect.OUTCOME); }

        @Test
        void natAgrees() { agree(Aspect.NAT); }

        @Test
        void conntrackEntriesAgree() { agree(Aspect.CONNTRACK); }

        @Test
        void movedCountersAgree() { agree(Aspect.COUNTERS); }

        private void agree(Aspect aspect) {
            List<Mismatch> mismatches = differential.compare(aspect);
            assertThat(mismatches).as(() -> "kernel and emulator disagree (" + aspect + ", scenario " + scenario().name()
                    + ", kernel run in " + kernel.dir() + "):\n"
                    + mismatches.stream().map(Mismatch::toString).collect(Collectors.joining("\n"))
                    + "\nemulator log:\n  " + String.join("\n  ", emulator.log())).isEmpty();
        }
    }

    static Path article() { return Scenario.resource("/netfilter/article.rules"); }

    /** (a) The article's ruleset: the reference host's probes. */
    @Nested
    class ArticleRuleset extends Agreement {
        @Override
        Scenario scenario() {
            return Scenario.of("article", article())
                    .probe(Probe.ping("ping_gw", "192.168.122.1").with("id", 4101))
                    .probe(Probe.ping("ping_router", "192.168.0.1").with("id", 4102))
                    .probe(Probe.ping("ping_8888", "8.8.8.8").with("id", 4103))
                    .probe(Probe.dns("dns_8888", "8.8.8.8", "google.com").with("sport", 40002))
                    .probe(Probe.tcp("tcp_http", "142.250.1.1", 80).with("sport", 40003).with("http", 1))
                    .probe(Probe.tcp("tcp_lowport", "142.250.1.1", 80).with("sport", 700).with("http", 1))
                    .probe(Probe.dns("udp_lowport", "8.8.8.8", "google.com").with("sport", 700))
                    .probe(Probe.udp("udp_echo", "142.250.1.1", 7).with("sport", 40008))
                    .probe(Probe.udp("udp_closed", "8.8.8.8", 5353).with("sport", 40004))
                    .probe(Probe.tcp("tcp_closed", "142.250.1.1", 81).with("sport", 40005))
                    .probe(Probe.ping("ping_ttl1", "8.8.8.8").with("ttl", 1).with("id", 4110))
                    .probe(Probe.ping("ping_ttl2", "8.8.8.8").with("ttl", 2).with("id", 4111))
                    .probe(Probe.dns("host_dns_8888", "8.8.8.8", "google.com").from("host").with("sport", 40002))
                    .probe(Probe.ping("in_ping", GUEST).from("lanhost").with("id", 4113))
                    .probe(Probe.tcp("in_tcp", GUEST, 8080).from("lanhost").with("sport", 40014))
                    .probe(Probe.ping("in_ping_ttl1", GUEST).from("lanhost").with("ttl", 1).with("id", 4115))
                    .probe(Probe.ping("ping_uplink", UPLINK).with("id", 4116))
                    .probe(Probe.udp("lan_udp_host_closed", UPLINK, 5000).from("lanhost").with("sport", 40017));
        }

        @Test
        void theKernelMasqueradesEachProtocolByItsOwnLibvirtRule() {
            assertThat(kernel.counterDeltas("ping_8888")).containsEntry("nat:LIBVIRT_PRT #5", 1L);
            assertThat(kernel.counterDeltas("dns_8888")).containsEntry("nat:LIBVIRT_PRT #4", 1L);
            assertThat(kernel.counterDeltas("tcp_http")).containsEntry("nat:LIBVIRT_PRT #3", 1L);
            assertThat(k("tcp_lowport").inetSeen()).singleElement().satisfies(f -> {
                assertThat(f.sourceAddress()).isEqualTo(UPLINK);
                assertThat(f.sourcePort()).isBetween(1024, 65535);
            });
            assertThat(k("host_dns_8888").inetSeen()).singleElement().satisfies(f -> assertThat(f.sourcePort()).isNotEqualTo(40002));
        }

        @Test
        void theKernelRejectsInboundTrafficFromTheUplinkAddress() {
            assertThat(k("in_ping").outcome()).isEqualTo(Outcome.ICMP_ERROR);
            assertThat(k("in_ping").detail("icmp_from")).isEqualTo(UPLINK);
            assertThat(k("in_tcp").intDetail("icmp_code")).isEqualTo(3);
            assertThat(k("ping_ttl1").detail("icmp_from")).isEqualTo("192.168.122.1");
            assertThat(k("ping_ttl2").detail("icmp_from")).isEqualTo("192.168.0.1");
        }
    }

    /** (b) libvirt's own rules for the default network (iptables backend), with the mangle CHECKSUM rule. */
    @Nested
    class LibvirtDefaultNetwork extends Agreement {
        @Override
        Scenario scenario() {
            return Scenario.of("libvirt-default", Scenario.shared("ref/libvirt/derived/default-network.iptables-save.txt"))
                    .probe(Probe.ping("ping_gw", "192.168.122.1").with("id", 4101))
                    .probe(Probe.udp("dns_gw_closed", "192.168.122.1", 53).with("sport", 40002))
                    .probe(Probe.ping("ping_8888", "8.8.8.8").with("id", 4103))
                    .probe(Probe.dns("dns_8888", "8.8.8.8", "google.com").with("sport", 40004))
                    .probe(Probe.tcp("tcp_http", "142.250.1.1", 80).with("sport", 40005).with("http", 1))
                    .probe(Probe.udp("udp_closed", "1.1.1.1", 5353).with("sport", 40006))
                    .probe(Probe.udp("host_to_guest_bootpc", GUEST, 68).from("host").with("sport", 67))
                    .probe(Probe.dns("host_dns_8888", "8.8.8.8", "google.com").from("host").with("sport", 40004))
                    .probe(Probe.ping("in_ping", GUEST).from("lanhost").with("id", 4109));
        }

        @Test
        void theKernelChecksumsDhcpRepliesToGuestsAndLetsThemOut() {
            assertThat(kernel.counterDeltas("host_to_guest_bootpc"))
                    .containsEntry("mangle:LIBVIRT_PRT #1", 1L)
                    .containsEntry("filter:LIBVIRT_OUT #3", 1L);
            // the canonical rules have no catch-all -o enp3s0 MASQUERADE: the host's own query keeps its
            // address, yet its port collides with the guest's NAT'd tuple and is remapped by the null binding
            assertThat(k("host_dns_8888").inetSeen()).singleElement().satisfies(f -> {
                assertThat(f.sourceAddress()).isEqualTo(UPLINK);
                assertThat(f.sourcePort()).isNotEqualTo(40004);
            });
        }
    }

    /** (c) net.ipv4.ip_forward=0 with the article's ruleset. */
    @Nested
    class ForwardingOff extends Agreement {
        @Override
        Scenario scenario() {
            return Scenario.of("ip-forward-0", article()).withIpForward(false)
                    .probe(Probe.ping("ping_gw", "192.168.122.1").with("id", 4101))
                    .probe(Probe.ping("ping_8888", "8.8.8.8").with("id", 4102).with("timeout", NO_ANSWER))
                    .probe(Probe.tcp("tcp_http", "142.250.1.1", 80).with("sport", 40003).with("timeout", NO_ANSWER))
                    .probe(Probe.ping("in_ping", GUEST).from("lanhost").with("id", 4104).with("timeout", NO_ANSWER))
                    .probe(Probe.dns("host_dns_8888", "8.8.8.8", "google.com").from("host").with("sport", 40005));
        }

        @Test
        void theKernelDropsWhatItMayNotForwardSilentlyBeforeFilterSeesIt() {
            assertThat(k("ping_8888").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(k("ping_8888").inetSeen()).isEmpty();
            assertThat(kernel.counterDeltas("ping_8888")).containsOnlyKeys("nat:PREROUTING policy");
            assertThat(k("host_dns_8888").outcome()).isEqualTo(Outcome.ANSWER);
        }
    }

    /** (d) No MASQUERADE: the internet sees 192.168.122.55 and has no route back to it. */
    @Nested
    class NoMasquerade extends Agreement {
        @Override
        Scenario scenario() {
            return Scenario.of("no-masquerade", Scenario.resource("/differential/no-masquerade.rules"))
                    .probe(Probe.ping("ping_router", "192.168.0.1").with("id", 4101))
                    .probe(Probe.ping("ping_8888", "8.8.8.8").with("id", 4102).with("timeout", NO_ANSWER))
                    .probe(Probe.dns("dns_8888", "8.8.8.8", "google.com").with("sport", 40003).with("timeout", NO_ANSWER))
                    .probe(Probe.tcp("tcp_http", "142.250.1.1", 80).with("sport", 40004).with("timeout", NO_ANSWER))
                    .probe(Probe.dns("host_dns_8888", "8.8.8.8", "google.com").from("host").with("sport", 40005));
        }

        @Test
        void theKernelLetsTheGuestsAddressOutAndNoReplyComesBack() {
            // the router routes 192.168.122.0/24 back to the host, so it answers
            assertThat(k("ping_router").outcome()).isEqualTo(Outcome.REPLY);
            assertThat(k("ping_8888").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(k("ping_8888").inetSeen()).singleElement().satisfies(f -> assertThat(f.sourceAddress()).isEqualTo(GUEST));
            assertThat(kernel.counterDeltas("ping_8888")).containsEntry("nat:POSTROUTING policy", 1L);
        }
    }

    /** (e) Docker's FORWARD policy DROP with libvirt's chains intact: libvirt's ACCEPTs still win. */
    @Nested
    class DockerWithLibvirt extends Agreement {
        @Override
        Scenario scenario() {
            return Scenario.of("docker-libvirt", Scenario.resource("/differential/docker-libvirt.rules"))
                    .probe(Probe.ping("ping_gw", "192.168.122.1").with("id", 4101))
                    .probe(Probe.ping("ping_8888", "8.8.8.8").with("id", 4102))
                    .probe(Probe.tcp("tcp_http", "142.250.1.1", 80).with("sport", 40003).with("http", 1))
                    .probe(Probe.udp("udp_closed", "8.8.8.8", 5353).with("sport", 40004))
                    .probe(Probe.ping("in_ping", GUEST).from("lanhost").with("id", 4105))
                    .probe(Probe.ping("host_ping_router", "192.168.0.1").from("host").with("id", 4106));
        }

        @Test
        void theKernelWalksDockersChainsThenAcceptsInLibvirts() {
            assertThat(k("ping_8888").outcome()).isEqualTo(Outcome.REPLY);
            assertThat(kernel.counterDeltas("ping_8888"))
                    .containsEntry("filter:FORWARD #1", 2L).containsEntry("filter:DOCKER-FORWARD #1", 2L)
                    .doesNotContainKey("filter:DOCKER-FORWARD #4")
                    .containsEntry("filter:LIBVIRT_FWO #1", 1L).doesNotContainKey("filter:FORWARD policy");
            // addrtype LOCAL sends traffic for the host's own addresses through Docker's nat chain
            assertThat(kernel.counterDeltas("ping_gw")).containsEntry("nat:PREROUTING #1", 1L);
        }
    }

    /** (e) The same host after libvirt's filter chains were flushed: FORWARD's DROP policy drops the guests. */
    @Nested
    class DockerWithLibvirtFlushed extends Agreement {
        @Override
        Scenario scenario() {
            return Scenario.of("docker-libvirt-flushed", Scenario.resource("/differential/docker-libvirt-flushed.rules"))
                    .probe(Probe.ping("ping_gw", "192.168.122.1").with("id", 4101))
                    .probe(Probe.ping("ping_8888", "8.8.8.8").with("id", 4102).with("timeout", NO_ANSWER))
                    .probe(Probe.dns("dns_8888", "8.8.8.8", "google.com").with("sport", 40003).with("timeout", NO_ANSWER))
                    .probe(Probe.ping("in_ping", GUEST).from("lanhost").with("id", 4104).with("timeout", NO_ANSWER));
        }

        @Test
        void theKernelDropsForwardedTrafficByPolicy() {
            assertThat(k("ping_8888").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(kernel.counterDeltas("ping_8888")).containsEntry("filter:FORWARD policy", 1L);
            assertThat(k("in_ping").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(k("ping_gw").outcome()).isEqualTo(Outcome.REPLY);
        }
    }

    /** REJECT with a TCP reset and with each ICMP code, in FORWARD and INPUT; DNAT of the host's own packets. */
    @Nested
    class RejectVariants extends Agreement {
        @Override
        Scenario scenario() {
            return Scenario.of("reject-variants", Scenario.resource("/differential/reject-variants.rules"))
                    .probe(Probe.tcp("guest_https", "142.250.1.1", 443).with("sport", 40001))
                    .probe(Probe.udp("guest_quic", "142.250.1.1", 443).with("sport", 40002))
                    .probe(Probe.ping("guest_ping_1111", "1.1.1.1").with("id", 4103))
                    .probe(Probe.tcp("lan_ssh_host", UPLINK, 22).from("lanhost").with("sport", 40004))
                    .probe(Probe.udp("lan_snmp_host", UPLINK, 161).from("lanhost").with("sport", 40005))
                    .probe(Probe.tcp("lan_ssh_guest", GUEST, 22).from("lanhost").with("sport", 40006))
                    .probe(Probe.dns("host_dns_dnat", "203.0.113.99", "google.com").from("host").with("sport", 40007))
                    // last: the web server, never sent the request, waits 2 s before it closes
                    .probe(Probe.tcp("guest_http_reset", "142.250.1.1", 80).with("sport", 40008).with("http", 1));
        }

        @Test
        void theKernelAnswersEachRejectAsConfigured() {
            assertThat(k("guest_https").outcome()).isEqualTo(Outcome.RESET);
            assertThat(k("guest_quic").intDetail("icmp_code")).isEqualTo(9);
            assertThat(k("guest_ping_1111").intDetail("icmp_code")).isEqualTo(1);
            assertThat(k("lan_ssh_host").outcome()).isEqualTo(Outcome.RESET);
            assertThat(k("lan_snmp_host").intDetail("icmp_code")).isEqualTo(13);
            assertThat(k("lan_ssh_guest").outcome()).isEqualTo(Outcome.RESET);
            // nat OUTPUT re-routes the host's query to 8.8.8.8; the answer comes back from the address asked
            assertThat(k("host_dns_dnat").detail("reply_from")).isEqualTo("203.0.113.99:53");
            assertThat(k("host_dns_dnat").inetSeen()).singleElement().satisfies(f -> assertThat(f.destination()).isEqualTo("8.8.8.8:53"));
            // a reset rule hitting an established connection's request: the kernel moves it to CLOSE (10 s)
            assertThat(k("guest_http_reset").outcome()).isEqualTo(Outcome.CONNECTED);
            assertThat(k("guest_http_reset").detail("http_status")).isEqualTo("error:ECONNRESET");
            assertThat(kernel.conntrackAfter("guest_http_reset")).anyMatch(l -> l.contains(" CLOSE src=192.168.122.55") && l.contains("sport=40008"));
        }
    }

    /** The host without a default route: forwarded packets get net unreachable from the gateway address. */
    @Nested
    class NoDefaultRoute extends Agreement {
        @Override
        Scenario scenario() {
            return Scenario.of("no-default-route", article()).withoutDefaultRoute()
                    // two unreachables only: each costs the guest's peer bucket two tokens (ip_error, then
                    // icmp_send), so whether a third within a second is sent depends on sub-second timing
                    .probe(Probe.ping("ping_8888", "8.8.8.8").with("id", 4101))
                    .probe(Probe.tcp("tcp_http", "142.250.1.1", 80).with("sport", 40003))
                    .probe(Probe.ping("ping_router", "192.168.0.1").with("id", 4104))
                    .probe(Probe.ping("in_ping", GUEST).from("lanhost").with("id", 4105));
        }

        @Test
        void theKernelAnswersNetUnreachableFromTheAddressFacingTheGuest() {
            assertThat(k("ping_8888").outcome()).isEqualTo(Outcome.ICMP_ERROR);
            assertThat(k("ping_8888").intDetail("icmp_type")).isEqualTo(3);
            assertThat(k("ping_8888").intDetail("icmp_code")).isEqualTo(0);
            assertThat(k("ping_8888").detail("icmp_from")).isEqualTo("192.168.122.1");
            assertThat(k("ping_router").outcome()).isEqualTo(Outcome.REPLY);
        }
    }

    /**
     * Counting rules (no target) for every match module the engine evaluates, on real traffic: the moved
     * counters say, packet by packet, what each match decided in the kernel and in the engine.
     */
    @Nested
    class MatchModules extends Agreement {
        @Override
        Scenario scenario() {
            return Scenario.of("matches", Scenario.resource("/differential/matches.rules"))
                    .probe(Probe.ping("ping_gw", "192.168.122.1").with("id", 4101))
                    .probe(Probe.ping("ping_8888", "8.8.8.8").with("id", 4102))
                    .probe(Probe.dns("dns_8888", "8.8.8.8", "google.com").with("sport", 40003))
                    .probe(Probe.udp("udp_7005_closed", "142.250.1.1", 7005).with("sport", 40004))
                    .probe(Probe.tcp("tcp_http", "142.250.1.1", 80).with("sport", 40005).with("http", 1))
                    .probe(Probe.tcp("tcp_closed", "142.250.1.1", 81).with("sport", 40006))
                    .probe(Probe.ping("ping_ttl2", "8.8.8.8").with("ttl", 2).with("id", 4107))
                    .probe(Probe.ping("in_ping", GUEST).from("lanhost").with("id", 4108))
                    .probe(Probe.ping("ping_uplink", UPLINK).with("id", 4109))
                    .probe(Probe.ping("host_ping_router", "192.168.0.1").from("host").with("id", 4110))
                    .probe(Probe.ping("ping_1111", "1.1.1.1").with("id", 4111));
        }

        @Test
        void theKernelMatchesTheDirectionOfThePacketWithCtdir() {
            // mangle PREROUTING #1 --ctdir ORIGINAL, #2 --ctdir REPLY: the echo request is original, the reply is reply
            assertThat(kernel.counterDeltas("ping_8888")).containsEntry("mangle:PREROUTING #1", 1L).containsEntry("mangle:PREROUTING #2", 1L);
            assertThat(kernel.counterDeltas("in_ping")).containsEntry("mangle:PREROUTING #1", 1L).doesNotContainKey("mangle:PREROUTING #2");
        }
    }

    /** (f) A DNAT port forward from the LAN to the guest's web server. */
    @Nested
    class PortForward extends Agreement {
        @Override
        Scenario scenario() {
            return Scenario.of("port-forward", Scenario.resource("/differential/port-forward.rules")).withGuestWebServer()
                    .probe(Probe.tcp("lan_to_8080", UPLINK, 8080).from("lanhost").with("sport", 40001).with("http", 1))
                    .probe(Probe.tcp("lan_to_8081", UPLINK, 8081).from("lanhost").with("sport", 40002))
                    .probe(Probe.tcp("guest_to_8080", UPLINK, 8080).with("sport", 40003))
                    .probe(Probe.tcp("lan_to_guest_80", GUEST, 80).from("lanhost").with("sport", 40004).with("http", 1))
                    .probe(Probe.ping("ping_8888", "8.8.8.8").with("id", 4105));
        }

        @Test
        void theKernelForwardsThePortToTheGuestAndOnlyFromTheLan() {
            assertThat(k("lan_to_8080").outcome()).isEqualTo(Outcome.CONNECTED);
            assertThat(k("lan_to_8080").detail("http_status")).isEqualTo("200");
            assertThat(kernel.conntrackAfter("lan_to_8080")).anyMatch(l -> l.contains("sport=40001 dport=8080 src=" + GUEST
                    + " dst=192.168.0.20 sport=80 dport=40001"));
            // -i enp3s0: the guest's own connection to 8080 reaches the host's closed port
            assertThat(k("guest_to_8080").outcome()).isEqualTo(Outcome.RESET);
            assertThat(k("lan_to_8081").outcome()).isEqualTo(Outcome.RESET);
        }
    }

    /**
     * Extensions real hosts' firewalls add: ufw's recent limit (the third echo request within 30 s dropped),
     * a hashlimit bucket per source (the third UDP echo dropped), statistic nth (every other DNS query
     * dropped, the first one included), NFQUEUE without a listener (dropped) and with --queue-bypass
     * (passes), mangle TTL --ttl-set 1 (the router's time-exceeded comes from the host) and TOS.
     */
    @Nested
    class Extensions extends Agreement {
        @Override
        Scenario scenario() {
            return Scenario.of("extensions", Scenario.resource("/differential/extensions.rules"))
                    .probe(Probe.ping("ping_1111_ttl_set_1", "1.1.1.1").with("id", 4101))
                    .probe(Probe.ping("ping_1", "8.8.8.8").with("id", 4102))
                    .probe(Probe.ping("ping_2", "8.8.8.8").with("id", 4103))
                    .probe(Probe.ping("ping_3_limited", "8.8.8.8").with("id", 4104).with("timeout", NO_ANSWER))
                    .probe(Probe.udp("echo_1", "142.250.1.1", 7).with("sport", 40005))
                    .probe(Probe.udp("echo_2", "142.250.1.1", 7).with("sport", 40006))
                    .probe(Probe.udp("echo_3_limited", "142.250.1.1", 7).with("sport", 40007).with("timeout", NO_ANSWER))
                    .probe(Probe.dns("dns_1_dropped", "8.8.8.8", "google.com").with("sport", 40008).with("timeout", NO_ANSWER))
                    .probe(Probe.dns("dns_2", "8.8.8.8", "google.com").with("sport", 40009))
                    .probe(Probe.tcp("tcp_81_queued", "142.250.1.1", 81).with("sport", 40010).with("timeout", NO_ANSWER))
                    .probe(Probe.udp("udp_5353_bypass", "8.8.8.8", 5353).with("sport", 40011));
        }

        @Test
        void theKernelAppliesEachExtension() {
            assertThat(k("ping_1111_ttl_set_1").outcome()).isEqualTo(Outcome.ICMP_ERROR);
            assertThat(k("ping_1111_ttl_set_1").intDetail("icmp_type")).isEqualTo(11);
            assertThat(k("ping_1111_ttl_set_1").detail("icmp_from")).isEqualTo("192.168.122.1");
            assertThat(k("ping_2").outcome()).isEqualTo(Outcome.REPLY);
            assertThat(k("ping_3_limited").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(kernel.counterDeltas("ping_3_limited")).containsEntry("filter:FORWARD #2", 1L);
            assertThat(k("echo_2").outcome()).isEqualTo(Outcome.REPLY);
            assertThat(k("echo_3_limited").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(k("dns_1_dropped").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(k("dns_2").outcome()).isEqualTo(Outcome.ANSWER);
            assertThat(k("tcp_81_queued").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(k("udp_5353_bypass").outcome()).isEqualTo(Outcome.ICMP_ERROR);
            assertThat(k("udp_5353_bypass").detail("icmp_from")).isEqualTo("8.8.8.8");
        }
    }
}
