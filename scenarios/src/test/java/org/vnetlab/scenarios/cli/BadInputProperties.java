package org.vnetlab.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.vnetlab.scenarios.run.FakeWorld;

/** Whatever a scenario file holds, vnetlab answers with an exit code and at most a one-line error: never a stack trace. */
class BadInputProperties {

    static final String VALID = """
            title t
            set seed 3
            topology libvirt-default dump=host/ guest=win10:windows:52:54:00:3b:7d:11 lan=pc:192.168.0.50
            on win10: ipconfig /renew          => lease 192.168.122.0/24 gateway 192.168.122.1 dns 192.168.122.1
            on win10: ping 8.8.8.8             => reply
            on host:  virsh net-edit default fixes/dns-forwarders.xml  => error "dns" not allowed
            on host: cat > /etc/resolv.conf <<EOF => ok
                nameserver 1.1.1.1
                EOF
            note a \\
              continued note
            wait 5s
            on win10: nslookup google.com      => 142.250.72.14 exit 0
            """;

    @Provide
    Arbitrary<String> mangled() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, VALID.length());
        Arbitrary<String> insert = Arbitraries.of("", "\"", "'", "\\", "=>", "<<", "|", ">", ":", "\n", " ", "on ", "=> lease", "/33", "#", "\t",
                "exit 999", "unreachable", "from", "999.1.1.1", "&&", "$(x)", "2>&1", "\u00e9", "\u0000");
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 12);
        return net.jqwik.api.Combinators.combine(at, insert, cut).as((i, s, n) -> {
            String head = VALID.substring(0, i);
            String tail = VALID.substring(Math.min(VALID.length(), i + n));
            return head + s + tail;
        });
    }

    @Property(tries = 150, seed = "42")
    void aMangledScriptNeverCausesAStackTrace(@ForAll("mangled") String script) throws Exception {
        Path dir = Files.createTempDirectory("vnetlab-prop");
        try {
            Files.writeString(dir.resolve("scenario.vnl"), script);
            Cli r = Cli.run(FakeWorld.factory(w -> { }), "replay", dir.toString());
            assertThat(r.exit()).isIn(0, 1, 2);
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("internal error");
            assertThat(r.err().lines().count()).isLessThanOrEqualTo(1);
            if (r.exit() == 2) assertThat(r.err()).matches("(?s)[^:\n]+:\\d+:\\d+: .+\n|[^:\n]+: .+\n");
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Property(tries = 100, seed = "7")
    void randomArgumentsNeverCauseAStackTrace(@ForAll("argv") java.util.List<String> args) {
        Cli r = Cli.run(FakeWorld.factory(w -> { }), args.toArray(new String[0]));
        assertThat(r.exit()).isIn(0, 1, 2);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Provide
    Arbitrary<java.util.List<String>> argv() {
        return Arbitraries.of("replay", "diagnose", "trace", "scenarios", "--help", "--seed", "x", "-1", "99999999999999999999",
                "--format", "json", "yaml", "--to", "8.8.8.8", "--proto", "sctp", "--dport", "0", "--from", "moon", "--pcap", "",
                "article", "/nonexistent", "--trace", "--debug", "--target", "1.2.3").list().ofMaxSize(6);
    }

    /** One file of a real dump (the bundled guest-static-outside-subnet host, the guest's ip addr included), mangled. */
    record MangledDump(String file, String text) {}

    @Provide
    Arbitrary<MangledDump> mangledDump() {
        java.nio.file.Path host = org.vnetlab.scenarios.script.BundledScenarios.folder("guest-static-outside-subnet").orElseThrow().resolve("host");
        java.util.List<String> names;
        try (var files = Files.list(host)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Arbitrary<String> name = Arbitraries.of(names);
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 4000);
        Arbitrary<String> insert = Arbitraries.of("", "\n", "COMMIT\n", "*nat\n", "-A FORWARD -j NOPE\n", "<", "<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
                "nameserver 999.1.1.1\n", "inet 300.1.1.1/99", "   IPv4 Address. . . . . . . . . . . : 1.2.3(Preferred)\n", "\u0000", "\uFEFF",
                "2: eth0: <UP>", "net.ipv4.ip_forward = banana\n", "default via\n", " ", ":", "/", "-", "\t");
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 40);
        return net.jqwik.api.Combinators.combine(name, at, insert, cut).as((n, i, ins, c) -> {
            String text;
            try {
                text = Files.readString(host.resolve(n));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            int from = Math.min(i, text.length());
            return new MangledDump(n, text.substring(0, from) + ins + text.substring(Math.min(text.length(), from + c)));
        });
    }

    @Property(tries = 60, seed = "11")
    void aMangledDumpNeverCausesAStackTrace(@ForAll("mangledDump") MangledDump m, @ForAll boolean json) throws Exception {
        java.nio.file.Path host = org.vnetlab.scenarios.script.BundledScenarios.folder("guest-static-outside-subnet").orElseThrow().resolve("host");
        Path dir = Files.createTempDirectory("vnetlab-dump-prop");
        try {
            try (var files = Files.list(host)) {
                for (Path p : files.toList()) Files.copy(p, dir.resolve(p.getFileName()));
            }
            Files.writeString(dir.resolve(m.file()), m.text());
            Cli r = Cli.run(org.vnetlab.scenarios.world.EmulatorWorld.factory(), new org.vnetlab.scenarios.diagnose.DumpLint(),
                    json ? new String[] {"diagnose", dir.toString(), "--format", "json"} : new String[] {"diagnose", dir.toString()});
            assertThat(r.exit()).as(r.err()).isIn(0, 1, 2);
            assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("internal error");
            assertThat(r.err().lines().count()).isLessThanOrEqualTo(1);
            if (r.exit() == 2) assertThat(r.err()).matches("(?s)[^\n]+: .+\n").doesNotContain("Error:");
            else assertThat(r.out()).contains("ping-gateway");
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
