package org.vnetlab.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.scenarios.expect.Observation;
import org.vnetlab.scenarios.expect.Observed;
import org.vnetlab.scenarios.script.Script;
import org.vnetlab.scenarios.script.ScriptParser;

/** The runner with a scripted world: vetting before running, command lists, verdicts and the transcript's shape. */
class RunnerTest {

    @TempDir
    Path dir;

    static final String WINDOWS_PING = """

            Pinging 8.8.8.8 with 32 bytes of data:
            Reply from 8.8.8.8: bytes=32 time<1ms TTL=126
            Reply from 8.8.8.8: bytes=32 time<1ms TTL=126
            Reply from 8.8.8.8: bytes=32 time<1ms TTL=126
            Reply from 8.8.8.8: bytes=32 time<1ms TTL=126

            Ping statistics for 8.8.8.8:
                Packets: Sent = 4, Received = 4, Lost = 0 (0% loss),
            Approximate round trip times in milli-seconds:
                Minimum = 0ms, Maximum = 0ms, Average = 0ms
            """;

    static final Trace ECHO = new Trace(1, List.of(
            new TraceStep.HookEntered("FORWARD", "IN=virbr0 OUT=enp3s0 SRC=192.168.122.55 DST=8.8.8.8 PROTO=ICMP"),
            new TraceStep.RuleEvaluated("filter:LIBVIRT_FWO #1", "-A LIBVIRT_FWO -s 192.168.122.0/24 -i virbr0 -j ACCEPT", true),
            new TraceStep.Verdict("filter:LIBVIRT_FWO #1", "ACCEPT")), Disposition.FORWARDED, "");

    static void answers(FakeWorld w) {
        w.answer("win10: ping 8.8.8.8", new CommandOutcome(new Observed(WINDOWS_PING, "", 0,
                List.of(Observation.Probe.reply(Ipv4Address.parse("8.8.8.8")))), List.of(ECHO)));
        w.answer("host: virsh net-destroy default", CommandOutcome.text("Network default destroyed\n\n", 0));
        w.answer("host: virsh net-start default", CommandOutcome.text("Network default started\n\n", 0));
        w.answer("host: virsh net-edit default fixes/dns-forwarders.xml", new CommandOutcome(new Observed("",
                "error: XML document failed to validate against schema: Unable to validate doc against /usr/share/libvirt/schemas/network.rng\n"
                + "Extra element ip in interleave\n"
                + "Element network failed to validate content\n\n", 1, List.of()), List.of()));
        w.answer("win10: nslookup google.com", new CommandOutcome(new Observed("""
                DNS request timed out.
                    timeout was 2 seconds.
                Server:  UnKnown
                Address:  192.168.122.1

                DNS request timed out.
                    timeout was 2 seconds.
                *** Request to UnKnown timed-out
                """, "", 1, List.of(new Observation.Resolution(Observation.DnsOutcome.TIMEOUT, "google.com", List.of(),
                Optional.of(Ipv4Address.parse("192.168.122.1"))))), List.of()));
    }

    Script script(String text) throws InputException {
        return ScriptParser.parseText(text, "scenario.vnl", dir);
    }

    @Test
    void transcriptLooksLikeTheTerminalSessions() throws Exception {
        Script s = script("""
                title fake world
                topology libvirt-default dump=host/ guest=win10:windows:52:54:00:3b:7d:11
                note the article says the guest cannot ping 8.8.8.8
                on win10: ping 8.8.8.8 => reply
                on host: sudo virsh net-edit default fixes/dns-forwarders.xml => error "failed to validate"
                on host: sudo virsh net-destroy default && sudo virsh net-start default
                wait 5s
                on win10: nslookup google.com => 142.250.1.1
                """);
        Transcript t = Transcript.inMemory(true);
        RunReport r = Runner.replay(s, FakeWorld.factory(RunnerTest::answers), WorldFactory.Options.seed(7), t);
        assertThat(r.passed()).isEqualTo(2);
        assertThat(r.failed()).isEqualTo(1);
        assertThat(r.unchecked()).isEqualTo(1);
        Golden.assertMatches(Golden.testResource("transcripts/fake-world.txt"), t.text());
    }

