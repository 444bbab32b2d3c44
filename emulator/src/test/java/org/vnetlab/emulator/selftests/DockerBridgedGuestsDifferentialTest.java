package org.vnetlab.emulator.selftests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vnetlab.emulator.oracle.KernelOracle;
import org.vnetlab.emulator.oracle.KernelOracleExtension;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.oracle.ProbeResult;

/**
 * Docker's filter table on a host with br_netfilter loaded (bridge-nf-call-iptables = 1): one guest pings
 * another on virbr0. The bridged echo request meets iptables' FORWARD (in = out = virbr0), walks Docker's
 * chains without a match and is dropped by the policy, before conntrack confirms it (so no entry stays);
 * once DOCKER-USER accepts {@code -m physdev --physdev-is-bridged}, request and reply pass there and the flow
 * is tracked. Not a kernel selftest: the vnetlab bundled scenario docker-bridged-guests, reduced to what the
 * kernel decides (libvirt's nft table, which accepts guest-to-guest in its own base chain, is left out: it
 * cannot change the verdict of iptables' chain).
 */
class DockerBridgedGuestsDifferentialTest {
    static final String DOCKER = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD DROP [0:0]
            :OUTPUT ACCEPT [0:0]
            :DOCKER - [0:0]
            :DOCKER-ISOLATION-STAGE-1 - [0:0]
            :DOCKER-ISOLATION-STAGE-2 - [0:0]
            :DOCKER-USER - [0:0]
            -A FORWARD -j DOCKER-USER
            -A FORWARD -j DOCKER-ISOLATION-STAGE-1
            -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A FORWARD -o docker0 -j DOCKER
            -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
            -A FORWARD -i docker0 -o docker0 -j ACCEPT
            -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
            -A DOCKER-ISOLATION-STAGE-1 -j RETURN
            -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
            -A DOCKER-ISOLATION-STAGE-2 -j RETURN
            %s-A DOCKER-USER -j RETURN
            COMMIT
            """;

    static final Scenario SCENARIO = new Scenario("docker_bridged_guests", s -> Scenario.quietTopology()
            .set("guest2.ip", "192.168.122.56/24")
            .set("bridge-nf-call-iptables", "1")
            .iptables(s.rules("docker.rules", DOCKER.formatted("")))
            .probe(Probe.ping("dropped", "192.168.122.56"))
            .probe(Probe.iptables("fix", s.rules("fixed.rules", DOCKER.formatted("-A DOCKER-USER -m physdev --physdev-is-bridged -j ACCEPT\n"))))
            .probe(Probe.ping("accepted", "192.168.122.56"))
            .build());

    static final List<String> PROBES = List.of("dropped", "accepted");

    abstract static class Checks {
        Observed run;

        @Test
        void dockersPolicyDropsTheBridgedEchoRequestUnconfirmed() {
            ProbeResult p = run.probe("dropped");
            assertThat(p.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(run.counterDeltas("dropped", "host")).containsEntry("filter:FORWARD #1", 1L).containsEntry("filter:FORWARD #2", 1L)
                    .containsEntry("filter:DOCKER-USER #1", 1L).containsEntry("filter:DOCKER-ISOLATION-STAGE-1 #2", 1L)
                    .doesNotContainKeys("filter:FORWARD #3", "filter:FORWARD #6");
            assertThat(Scenario.entries(run.conntrackAfter("dropped", "host"), "src=192.168.122.55", "dst=192.168.122.56")).isEmpty();
        }

        @Test
        void aPhysdevIsBridgedAcceptInDockerUserLetsBothDirectionsThrough() {
            ProbeResult p = run.probe("accepted");
            assertThat(p.outcome()).isEqualTo(Outcome.REPLY);
            assertThat(p.detail("reply_from")).isEqualTo("192.168.122.56");
            assertThat(run.counterDeltas("accepted", "host")).containsEntry("filter:DOCKER-USER #1", 2L).doesNotContainKeys("filter:FORWARD #2");
            assertThat(Scenario.entries(run.conntrackAfter("accepted", "host"), "src=192.168.122.55", "dst=192.168.122.56"))
                    .singleElement().asString().startsWith("icmp 1 src=192.168.122.55 dst=192.168.122.56 type=8");
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Vnetlab extends Checks {
        @BeforeAll
        void run() { run = Observed.vnetlab(SCENARIO.emulate()); }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @ExtendWith(KernelOracleExtension.class)
    class Kernel extends Checks {
        @BeforeAll
        void run(KernelOracle oracle) { run = SCENARIO.kernel(oracle); }

        @Test
        void vnetlabAgreesProbeByProbe() {
            Agreement.between(run, Observed.vnetlab(SCENARIO.emulate())).probes(PROBES).counters("host").conntrack("host").check();
        }
    }
}
