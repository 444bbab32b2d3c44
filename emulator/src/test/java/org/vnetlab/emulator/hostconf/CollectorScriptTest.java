package org.vnetlab.emulator.hostconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/collect/vnetlab-collect} with a PATH of stub commands (virsh, iptables-save, iptables,
 * nft, ip, sysctl, id, uname) that print fixtures, and checks that every file it writes is recognised by
 * {@link HostDump}. Needs bash; fails when bash is missing unless VNETLAB_ALLOW_MISSING_TOOLS=1.
 */
class CollectorScriptTest {
    @TempDir
    Path tmp;
    Path bin;
    Path work;
    Path etc;
    Path run;

    record Result(int exit, String stdout, String stderr) {}

    @BeforeEach
    void stubs() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        bin = Files.createDirectories(tmp.resolve("bin"));
        work = Files.createDirectories(tmp.resolve("work"));
        etc = tmp.resolve("etc");
        run = tmp.resolve("run");
        Files.createDirectories(etc.resolve("libvirt"));
        Files.createDirectories(run.resolve("systemd/resolve"));
        Path shared = Fixtures.shared();
        Files.writeString(data.resolve("net-default.xml"), Fixtures.articleBlock("<network connections='1'>"));
        Files.copy(shared.resolve("ref/libvirt/tests/networkxml2confdata/isolated-network.xml"), data.resolve("net-isolated.xml"));
        Files.writeString(data.resolve("iptables-save.txt"), Fixtures.articleBlock("*nat") + Fixtures.articleBlock("*filter"));
        Files.copy(shared.resolve("ref/libvirt/derived/default-network.nft-list.txt"), data.resolve("nft.txt"));
        Files.writeString(data.resolve("ip-route.txt"), Fixtures.read("route/lab-ip4-route-all.txt"));
        Files.writeString(data.resolve("ip-addr.txt"), Fixtures.read("iface/lab-ip-addr.txt"));
        Files.writeString(data.resolve("sysctl-a.txt"), Fixtures.read("sysctl/oracle-sysctl-a.txt"));
        Files.writeString(etc.resolve("resolv.conf"), Fixtures.read("resolv/systemd-stub-resolv.conf"));
        Files.writeString(etc.resolve("libvirt/network.conf"), "# Master configuration file for the network driver.\n"
                + "#firewall_backend = \"nftables\"\n");
        Files.writeString(run.resolve("systemd/resolve/resolv.conf"), Fixtures.read("resolv/systemd-uplink-resolv.conf"));
        String d = data.toString();
        stub("virsh", "[ \"$1\" = -c ] && shift 2\ncase \"$1\" in\n"
                + "  net-list) printf 'default\\nisolated\\n' ;;\n"
                + "  net-dumpxml) cat '" + d + "'/net-\"$2\".xml ;;\n"
                + "  version) printf 'Compiled against library: libvirt 9.0.0\\nUsing library: libvirt 9.0.0\\n' ;;\n"
                + "  --version) echo 9.0.0 ;;\n  *) echo \"virsh stub: $*\" >&2; exit 1 ;;\nesac");
        stub("iptables-save", "cat '" + d + "/iptables-save.txt'");
        stub("iptables", "[ \"$1\" = -V ] && echo 'iptables v1.8.9 (nf_tables)'");
        stub("nft", "case \"$1\" in -v) echo 'nftables v1.0.6 (Lester Gooch #5)' ;; list) cat '" + d + "/nft.txt' ;; *) exit 1 ;; esac");
        stub("ipset", "case \"$1\" in -v) echo 'ipset v7.17, protocol version: 7' ;;\n"
                + "  save) printf 'create f2b-sshd hash:ip family inet hashsize 1024 maxelem 65536 timeout 600 bucketsize 12 initval 0x3fa379a3\\n"
                + "add f2b-sshd 192.168.0.20 timeout 599\\n' ;;\n  *) exit 1 ;;\nesac");
        stub("ip", "case \"$*\" in\n  '-4 route show table all') cat '" + d + "/ip-route.txt' ;;\n  addr) cat '" + d + "/ip-addr.txt' ;;\n"
                + "  -V) echo 'ip utility, iproute2-6.1.0' ;;\n  *) echo \"ip stub: $*\" >&2; exit 1 ;;\nesac");
        stub("sysctl", "[ \"$1\" = -a ] && cat '" + d + "/sysctl-a.txt'");
        stub("id", "[ \"$1\" = -u ] && echo \"${STUB_UID:-0}\"");
        stub("uname", "case \"$1\" in -r) echo 6.1.0-18-amd64 ;; -n) echo testhost ;; *) echo Linux ;; esac");
    }

    private void stub(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n# vnetlab test stub\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Result collect(String uid, String... args) throws Exception {
        Path bash = Stream.of("/bin/bash", "/usr/bin/bash").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
        if (bash == null) {
            if ("1".equals(System.getenv("VNETLAB_ALLOW_MISSING_TOOLS"))) Assumptions.abort("bash is not installed");
            fail("bash is needed to test src/collect/vnetlab-collect (set VNETLAB_ALLOW_MISSING_TOOLS=1 to skip)");
        }
        Path script = Path.of(System.getProperty("vnetlab.root", "..")).resolve("src/collect/vnetlab-collect");
        List<String> cmd = new ArrayList<>(List.of(bash.toString(), script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("LC_ALL", "C");
        env.put("STUB_UID", uid);
        env.put("VNETLAB_COLLECT_ETC", etc.toString());
        env.put("VNETLAB_COLLECT_RUN", run.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("vnetlab-collect did not finish");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void asRootCollectsEveryFileAndHostDumpRecognisesEachOne() throws Exception {
        Result r = collect("0", "-o", "dump");
        assertThat(r.exit()).as(r.stderr()).isZero();
        Path out = work.resolve("dump");
        Map<String, DumpKind> expected = Map.ofEntries(
                Map.entry("README.txt", DumpKind.COLLECTOR_MANIFEST),
                Map.entry("net-default.xml", DumpKind.NETWORK_XML),
                Map.entry("net-isolated.xml", DumpKind.NETWORK_XML),
                Map.entry("iptables-save.txt", DumpKind.IPTABLES_SAVE),
                Map.entry("nft-ruleset.txt", DumpKind.NFT_RULESET),
                Map.entry("ipset-save.txt", DumpKind.IPSET_SAVE),
                Map.entry("ip-route.txt", DumpKind.IP_ROUTE),
                Map.entry("ip-addr.txt", DumpKind.IP_ADDR),
                Map.entry("sysctl.txt", DumpKind.SYSCTL_DUMP),
                Map.entry("resolv.conf", DumpKind.RESOLV_CONF),
                Map.entry("resolv-upstream.conf", DumpKind.RESOLV_CONF),
                Map.entry("network.conf", DumpKind.LIBVIRT_NETWORK_CONF));
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(expected.keySet());
        }
        HostDump dump = HostDump.load(out);
        for (DumpedFile f : dump.files()) {
            assertThat(f.detection()).as(f.name()).isInstanceOfSatisfying(Detection.Recognised.class,
                    d -> assertThat(d.kind()).as(f.name()).isEqualTo(expected.get(f.name())));
        }
        assertThat(dump.missing()).isEmpty();
        assertThat(dump.notes()).isEmpty();
        assertThat(dump.resolvConf().orElseThrow().isSystemdResolvedStub()).isTrue();
        assertThat(dump.sysctls().orElseThrow().state().keys())
                .allMatch(k -> k.startsWith("net.ipv4.") || k.startsWith("net.bridge.") || k.startsWith("net.netfilter."));
        assertThat(dump.routingTable().orElseThrow().routes("local")).isNotEmpty();

        String readme = Files.readString(out.resolve("README.txt"));
        assertThat(readme).contains("root: yes", "kernel: 6.1.0-18-amd64", "iptables: iptables v1.8.9 (nf_tables)", "ipset: ipset v7.17",
                "virsh: 9.0.0").doesNotContain("testhost").doesNotContain("Not collected");
        assertThat(readme).containsAnyOf("host: sha256:" + sha256("testhost\n").substring(0, 12), "host: omitted");
        try (Stream<Path> s = Files.list(work)) {
            assertThat(s).as("nothing written beside the output folder").containsExactly(out);
        }
    }

    @Test
    void withoutRootSkipsTheFirewallAndSaysWhy() throws Exception {
        Result r = collect("1000", "-o", "dump");
        assertThat(r.exit()).isZero();
        Path out = work.resolve("dump");
        assertThat(out.resolve("iptables-save.txt")).doesNotExist();
        assertThat(out.resolve("nft-ruleset.txt")).doesNotExist();
        assertThat(out.resolve("ipset-save.txt")).doesNotExist();
        assertThat(Files.readString(out.resolve("README.txt"))).contains("root: no", "Not collected:", "needs root");
        assertThat(HostDump.load(out).missing()).containsExactly("firewall rules (iptables-save)");
    }

    @Test
    void namedNetworkOnly() throws Exception {
        assertThat(collect("0", "-n", "default", "-o", "dump").exit()).isZero();
        assertThat(work.resolve("dump/net-default.xml")).exists();
        assertThat(work.resolve("dump/net-isolated.xml")).doesNotExist();
    }

    @Test
    void defaultFolderIsCreatedInTheWorkingDirectory() throws Exception {
        assertThat(collect("0").exit()).isZero();
        try (Stream<Path> s = Files.list(work)) {
            assertThat(s.map(p -> p.getFileName().toString())).singleElement().satisfies(n -> assertThat(n).startsWith("vnetlab-dump-"));
        }
    }

    @Test
    void refusesANonEmptyFolder() throws Exception {
        Files.createDirectories(work.resolve("dump"));
        Files.writeString(work.resolve("dump/mine.txt"), "keep me");
        Result r = collect("0", "-o", "dump");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("not empty");
        try (Stream<Path> s = Files.list(work.resolve("dump"))) {
            assertThat(s).hasSize(1);
        }
    }

    @Test
    void badOptionIsAUsageError() throws Exception {
        Result r = collect("0", "-x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("Usage: vnetlab-collect");
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
