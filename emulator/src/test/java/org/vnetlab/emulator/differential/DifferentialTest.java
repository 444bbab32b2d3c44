package org.vnetlab.emulator.differential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.differential.Differential.Aspect;
import org.vnetlab.emulator.differential.Differential.Mismatch;
import org.vnetlab.emulator.oracle.Probe;

/**
 * The comparison machinery on its own (no kernel needed): two emulated runs of different rulesets must
 * differ exactly where the rulesets do, and a run must agree with itself.
 */
class DifferentialTest {
    static final List<Probe> PROBES = List.of(
            Probe.ping("ping_router", "192.168.0.1").with("id", 4101),
            Probe.ping("ping_8888", "8.8.8.8").with("id", 4102),
            Probe.tcp("tcp_http", "142.250.1.1", 80).with("sport", 40003).with("http", 1),
            Probe.tcp("tcp_lowport", "142.250.1.1", 80).with("sport", 700).with("http", 1),
            Probe.ping("in_ping", "192.168.122.55").from("lanhost").with("id", 4105));

    static EmulatedRun run(String rules) {
        return new Scenario("self-test", Scenario.resource(rules), true, true, false, PROBES).emulate();
    }

    @Test
    void aRunAgreesWithItself() {
        EmulatedRun a = run("/netfilter/article.rules");
        Differential d = new Differential(PROBES, a, run("/netfilter/article.rules"));
        for (Aspect aspect : Aspect.values()) assertThat(d.compare(aspect)).as(aspect.name()).isEmpty();
    }

    @Test
    void withoutMasqueradeTheGuestsAddressLeavesAndNothingComesBack() {
        Differential d = new Differential(PROBES, run("/netfilter/article.rules"), run("/differential/no-masquerade.rules"));

        assertThat(d.compare(Aspect.OUTCOME)).extracting(Mismatch::probe).containsExactly("ping_8888", "tcp_http", "tcp_lowport");
        assertThat(d.compare(Aspect.OUTCOME).get(0).emulator()).isEqualTo("timeout echo_id=4102");
        assertThat(d.compare(Aspect.NAT)).filteredOn(m -> m.probe().equals("ping_8888")).singleElement().satisfies(m -> {
            assertThat(m.kernel()).isEqualTo("icmp 192.168.0.10#kept > 8.8.8.8 ttl=62");
            assertThat(m.emulator()).isEqualTo("icmp 192.168.122.55#kept > 8.8.8.8 ttl=62");
        });
        // the router routes 192.168.122.0/24 back, so its answer returns either way; only the tuple differs
        assertThat(d.compare(Aspect.CONNTRACK)).filteredOn(m -> m.probe().equals("ping_router")).singleElement()
                .satisfies(m -> assertThat(m.emulator()).isEqualTo("icmp reply 192.168.0.1 > 192.168.122.55 type=0 id=kept"));
        assertThat(d.compare(Aspect.CONNTRACK)).filteredOn(m -> m.probe().equals("tcp_lowport")).singleElement()
                .satisfies(m -> {
                    assertThat(m.kernel()).isEqualTo("tcp TIME_WAIT reply 142.250.1.1:80 > 192.168.0.10:remapped(1024-65535) [ASSURED]");
                    assertThat(m.emulator()).isEqualTo("tcp SYN_SENT reply 142.250.1.1:80 > 192.168.122.55:kept [UNREPLIED]");
                });
        assertThat(d.compare(Aspect.COUNTERS)).extracting(Mismatch::probe).contains("ping_router", "ping_8888", "tcp_http");
        assertThat(d.compare(Aspect.COUNTERS)).extracting(Mismatch::probe).doesNotContain("in_ping");
    }

    @Test
    void aConnectionsSegmentCountIsNotComparedButItsNatCountersAre() {
        EmulatedRun article = run("/netfilter/article.rules");
        // the same HTTP exchange, counted from the kernel's side with one more delayed ACK
        java.util.Map<String, Long> kernelDeltas = new java.util.LinkedHashMap<>(article.counterDeltas("tcp_http"));
        kernelDeltas.merge("filter:FORWARD #1", 1L, Long::sum);
        Observation kernel = new Observation() {
            public org.vnetlab.emulator.oracle.ProbeResult probe(String id) { return article.probe(id); }

            public java.util.Map<String, Long> counterDeltas(String id) {
                return id.equals("tcp_http") ? kernelDeltas : article.counterDeltas(id);
            }

            public List<String> conntrackAfter(String id) { return article.conntrackAfter(id); }
        };
        assertThat(new Differential(PROBES, kernel, article).compare(Aspect.COUNTERS)).isEmpty();

        kernelDeltas.merge("nat:LIBVIRT_PRT #3", 1L, Long::sum);
        assertThat(new Differential(PROBES, kernel, article).compare(Aspect.COUNTERS)).extracting(Mismatch::probe)
                .containsExactly("tcp_http");
    }

    @Test
    void kernelConntrackLinesAreReadWithFlagsStateAndBothTuples() {
        ConntrackLine c = ConntrackLine.parse("tcp      6 119 TIME_WAIT src=192.168.122.55 dst=142.250.1.1 sport=700 dport=80 "
                + "src=142.250.1.1 dst=192.168.0.10 sport=80 dport=10666 [ASSURED] mark=0 use=1");
        assertThat(c.state()).contains("TIME_WAIT");
        assertThat(c.original()).containsEntry("sport", "700").containsEntry("dst", "142.250.1.1");
        assertThat(c.reply()).containsEntry("dst", "192.168.0.10").containsEntry("dport", "10666");
        assertThat(c.flags()).containsExactly("ASSURED");
        assertThat(c.originalIs("tcp", "192.168.122.55", "142.250.1.1", 700)).isTrue();

        ConntrackLine icmp = ConntrackLine.parse("icmp     1 29 src=192.168.122.55 dst=8.8.8.8 type=8 code=0 id=4101 [UNREPLIED] "
                + "src=8.8.8.8 dst=192.168.0.10 type=0 code=0 id=4101 mark=0 use=1");
        assertThat(icmp.state()).isEmpty();
        assertThat(icmp.flags()).containsExactly("UNREPLIED");
        assertThat(icmp.reply()).containsEntry("type", "0").containsEntry("id", "4101");
        assertThat(icmp.originalIs("icmp", "192.168.122.55", "8.8.8.8", 4101)).isTrue();
    }
}
