package org.vnetlab.scenarios.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.scenarios.run.RunReport;
import org.vnetlab.scenarios.run.Runner;
import org.vnetlab.scenarios.run.Transcript;
import org.vnetlab.scenarios.run.WorldFactory;
import org.vnetlab.scenarios.script.Script;
import org.vnetlab.scenarios.script.ScriptParser;

/** The host's nft in a scenario: nft's syntax checked before anything runs, then one transaction per command. */
class HostShellNftTest {
    @TempDir
    Path dir;

    RunReport replay(String text, Transcript t) throws InputException {
        Script s = ScriptParser.parseText(text, "scenario.vnl", dir);
        return Runner.replay(s, EmulatorWorld.factory(), WorldFactory.Options.seed(1), t);
    }

    @Test
    void aBadNftCommandIsRejectedAtItsWordBeforeAnythingRuns() {
        InputException e = assertThrows(InputException.class, () -> replay("""
                topology libvirt-default guest=vm:linux
                on vm: ping -c 1 8.8.8.8
                on host: nft insert rule ip libvirt_network guest_output ip daddr 8.8.8.8 dorp
                """, Transcript.inMemory(false)));
        // the column of the word nft's parser stopped at, in the scenario's line
        assertThat(e.getMessage()).startsWith("scenario.vnl:3:67: unsupported expression or statement near '8.8.8.8'");
    }

    @Test
    void anNftFileOfTheScenarioIsCheckedWithItsOwnLine() throws Exception {
        Files.writeString(dir.resolve("block.nft"), "table inet hostfw {\n  chain input {\n    type filter hook inptu priority 0; policy drop;\n  }\n}\n");
        InputException e = assertThrows(InputException.class, () -> replay("""
                topology libvirt-default guest=vm:linux
                on host: nft -f block.nft
                """, Transcript.inMemory(false)));
        assertThat(e.getMessage()).startsWith("scenario.vnl:2:").contains("block.nft:3:");
    }

    @Test
    void nftRulesChangeWhatTheGuestsPacketsMeetAndAFailingFileChangesNothing() throws Exception {
        Files.writeString(dir.resolve("half.nft"), "add rule ip libvirt_network guest_output ip daddr 8.8.8.8 drop\nadd rule ip nowhere x accept\n");
        Files.createDirectories(dir.resolve("host"));
        Files.writeString(dir.resolve("host/network.conf"), "firewall_backend = \"nftables\"\n");
        Transcript t = Transcript.inMemory(false);
        RunReport r = replay("""
                topology libvirt-default dump=host/ guest=vm:linux
                on vm: ping -c 1 8.8.8.8                                    => reply
                on host: nft -f half.nft                                    => exit 1 error "table ip nowhere does not exist"
                on vm: ping -c 1 8.8.8.8                                    => reply
                on host: nft insert rule ip libvirt_network guest_output ip daddr 8.8.8.8 drop => ok
                on vm: ping -c 1 -W 1 8.8.8.8                               => timeout
                on host: nft -a list chain ip libvirt_network guest_output  => ok output "ip daddr 8.8.8.8 drop # handle 19"
                """, t);
        assertThat(r.failed()).as(t.text()).isZero();
    }
}
