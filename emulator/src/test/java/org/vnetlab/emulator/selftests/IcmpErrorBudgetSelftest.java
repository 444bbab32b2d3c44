package org.vnetlab.emulator.selftests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.selftests.SelftestChecks.OnKernel;
import org.vnetlab.emulator.selftests.SelftestChecks.OnVnetlab;

/**
 * Not one of the kernel's selftests, but in their form: the host's own ICMP errors and its REJECT's come out
 * of one icmp_send, so they spend one budget of the namespace — the destination's inet_peer bucket of six.
 * The guest alternates a datagram to a closed port of the host (the stack's port unreachable) with one to
 * 8.8.8.8:9, which the host forwards into {@code FORWARD -p udp --dport 9 -j REJECT}. icmp_ratelimit is set to
 * 10 s so that no token comes back during the run (about 0.5 s per probe) whatever the probes' timing: the
 * first six datagrams get their error, the next two get none (REJECT still drops them). Then
 * icmp_ratelimit=0, written between probes, lifts the per-destination limit for both at once.
 *
 * <p>With icmp_ratelimit 0, Linux 6.18 still runs each error through the peer's bucket, capping its tokens at
 * 0; ip_error spends from the same bucket, so a "no route" error right after (1.1.1.1 has no route: the host
 * routes only 8.8.8.8/32 via the LAN router) is not sent, one 1.5 s later is.
 *
 * <p>Not more than 10 s: a new inet_peer starts with 60 s of tokens (rate_last = now - 60 HZ), which is a
 * full burst of six only up to icmp_ratelimit = 10 s; with 60 s the kernel sent one error, then none.
 */
class IcmpErrorBudgetSelftest {
    static final String HOST_ADDRESS = "192.168.122.1";
    static final List<String> BURST = List.of("own1", "rej1", "own2", "rej2", "own3", "rej3", "own4", "rej4");
    static final List<String> UNLIMITED = List.of("rej5", "own5");
    static final List<String> NO_ROUTE = List.of("noroute1", "noroute2");

    static Probe udp(String id) {
        int n = Integer.parseInt(id.substring(3));
        Probe p = id.startsWith("own") ? Probe.udp(id, HOST_ADDRESS, 5000) : Probe.udp(id, "8.8.8.8", 9);
        return p.with("sport", (id.startsWith("own") ? 41000 : 42000) + n).with("timeout", "0.3");
    }

    static final Scenario SCENARIO = new Scenario("icmp_error_budget", s -> {
        var spec = Scenario.quietTopology()
                .route("host", "8.8.8.8/32 via 192.168.0.1")
                .sysctl("host", "net.ipv4.icmp_ratelimit", "10000")
                .iptables(s.rules("host.rules", """
                        *filter
                        :INPUT ACCEPT [0:0]
                        :FORWARD ACCEPT [0:0]
                        :OUTPUT ACCEPT [0:0]
                        -A FORWARD -p udp -m udp --dport 9 -j REJECT --reject-with icmp-port-unreachable
                        COMMIT
                        """));
        BURST.forEach(id -> spec.probe(udp(id)));
        spec.probe(Probe.sysctl("no_peer_limit", "net.ipv4.icmp_ratelimit", 0));
        UNLIMITED.forEach(id -> spec.probe(udp(id)));
        spec.probe(Probe.udp("noroute1", "1.1.1.1", 9).with("sport", 43001).with("timeout", "0.3"));
        spec.probe(Probe.sleep("tokens_back", 1500));
        spec.probe(Probe.udp("noroute2", "1.1.1.1", 9).with("sport", 43002).with("timeout", "0.3"));
        return spec.build();
    });

    static final String REJECT = "filter:FORWARD #1";

    abstract static class Checks extends SelftestChecks {
        Checks() { super(SCENARIO); }

        @Test
        void theFirstSixErrorsToTheGuestGoOutWhicheverPathSendsThem() {
            for (String id : BURST.subList(0, 6)) {
                assertThat(run.probe(id).outcome()).as(id).isEqualTo(Outcome.ICMP_ERROR);
                assertThat(run.probe(id).details()).as(id).containsEntry("icmp_type", "3").containsEntry("icmp_code", "3")
                        .containsEntry("icmp_from", HOST_ADDRESS);
            }
        }

        @Test
        void theSeventhAndEighthFindTheBucketEmptyForTheStackAndForReject() {
            assertThat(run.probe("own4").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(run.probe("rej4").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(run.counterDeltas("rej4", "host")).as("REJECT still took the datagram").containsEntry(REJECT, 1L);
        }

        @Test
        void icmpRatelimitZeroLiftsTheLimitForBoth() {
            for (String id : UNLIMITED) assertThat(run.probe(id).outcome()).as(id).isEqualTo(Outcome.ICMP_ERROR);
        }

        @Test
        void butItLeavesThePeerEmptySoANoRouteErrorRightAfterIsNotSent() {
            assertThat(run.probe("noroute1").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(run.probe("noroute2").outcome()).isEqualTo(Outcome.ICMP_ERROR);
            assertThat(run.probe("noroute2").details()).containsEntry("icmp_type", "3").containsEntry("icmp_code", "0");
        }
    }

    @Nested
    class Vnetlab extends Checks implements OnVnetlab {}

    @Nested
    class Kernel extends Checks implements OnKernel {
        @Test
        void vnetlabAgreesProbeByProbe() {
            List<String> probes = new ArrayList<>(BURST);
            probes.addAll(UNLIMITED);
            probes.addAll(NO_ROUTE);
            Agreement.between(run, vnetlab()).probes(probes).counters("host").check();
        }
    }
}
