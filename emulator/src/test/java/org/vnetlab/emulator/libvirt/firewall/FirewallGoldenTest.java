package org.vnetlab.emulator.libvirt.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkStartException;
import org.vnetlab.emulator.libvirt.NetworkXmlParser;
import org.vnetlab.emulator.libvirt.SharedData;
import org.vnetlab.emulator.libvirt.TextDiff;

/**
 * libvirt's networkxml2firewalltest, replayed for both backends: the commands generated for each network XML
 * of libvirt's test data must be, byte for byte, the command log libvirt's test expects (and read back to the
 * same argument lists).
 */
class FirewallGoldenTest {
    private static final Path TESTS = SharedData.libvirt("tests/networkxml2firewalldata");
    private static final Path DERIVED = SharedData.libvirt("derived/networkxml2firewalldata");

    enum Backend { IPTABLES, NFTABLES }

    /** {@code xml} null: the once-per-host private chain setup. */
    record Case(String name, Backend backend, Path xml, Path expected) {
        @Override public String toString() { return backend.name().toLowerCase() + ": " + name; }

        List<FirewallCommand> generate() throws InputException, NetworkStartException {
            if (xml == null) {
                return backend == Backend.IPTABLES ? IptablesFirewall.privateChainSetup() : NftablesFirewall.privateChainSetup();
            }
            NetworkDefinition def = NetworkXmlParser.parse(xml);
            return backend == Backend.IPTABLES ? IptablesFirewall.add(def) : NftablesFirewall.add(def);
        }
    }

    private static Path xml(String name) {
        Path t = TESTS.resolve(name + ".xml");
        return t.toFile().exists() ? t : DERIVED.resolve(name + ".xml");
    }

    /** libvirt 10.4 renamed *-linux.args to *-linux.iptables; the reference set has some of each, and derived ones. */
    private static Path iptablesFile(String name) {
        for (Path p : List.of(TESTS.resolve(name + "-linux.args"), TESTS.resolve(name + "-linux.iptables"),
                DERIVED.resolve(name + "-linux.iptables"))) {
            if (p.toFile().exists()) return p;
        }
        throw new IllegalStateException("no expected iptables output for " + name);
    }

    private static Path nftablesFile(String name) {
        Path t = TESTS.resolve(name + "-linux.nftables");
        return t.toFile().exists() ? t : DERIVED.resolve(name + "-linux.nftables");
    }

    static final List<String> NETWORKS = List.of("nat-default", "route-default", "isolated", "nat-port-range",
            "forward-dev", "nat-no-dhcp", "nat-tftp", "nat-many-ips");

    static Stream<Case> cases() {
        Stream<Case> base = Stream.of(
                new Case("base", Backend.IPTABLES, null, TESTS.resolve("base.iptables")),
                new Case("base", Backend.NFTABLES, null, TESTS.resolve("base.nftables")));
        Stream<Case> networks = NETWORKS.stream().flatMap(n -> Stream.of(
                new Case(n, Backend.IPTABLES, xml(n), iptablesFile(n)),
                new Case(n, Backend.NFTABLES, xml(n), nftablesFile(n))));
        return Stream.concat(base, networks);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void commandsMatchLibvirtByteForByte(Case c) throws InputException, NetworkStartException {
        List<FirewallCommand> commands = c.generate();
        String expected = SharedData.read(c.expected());
        TextDiff.assertSameText(SharedData.libvirt().relativize(c.expected()).toString(), expected,
                LibvirtCommandLog.format(commands));
        assertThat(LibvirtCommandLog.parse(c.expected().toString(), expected)).as("argument lists")
                .isEqualTo(commands);
    }

    @Test
    void everyExpectedFileInTheReferenceSetHasACase() {
        Set<Path> covered = cases().map(Case::expected).collect(Collectors.toSet());
        Stream.of(TESTS, DERIVED)
                .flatMap(d -> Stream.of(".args", ".iptables", ".nftables").flatMap(s -> SharedData.list(d, s).stream()))
                .forEach(p -> assertThat(covered).as("case for %s", p).contains(p));
    }
}
