package org.vnetlab.emulator.hostconf.sysctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetlab.emulator.hostconf.Fixtures;
import org.vnetlab.emulator.input.InputException;

/**
 * Differential test against the real thing: each case of {@code sysctl/oracle-sysctl-command.txt} was run
 * by {@code oracle-run.sh} with procps-ng 4.0.2 in a fresh Linux 6.18 namespace (lo up, bridge virbr0 with
 * 192.168.122.1/24, veth vnet0 in the bridge and its peer eth0g), whose {@code sysctl -a} is
 * {@code oracle-sysctl-a.txt}. The emulation must print the same, exit the same, and change the same keys.
 */
class SysctlCommandOracleTest {
    record Case(List<String> args, String stdout, String stderr, int exit, Set<String> changed) {
        @Override
        public String toString() { return String.join(" ", args); }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        String[] lines = Fixtures.read("sysctl/oracle-sysctl-command.txt").split("\n", -1);
        int i = 0;
        while (i < lines.length && lines[i].startsWith("=== ")) {
            List<String> args = Arrays.asList(lines[i].substring(4).split("\t"));
            StringBuilder out = new StringBuilder(), err = new StringBuilder();
            Set<String> changed = new TreeSet<>();
            i += 2; // "--- stdout"
            while (!lines[i].equals("--- stderr")) out.append(lines[i++]).append('\n');
            i++;
            while (!lines[i].startsWith("--- exit ")) err.append(lines[i++]).append('\n');
            int exit = Integer.parseInt(lines[i].substring("--- exit ".length()));
            i += 2; // "--- changed"
            while (i < lines.length && !lines[i].startsWith("=== ") && !lines[i].isEmpty()) changed.add(lines[i++]);
            while (i < lines.length && lines[i].isEmpty()) i++;
            cases.add(new Case(args, out.toString(), err.toString(), exit, changed));
        }
        assertThat(cases).hasSize(29);
        return cases.stream();
    }

    private static Sysctls namespace() throws InputException {
        // lo and virbr0 hold IPv4 addresses, so the kernel pinned their settings (ipv4_devconf_setall)
        return SysctlParser.parseDump("sysctl-a", Fixtures.read("sysctl/oracle-sysctl-a.txt"))
                .withDevicePinned("lo").withDevicePinned("virbr0");
    }

    @ParameterizedTest(name = "sysctl {0}")
    @MethodSource("cases")
    void emulationMatchesProcpsOnLinux(Case c) throws InputException {
        Sysctls before = namespace();
        Map<String, String> files = Map.of("p.conf", Fixtures.read("sysctl/p.conf"), "g.conf", Fixtures.read("sysctl/g.conf"),
                "s.conf", Fixtures.read("sysctl/s.conf"));
        SysctlRun run = SysctlCommand.run(before, c.args(), files);
        assertThat(run.stdout()).as("stdout").isEqualTo(c.stdout());
        assertThat(run.stderr()).as("stderr").isEqualTo(c.stderr());
        assertThat(run.exitStatus()).as("exit").isEqualTo(c.exit());
        Set<String> changed = new TreeSet<>();
        run.state().asMap().forEach((k, v) -> {
            if (!v.equals(before.asMap().get(k))) changed.add(k + " = " + v);
        });
        assertThat(changed).as("changed keys").isEqualTo(c.changed());
    }
}
