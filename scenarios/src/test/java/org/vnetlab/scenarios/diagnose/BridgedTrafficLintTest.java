package org.vnetlab.scenarios.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.scenarios.dump.DumpReader;
import org.vnetlab.scenarios.script.BundledScenarios;

/**
 * The lint finding {@code bridged-traffic-dropped}: br_netfilter loaded with bridge-nf-call-iptables = 1 hands
 * guest-to-guest IPv4 on the bridge to iptables' FORWARD; under a policy DROP some rule reached from FORWARD must
 * accept it, or the guests cannot reach each other.
 */
class BridgedTrafficLintTest {
    @TempDir
    Path dir;

    static Path bundledDump(String scenario) { return BundledScenarios.folder(scenario).orElseThrow().resolve("host"); }

    Path copy(String scenario) throws IOException {
        try (Stream<Path> files = Files.list(bundledDump(scenario))) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        return dir;
    }

    static List<Finding> lint(Path dump) throws InputException {
        return DumpLint.lint(DumpReader.read(dump, Map.of(), dump));
    }

    static List<String> ids(List<Finding> f) { return f.stream().map(Finding::id).toList(); }

    static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }

    @Test
    void dockersPolicyWithoutABridgedAcceptIsAnError() throws InputException {
        List<Finding> f = lint(bundledDump("docker-bridged-guests"));

        Finding found = f.stream().filter(x -> x.id().equals("bridged-traffic-dropped")).findFirst().orElseThrow();
        assertThat(found.severity()).isEqualTo(Finding.Severity.ERROR);
        assertThat(found.text()).contains("in and out virbr0", "(Docker sets it)",
                "iptables -I DOCKER-USER -m physdev --physdev-is-bridged -j ACCEPT", "sysctl -w net.bridge.bridge-nf-call-iptables=0");
    }

    @Test
    void aPhysdevAcceptInDockerUserSettlesIt() throws IOException, InputException {
        Path d = copy("docker-bridged-guests");
        edit(d.resolve("iptables-save.txt"), "-A DOCKER-USER -i enp3s0", "-A DOCKER-USER -m physdev --physdev-is-bridged -j ACCEPT\n-A DOCKER-USER -i enp3s0");

        assertThat(ids(lint(d))).doesNotContain("bridged-traffic-dropped");
    }

    @Test
    void anAcceptBehindDockersReturnDoesNot() throws IOException, InputException {
        Path d = copy("docker-bridged-guests");
        edit(d.resolve("iptables-save.txt"), "-A DOCKER-USER -j RETURN\n", "-A DOCKER-USER -j RETURN\n-A DOCKER-USER -i virbr0 -o virbr0 -j ACCEPT\n");

        assertThat(ids(lint(d))).contains("bridged-traffic-dropped");
    }

    @Test
    void bridgeNfCallIptablesZeroOrTheModuleNotLoadedLeavesBridgedTrafficAlone() throws IOException, InputException {
        Path d = copy("docker-bridged-guests");
        edit(d.resolve("sysctl.txt"), "net.bridge.bridge-nf-call-iptables = 1", "net.bridge.bridge-nf-call-iptables = 0");
        assertThat(ids(lint(d))).doesNotContain("bridged-traffic-dropped");

        assertThat(ids(lint(bundledDump("docker-nftables-libvirt")))).as("its sysctl -a has no net.bridge keys")
                .doesNotContain("bridged-traffic-dropped");
    }

    @Test
    void libvirtsIptablesRulesAcceptGuestToGuestAheadOfTheDropPolicy() throws IOException, InputException {
        Path d = copy("docker-forward-drop");
        Files.writeString(d.resolve("sysctl.txt"), "net.bridge.bridge-nf-call-iptables = 1\n" + Files.readString(d.resolve("sysctl.txt")));

        assertThat(ids(lint(d))).contains("forward-policy-drop").doesNotContain("bridged-traffic-dropped");
        edit(d.resolve("iptables-save.txt"), "-A LIBVIRT_FWX -i virbr0 -o virbr0 -j ACCEPT\n", "");
        assertThat(ids(lint(d))).contains("bridged-traffic-dropped");
    }

    @Test
    void withoutASysctlDumpDockersChainsMeanTheModuleIsLoaded() throws IOException, InputException {
        Path d = copy("docker-bridged-guests");
        Files.delete(d.resolve("sysctl.txt"));

        assertThat(ids(lint(d))).contains("bridged-traffic-dropped");
    }
}
