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
}
