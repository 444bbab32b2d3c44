package org.vnetlab.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.scenarios.expect.Observation;
import org.vnetlab.scenarios.expect.Observed;
import org.vnetlab.scenarios.run.CommandOutcome;
import org.vnetlab.scenarios.run.FakeWorld;
import org.vnetlab.scenarios.run.WorldFactory;

/** The command line in-process: exit codes 0/1/2, one-line errors with file:line:col, never a stack trace. */
class MainTest {

    @TempDir
    Path dir;

    static final WorldFactory PINGS = FakeWorld.factory(w -> w.answer("vm: ping -c 1 8.8.8.8",
            new CommandOutcome(new Observed("PING 8.8.8.8 (8.8.8.8) 56(84) bytes of data.\n64 bytes from 8.8.8.8: icmp_seq=1 ttl=62 time=0.1 ms\n", "", 0,
                    List.of(Observation.Probe.reply(Ipv4Address.parse("8.8.8.8")))), List.of())));

    Path scenario(String script) throws Exception {
        Path f = dir.resolve("s1");
        Files.createDirectories(f);
        Files.writeString(f.resolve("scenario.vnl"), script);
        return f;
    }

    static void assertNoStackTrace(Cli r) {
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at org.");
        assertThat(r.out()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void helpEverywhere() {
        for (String cmd : List.of("replay", "diagnose", "trace", "scenarios", "demo")) {
            Cli r = Cli.run(PINGS, cmd, "--help");
            assertThat(r.exit()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: vnetlab " + cmd);
        }
        Cli top = Cli.run(PINGS, "--help");
        assertThat(top.exit()).isZero();
        assertThat(top.out()).contains("replay", "diagnose", "trace", "scenarios", "Exit status");
    }

    @Test
    void noSubcommandIsAUsageError() {
        Cli r = Cli.run(PINGS);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: vnetlab");
    }

    @Test
    void usageErrorsAreOneLineWithExit2() {
        Cli missing = Cli.run(PINGS, "replay");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("vnetlab replay: Missing required parameter: 'SCENARIO' (see 'vnetlab replay --help')\n");
        Cli unknown = Cli.run(PINGS, "replay", "--color", "x");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("vnetlab replay: Unknown option: '--color'");
        Cli format = Cli.run(PINGS, "diagnose", dir.toString(), "--format", "yaml");
        assertThat(format.exit()).isEqualTo(2);
        assertThat(format.err()).contains("--format").doesNotContain("\n\n");
        Cli sub = Cli.run(PINGS, "replya", "x");
        assertThat(sub.exit()).isEqualTo(2);
        assertNoStackTrace(sub);
    }

    @Test
    void replayExitsZeroWhenEveryExpectationHolds() throws Exception {
        Path s = scenario("topology libvirt-default guest=vm:linux\non vm: ping -c 1 8.8.8.8 => reply from 8.8.8.8\n");
        Cli r = Cli.run(PINGS, "replay", s.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("vm $ ping -c 1 8.8.8.8\nPING 8.8.8.8 (8.8.8.8)", "\u2714 expected reply from 8.8.8.8");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void replayExitsOneWhenAnExpectationFails() throws Exception {
        Path s = scenario("topology libvirt-default guest=vm:linux\non vm: ping -c 1 8.8.8.8 => timeout\n");
        Cli r = Cli.run(PINGS, "replay", s.resolve("scenario.vnl").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("\u2718 expected timeout, got reply from 8.8.8.8");
    }

    @Test
    void badScriptsExitTwoWithFileLineColumn() throws Exception {
        Path s = scenario("topology libvirt-default guest=vm:linux\non vm: ping -c 1 8.8.8.8 => replied\n");
        Cli r = Cli.run(PINGS, "replay", s.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(s + "/scenario.vnl:2:29: unknown expectation near 'replied' (hint: ");
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.out()).isEmpty();
        assertNoStackTrace(r);
    }

    @Test
    void unknownCommandsExitTwoBeforeAnythingRuns() throws Exception {
        Path s = scenario("topology libvirt-default guest=vm:linux\non vm: ping -c 1 8.8.8.8 => reply\non vm: traceroute 8.8.8.8\n");
        Cli r = Cli.run(PINGS, "replay", s.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith(s + "/scenario.vnl:3:8: unknown command on vm near 'traceroute'");
        assertThat(r.out()).doesNotContain("ping");
    }

    @Test
    void missingScenariosAndDumpsAreBadInput() {
        Cli r = Cli.run(PINGS, "replay", "no-such-scenario");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("no-such-scenario: no such scenario folder, script or bundled scenario (hint: 'vnetlab scenarios' lists the bundled ones)\n");
        Cli d = Cli.run(PINGS, "diagnose", dir.resolve("nope").toString());
        assertThat(d.exit()).isEqualTo(2);
        assertThat(d.err()).startsWith(dir.resolve("nope") + ": no such dump folder");
        Cli t = Cli.run(PINGS, "trace", dir.toString());
        assertThat(t.exit()).isEqualTo(2);
        assertThat(t.err()).startsWith("--to: missing destination");
        Cli port = Cli.run(PINGS, "trace", dir.toString(), "--to", "8.8.8.8", "--dport", "99999", "--proto", "tcp");
        assertThat(port.exit()).isEqualTo(2);
        Cli addr = Cli.run(PINGS, "diagnose", dir.toString(), "--target", "8.8.8");
        assertThat(addr.exit()).isEqualTo(2);
        assertThat(addr.err()).isEqualTo("--target: not an IPv4 address near '8.8.8'\n");
    }

    @Test
    void dumpErrorsNameTheDumpFile() throws Exception {
        Path s = scenario("topology libvirt-default dump=host/\n");
        WorldFactory bad = FakeWorld.failing(new InputException("host/iptables.txt", 14, 5, "--dport", "unknown option", "iptables-save prints -m udp before --dport"));
        Cli r = Cli.run(bad, "replay", s.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("host/iptables.txt:14:5: unknown option near '--dport' (hint: iptables-save prints -m udp before --dport)\n");
    }

    @Test
    void internalErrorsAreOneLineUnlessDebugging() throws Exception {
        Path s = scenario("topology libvirt-default guest=vm:linux\non vm: ping -c 1 8.8.8.8\n");
        WorldFactory broken = FakeWorld.factory(w -> w.answer("vm: ping -c 1 8.8.8.8", c -> {
            throw new IllegalStateException("scheduler ran backwards");
        }));
        Cli r = Cli.run(broken, "replay", s.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("vnetlab: internal error: scheduler ran backwards (run with --debug for details)\n");
        Cli d = Cli.run(broken, "replay", "--debug", s.toString());
        assertThat(d.err()).contains("IllegalStateException", "\tat ");
    }

    @Test
    void seedsReachTheWorld() throws Exception {
        Path s = scenario("set seed 42\ntopology libvirt-default\n");
        List<Long> seeds = new ArrayList<>();
        WorldFactory spy = (t, f, o) -> {
            seeds.add(o.seed());
            return new FakeWorld(t);
        };
        Cli.run(spy, "replay", s.toString());
        Cli.run(spy, "replay", "--seed", "7", s.toString());
        assertThat(seeds).containsExactly(42L, 7L);
    }

    @Test
    void scenariosListsTheBundledOnes() {
        Cli r = Cli.run(PINGS, "scenarios");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("article", "ip-forward-off", "masquerade-missing", "docker-forward-drop", "docker-nftables-libvirt",
                "dns-stub-resolver", "guest-static-outside-subnet");
    }
}
