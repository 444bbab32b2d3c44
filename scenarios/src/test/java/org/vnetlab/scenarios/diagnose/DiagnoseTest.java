package org.vnetlab.scenarios.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.scenarios.cli.Cli;
import org.vnetlab.scenarios.expect.Observation;
import org.vnetlab.scenarios.expect.Observed;
import org.vnetlab.scenarios.run.CommandOutcome;
import org.vnetlab.scenarios.run.FakeWorld;
import org.vnetlab.scenarios.run.Golden;
import org.vnetlab.scenarios.run.WorldFactory;

/** vnetlab diagnose against a scripted world: the probe battery, the report's JSON shape, exit codes, the DHCP fallback. */
class DiagnoseTest {

    @TempDir
    Path dump;

    static Ipv4Address ip(String s) { return Ipv4Address.parse(s); }

    static CommandOutcome probe(Observation o, Trace... traces) {
        return new CommandOutcome(new Observed("", "", 0, List.of(o)), List.of(traces));
    }

    static final Trace REJECT_INBOUND = new Trace(9, List.of(
            new TraceStep.HookEntered("FORWARD", "icmp src=192.168.0.50 dst=192.168.122.55 type=8 code=0 id=7 len=84 ttl=63 in=enp3s0 out=virbr0"),
            new TraceStep.RuleEvaluated("filter:LIBVIRT_FWI #2", "-o virbr0 -j REJECT --reject-with icmp-port-unreachable", true),
            new TraceStep.Verdict("filter:LIBVIRT_FWI #2", "REJECT --reject-with icmp-port-unreachable")), Disposition.REJECTED, "");

    /** A healthy NAT host, as the article's dumps behave. */
    static void healthy(FakeWorld w) {
        w.answer("probe: dhclient -v eth0", probe(new Observation.Lease(ip("192.168.122.55"), 24, Optional.of(ip("192.168.122.1")),
                List.of(ip("192.168.122.1")), Optional.of(ip("192.168.122.1")))));
        w.answer("probe: ping -c 1 -W 2 192.168.122.1", probe(Observation.Probe.reply(ip("192.168.122.1"))));
        w.answer("probe: ping -c 1 -W 2 192.168.0.1", probe(Observation.Probe.reply(ip("192.168.0.1"))));
        w.answer("probe: ping -c 1 -W 2 8.8.8.8", probe(Observation.Probe.reply(ip("8.8.8.8")), DecisiveHopTest.forwardedByFwo()));
        Observation answer = new Observation.Resolution(Observation.DnsOutcome.ANSWER, "google.com", List.of(ip("142.250.1.1")), Optional.empty());
        w.answer("probe: dig @192.168.122.1 google.com", probe(answer));
        w.answer("probe: dig @8.8.8.8 google.com", probe(answer));
        w.answer("probe: nc -zv -w 5 142.250.1.1 443", probe(Observation.Probe.reply(ip("142.250.1.1"))));
        w.answer("lanhost: ping -c 1 -W 2 192.168.122.55", probe(Observation.Probe.icmp(new Observation.Icmp(3, 3, ip("192.168.0.10"))), REJECT_INBOUND));
        w.assumptions.add("No iptables-save: assumed exactly the rules libvirt creates for this network.");
    }

    static final Linter ONE_FINDING = (t, f) -> List.of(new Finding("iptables-syntax", Finding.Severity.WARNING, "iptables-save.txt:39",
            "-d 53 means destination address 53.0.0.0/32, not port 53"));