    @Test
    void nothingRunsWhenALaterStepIsBad() throws Exception {
        FakeWorld[] made = new FakeWorld[1];
        Script s = script("""
                topology libvirt-default guest=vm:linux
                on host: virsh net-destroy default
                on vm: ping -c 1 --bogus-flag 8.8.8.8 => reply
                """);
        InputException e = assertThrows(InputException.class, () -> Runner.replay(s,
                FakeWorld.factory(w -> made[0] = w), WorldFactory.Options.seed(1), Transcript.inMemory(false)));
        assertThat(e.getMessage()).isEqualTo("scenario.vnl:3:18: unsupported option near '--bogus-flag'");
        assertThat(made[0].ran).isEmpty();
        assertThat(made[0].closed).isTrue();
    }

    @Test
    void unknownCommandsNameTheirPlaceAndTheWorldsHint() throws Exception {
        Script s = script("topology libvirt-default guest=vm:linux\non host: sudo nft list ruleset\n");
        InputException e = assertThrows(InputException.class, () -> Runner.replay(s,
                FakeWorld.factory(w -> {}), WorldFactory.Options.seed(1), Transcript.inMemory(false)));
        assertThat(e.getMessage()).startsWith("scenario.vnl:2:15: unknown command on host near 'nft' (hint: commands here: virsh");
    }

    @Test
    void redirectionTargetsAndInputFilesAreVetted() throws Exception {
        Script s = script("topology libvirt-default\non host: echo 1 > /proc/sys/net/ipv4/ip_forward\n");
        InputException e = assertThrows(InputException.class, () -> Runner.replay(s,
                FakeWorld.factory(w -> {}), WorldFactory.Options.seed(1), Transcript.inMemory(false)));
        assertThat(e.getMessage()).isEqualTo("scenario.vnl:2:19: this file is not emulated near '/proc/sys/net/ipv4/ip_forward'");

        Script s2 = script("topology libvirt-default\non host: cat < fixes/missing.conf\n");
        InputException e2 = assertThrows(InputException.class, () -> Runner.replay(s2,
                FakeWorld.factory(w -> {}), WorldFactory.Options.seed(1), Transcript.inMemory(false)));
        assertThat(e2.getMessage()).startsWith("scenario.vnl:2:16: no such file in the scenario folder near 'fixes/missing.conf'");
    }

    @Test
    void inputFilesAndHereDocumentsReachTheCommand() throws Exception {
        Files.createDirectories(dir.resolve("fixes"));
        Files.writeString(dir.resolve("fixes/resolv.conf"), "nameserver 1.1.1.1\n");
        Script s = script("""
                topology libvirt-default
                on host: cat < fixes/resolv.conf
                on host: cat > /etc/resolv.conf <<EOF
                nameserver 127.0.0.53
                EOF
                """);
        FakeWorld[] made = new FakeWorld[1];
        Runner.replay(s, FakeWorld.factory(w -> made[0] = w), WorldFactory.Options.seed(1), Transcript.inMemory(false));
        assertThat(made[0].ran).containsExactly("host: cat <<nameserver 1.1.1.1", "host: cat <<nameserver 127.0.0.53");
    }

    @Test
    void commandListsFollowExitStatuses() throws Exception {
        Script s = script("""
                topology libvirt-default
                on host: virsh net-start default && virsh net-list ; virsh net-autostart default || virsh net-info default => exit 0
                """);
        FakeWorld[] made = new FakeWorld[1];
        RunReport r = Runner.replay(s, FakeWorld.factory(w -> {
            made[0] = w;
            w.answer("host: virsh net-start default", CommandOutcome.text("error: network is already active\n", 1));
        }), WorldFactory.Options.seed(1), Transcript.inMemory(false));
        // net-start failed: && skips net-list; ; runs net-autostart (exit 0): || skips net-info
        assertThat(made[0].ran).containsExactly("host: virsh net-start default", "host: virsh net-autostart default");
        assertThat(r.allHeld()).isTrue();
    }

    @Test
    void waitsAdvanceEmulatedTime() throws Exception {
        Script s = script("topology libvirt-default\nwait 2m\nwait 500ms\n");
        FakeWorld[] made = new FakeWorld[1];
        Runner.replay(s, FakeWorld.factory(w -> made[0] = w), WorldFactory.Options.seed(1), Transcript.inMemory(false));
        assertThat(made[0].now).isEqualTo(120_500_000_000L);
    }
}
