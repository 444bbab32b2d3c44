package org.vnetlab.scenarios.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.emulator.trace.TraceStep;

/** Which rule decided a probe, read from its packets' traces. */
class DecisiveHopTest {

    static Trace forwardedByFwo() {
        return new Trace(1, List.of(
                new TraceStep.HookEntered("PREROUTING", "icmp src=192.168.122.55 dst=8.8.8.8 type=8 code=0 id=4099 len=84 ttl=64 in=virbr0"),
                new TraceStep.HookEntered("FORWARD", "icmp src=192.168.122.55 dst=8.8.8.8 type=8 code=0 id=4099 len=84 ttl=63 in=virbr0 out=enp3s0"),
                new TraceStep.ChainEntered("filter", "FORWARD", 0),
                new TraceStep.RuleEvaluated("filter:FORWARD #1", "-j LIBVIRT_FWX", true),
                new TraceStep.Verdict("filter:FORWARD #1", "jump LIBVIRT_FWX"),
                new TraceStep.Returned("LIBVIRT_FWX", "FORWARD"),
                new TraceStep.RuleEvaluated("filter:FORWARD #3", "-j LIBVIRT_FWO", true),
                new TraceStep.Verdict("filter:FORWARD #3", "jump LIBVIRT_FWO"),
                new TraceStep.RuleEvaluated("filter:LIBVIRT_FWO #1", "-s 192.168.122.0/24 -i virbr0 -j ACCEPT", true),
                new TraceStep.Verdict("filter:LIBVIRT_FWO #1", "ACCEPT"),
                new TraceStep.HookEntered("POSTROUTING", "icmp src=192.168.122.55 dst=8.8.8.8 type=8 code=0 id=4099 len=84 ttl=63 in=virbr0 out=enp3s0"),
                new TraceStep.RuleEvaluated("nat:LIBVIRT_PRT #5", "-s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE", true),
                new TraceStep.Verdict("nat:LIBVIRT_PRT #5", "MASQUERADE")), Disposition.FORWARDED, "");
    }

    @Test
    void aForwardedProbeIsDecidedByTheFilterAcceptInForward() {
        assertThat(DecisiveHop.of(List.of(forwardedByFwo()))).contains(new Decisive("FORWARD", "filter", "LIBVIRT_FWO", 1, "ACCEPT",
                "-s 192.168.122.0/24 -i virbr0 -j ACCEPT"));
    }

    @Test
    void aRejectedProbeIsDecidedByTheReject() {
        Trace rejected = new Trace(2, List.of(
                new TraceStep.HookEntered("FORWARD", "icmp"),
                new TraceStep.RuleEvaluated("filter:LIBVIRT_FWI #1", "-d 192.168.122.0/24 -o virbr0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", false),
                new TraceStep.RuleEvaluated("filter:LIBVIRT_FWI #2", "-o virbr0 -j REJECT --reject-with icmp-port-unreachable", true),
                new TraceStep.Verdict("filter:LIBVIRT_FWI #2", "REJECT --reject-with icmp-port-unreachable")), Disposition.REJECTED, "");
        assertThat(DecisiveHop.of(List.of(rejected))).contains(new Decisive("FORWARD", "filter", "LIBVIRT_FWI", 2,
                "REJECT --reject-with icmp-port-unreachable", "-o virbr0 -j REJECT --reject-with icmp-port-unreachable"));
    }

    @Test
    void anNftRuleIsNamedByTableChainPositionAndHandle() {
        Trace forwarded = new Trace(4, List.of(
                new TraceStep.HookEntered("FORWARD", "icmp"),
                new TraceStep.ChainEntered("ip libvirt_network", "forward", 0),
                new TraceStep.RuleEvaluated("ip libvirt_network forward #3 (handle 8)", "counter jump guest_output", true),
                new TraceStep.Verdict("ip libvirt_network forward #3 (handle 8)", "jump guest_output"),
                new TraceStep.RuleEvaluated("ip libvirt_network guest_output #1 (handle 9)", "ip saddr 192.168.122.0/24 iif \"virbr0\" counter accept", true),
                new TraceStep.Verdict("ip libvirt_network guest_output #1 (handle 9)", "accept")), Disposition.FORWARDED, "");
        Decisive d = DecisiveHop.of(List.of(forwarded)).orElseThrow();
        assertThat(d).isEqualTo(new Decisive("FORWARD", "ip libvirt_network", "guest_output", 1, "accept",
                "ip saddr 192.168.122.0/24 iif \"virbr0\" counter accept", java.util.OptionalLong.of(9)));
        assertThat(d.describe()).isEqualTo("FORWARD: ip libvirt_network guest_output #1 (handle 9) ip saddr 192.168.122.0/24 iif \"virbr0\" counter accept");

        Trace dropped = new Trace(5, List.of(new TraceStep.HookEntered("INPUT", "udp"),
                new TraceStep.PolicyApplied("inet filter input", "drop")), Disposition.DROPPED_BY_POLICY, "");
        assertThat(DecisiveHop.of(List.of(dropped))).contains(new Decisive("INPUT", "inet filter", "input", 0, "drop", ""));
    }

    @Test
    void aPolicyDropIsRuleZero() {
        Trace dropped = new Trace(3, List.of(
                new TraceStep.HookEntered("FORWARD", "icmp"),
                new TraceStep.RuleEvaluated("filter:FORWARD #1", "-j DOCKER-USER", true),
                new TraceStep.Verdict("filter:FORWARD #1", "jump DOCKER-USER"),
                new TraceStep.PolicyApplied("filter:FORWARD", "DROP")), Disposition.DROPPED_BY_POLICY, "");
        Decisive d = DecisiveHop.of(List.of(forwardedByFwo(), dropped)).orElseThrow();
        assertThat(d).isEqualTo(new Decisive("FORWARD", "filter", "FORWARD", 0, "DROP", ""));
        assertThat(d.isPolicy()).isTrue();
        assertThat(d.describe()).isEqualTo("FORWARD: filter FORWARD policy DROP");
    }

    @Test
    void onlyThePeersPacketsCount() {
        Trace stray = new Trace(7, List.of(
                new TraceStep.HookEntered("INPUT", "icmp src=192.168.122.55 dst=192.168.122.1 type=3 code=3 len=356 ttl=64 in=virbr0"),
                new TraceStep.PolicyApplied("filter:INPUT", "ACCEPT")), Disposition.DELIVERED_LOCALLY, "");
        assertThat(DecisiveHop.of(List.of(stray, forwardedByFwo())).orElseThrow().chain()).isEqualTo("INPUT");
        assertThat(DecisiveHop.of(List.of(stray, forwardedByFwo()), org.vnetlab.protocols.Ipv4Address.parse("8.8.8.8")).orElseThrow().chain())
                .isEqualTo("LIBVIRT_FWO");
    }

    @Test
    void noTracesNoDecision() {
        assertThat(DecisiveHop.of(List.of())).isEmpty();
    }
}