    @Test
    void aHealthyNatHostExitsZeroAndItsJsonHasTheDocumentedShape() {
        Cli r = Cli.run(FakeWorld.factory(DiagnoseTest::healthy), ONE_FINDING, "diagnose", dump.toString(), "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        Golden.assertMatches(Golden.testResource("golden/diagnose-healthy.json"), r.out());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonReader.parse(r.out());
        assertThat(json).containsOnlyKeys("probes", "findings", "assumptions");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> probes = (List<Map<String, Object>>) json.get("probes");
        assertThat(probes).extracting(p -> p.get("id")).containsExactly("dhcp", "ping-gateway", "ping-uplink-gateway", "ping-internet",
                "dns-via-gateway", "dns-direct", "tcp-internet", "inbound-from-lan");
        for (Map<String, Object> p : probes) {
            assertThat(p.keySet()).containsAnyOf("id").isSubsetOf("id", "outcome", "icmp", "decisive", "detail", "meaning", "healthy", "expected");
            assertThat(p.get("outcome")).isIn("ok", "timeout", "icmp-error", "tcp-reset", "no-lease", "no-route", "nxdomain", "servfail", "refused");
        }
        Map<String, Object> inbound = probes.get(7);
        assertThat(inbound.get("outcome")).isEqualTo("icmp-error");
        assertThat(inbound.get("icmp")).isEqualTo(Map.of("type", 3L, "code", 3L, "from", "192.168.0.10"));
        assertThat(inbound.get("decisive")).isEqualTo(Map.of("hook", "FORWARD", "table", "filter", "chain", "LIBVIRT_FWI", "rule", 2L,
                "target", "REJECT --reject-with icmp-port-unreachable", "text", "-o virbr0 -j REJECT --reject-with icmp-port-unreachable"));
        assertThat(inbound.get("healthy")).isEqualTo(true);
        assertThat(probes.get(0)).doesNotContainKey("icmp").doesNotContainKey("decisive");
    }

    @Test
    void theTextReportMarksEveryProbeAndListsFindingsAndAssumptions() {
        Cli r = Cli.run(FakeWorld.factory(DiagnoseTest::healthy), ONE_FINDING, "diagnose", dump.toString());
        assertThat(r.exit()).isZero();
        Golden.assertMatches(Golden.testResource("golden/diagnose-healthy.txt"), r.out());
    }

    @Test
    void aProbeThatMisbehavesExitsOne() {
        WorldFactory dropped = FakeWorld.factory(w -> {
            healthy(w);
            w.answer("probe: ping -c 1 -W 2 8.8.8.8", probe(Observation.Probe.timeout(), new Trace(4, List.of(
                    new TraceStep.HookEntered("FORWARD", "icmp src=192.168.122.55 dst=8.8.8.8 type=8 code=0 id=4099 len=84 ttl=63 in=virbr0 out=enp3s0"),
                    new TraceStep.PolicyApplied("filter:FORWARD", "DROP")),
                    Disposition.DROPPED_BY_POLICY, "")));
        });
        Cli r = Cli.run(dropped, Linter.NONE, "diagnose", dump.toString(), "--format", "json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("{\"id\":\"ping-internet\",\"outcome\":\"timeout\",\"decisive\":{\"hook\":\"FORWARD\",\"table\":\"filter\","
                + "\"chain\":\"FORWARD\",\"rule\":0,\"target\":\"DROP\",\"text\":\"\"}");
        assertThat(r.out()).contains("\"healthy\":false,\"expected\":[\"ok\"]");
    }

    @Test
    void whenDhcpFailsTheOtherProbesRunFromAStaticAddressAndTheReportSaysSo() {
        FakeWorld[] made = new FakeWorld[1];
        WorldFactory noLease = FakeWorld.factory(w -> {
            made[0] = w;
            healthy(w);
            w.answer("probe: dhclient -v eth0", probe(new Observation.NoLease("no DHCPOFFER")));
            w.answer("lanhost: ping -c 1 -W 2 192.168.122.254", probe(Observation.Probe.icmp(new Observation.Icmp(3, 3, ip("192.168.0.10")))));
        });
        Cli r = Cli.run(noLease, Linter.NONE, "diagnose", dump.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(made[0].ran).contains("probe: ip addr add 192.168.122.254/24 dev eth0", "probe: ip route add default via 192.168.122.1",
                "lanhost: ping -c 1 -W 2 192.168.122.254");
        assertThat(made[0].ran.indexOf("probe: ip addr add 192.168.122.254/24 dev eth0"))
                .isLessThan(made[0].ran.indexOf("probe: ping -c 1 -W 2 192.168.122.1"));
        assertThat(r.out()).contains("\u2718 dhcp                 no-lease", "DHCP gave the probe guest no lease, so the other probes ran from the static address 192.168.122.254/24");
    }

    @Test
    void targetChangesTheInternetProbe() {
        FakeWorld[] made = new FakeWorld[1];
        Cli.run(FakeWorld.factory(w -> { made[0] = w; healthy(w); }), Linter.NONE, "diagnose", dump.toString(), "--target", "1.1.1.1");
        assertThat(made[0].ran).contains("probe: ping -c 1 -W 2 1.1.1.1");
    }
}
