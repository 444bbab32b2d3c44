package org.vnetlab.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetlab.scenarios.diagnose.DumpLint;
import org.vnetlab.scenarios.world.EmulatorWorld;

/** vnetlab replay and demo with the real emulator: traces under each command, and a pcapng of every link. */
class ReplayEmulatedTest {

    @TempDir
    Path dir;

    @Test
    void traceShowsEveryPacketUnderTheCommandThatSentIt() {
        Cli r = Cli.run(EmulatorWorld.factory(), new DumpLint(), "replay", "--trace", "ip-forward-off");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("vm $ ping -c 1 8.8.8.8", "  | hook PREROUTING: icmp src=192.168.122.55 dst=8.8.8.8",
                "  | => no-route");
    }

    @Test
    void pcapWritesOnePcapngWithEveryLink() throws Exception {
        Path pcap = dir.resolve("out/demo.pcapng");
        Cli r = Cli.run(EmulatorWorld.factory(), new DumpLint(), "demo", "--pcap", pcap.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        byte[] b = Files.readAllBytes(pcap);
        // a pcapng section header block opens the file
        assertThat(b.length).isGreaterThan(10_000);
        assertThat(new byte[] {b[0], b[1], b[2], b[3]}).containsExactly(0x0a, 0x0d, 0x0d, 0x0a);
        String text = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text).contains("host/vnet0", "host/enp3s0", "win10/Ethernet", "router/wan");
    }

    @Test
    void theSameSeedGivesTheSameCaptureByteForByte() throws Exception {
        Path a = dir.resolve("a.pcapng");
        Path b = dir.resolve("b.pcapng");
        Cli.run(EmulatorWorld.factory(), new DumpLint(), "replay", "--pcap", a.toString(), "masquerade-missing");
        Cli.run(EmulatorWorld.factory(), new DumpLint(), "replay", "--pcap", b.toString(), "masquerade-missing");
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void theLanHasOneMachine() throws Exception {
        Path s = dir.resolve("two-lan");
        Files.createDirectories(s);
        Files.writeString(s.resolve("scenario.vnl"), "topology libvirt-default lan=a lan=b\non a: ping -c 1 192.168.0.1 => reply\n");
        Cli r = Cli.run(EmulatorWorld.factory(), new DumpLint(), "replay", s.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(s + "/scenario.vnl:1:36: the emulated LAN has one machine besides the host and the router near 'b'"
                + " (hint: keep one lan=NAME[:ADDRESS])\n");
    }

    @Test
    void anUnwritableCaptureIsBadInput() throws Exception {
        Path file = dir.resolve("file");
        Files.writeString(file, "x");
        Cli r = Cli.run(EmulatorWorld.factory(), new DumpLint(), "replay", "--pcap", file.resolve("x.pcapng").toString(), "ip-forward-off");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("cannot write the capture").doesNotContain("Exception:");
    }

    private Cli replayScript(String name, String script, String... files) throws Exception {
        Path s = dir.resolve(name);
        Files.createDirectories(s.resolve("fixes"));
        Files.writeString(s.resolve("scenario.vnl"), script);
        for (int i = 0; i < files.length; i += 2) Files.writeString(s.resolve(files[i]), files[i + 1]);
        return Cli.run(EmulatorWorld.factory(), new DumpLint(), "replay", s.toString());
    }

    @Test
    void aGuestCommandWithABadOptionStopsTheScenarioBeforeAnythingRuns() throws Exception {
        Cli r = replayScript("bad-guest", """
                topology libvirt-default guest=vm:linux guest=win:windows
                on vm: ping -c 1 8.8.8.8 => reply
                on win: ipconfig /renew
                on vm: ping -c x 8.8.8.8 => reply
                """);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).as("nothing ran").doesNotContain(" $ ").doesNotContain("C:\\>");
        assertThat(r.err()).startsWith(dir + "/bad-guest/scenario.vnl:4:16: value for -c is not a number near 'x'").hasLineCount(1);
        Cli win = replayScript("bad-win", "topology libvirt-default guest=win:windows\non win: ipconfig /renew\non win: ipconfig /rnew\n");
        assertThat(win.exit()).isEqualTo(2);
        assertThat(win.err()).startsWith(dir + "/bad-win/scenario.vnl:3:18: unknown ipconfig option near '/rnew'");
        Cli host = replayScript("bad-host-tool", "topology libvirt-default\non host: dig +bogus google.com\n");
        assertThat(host.exit()).isEqualTo(2);
        assertThat(host.err()).startsWith(dir + "/bad-host-tool/scenario.vnl:2:14: ").contains("near '+bogus'");
    }

    @Test
    void aRulesFileThatCannotLoadIsNamedWithItsOwnLine() throws Exception {
        Cli r = replayScript("bad-restore", """
                topology libvirt-default
                on host: iptables -S => ok
                on host: iptables-restore fixes/rules.txt => ok
                """, "fixes/rules.txt", "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp --dportt 53 -j ACCEPT\nCOMMIT\n");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).doesNotContain("host $");
        assertThat(r.err()).startsWith(dir + "/bad-restore/scenario.vnl:3:27: the rules do not load: fixes/rules.txt:3:")
                .contains("--dportt").hasLineCount(1);
        Cli stdin = replayScript("bad-restore-stdin", """
                topology libvirt-default
                on host: iptables-restore <<EOF
                    *filter
                    -A INPUT -j NOSUCH
                    COMMIT
                    EOF
                """);
        assertThat(stdin.exit()).isEqualTo(2);
        assertThat(stdin.err()).contains("scenario.vnl:2:10: the rules do not load: standard input:2:");
        Cli missing = replayScript("missing-restore", "topology libvirt-default\non host: iptables-restore -n fixes/none.rules\n");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("scenario.vnl:2:30: no such file in the scenario folder near 'fixes/none.rules'");
        Cli option = replayScript("option-restore", "topology libvirt-default\non host: iptables-restore --bogus x\n");
        assertThat(option.err()).contains("scenario.vnl:2:27: option not emulated for iptables-restore near '--bogus'");
    }
}
