package org.vnetlab.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import org.vnetlab.emulator.hostconf.DumpKind;
import org.vnetlab.emulator.hostconf.DumpedFile;
import org.vnetlab.emulator.hostconf.HostDump;
import org.vnetlab.scenarios.diagnose.DumpLint;
import org.vnetlab.scenarios.diagnose.JsonReader;
import org.vnetlab.scenarios.world.EmulatorWorld;

/**
 * A user's whole path, on a real kernel: a host like a libvirt NAT host is built in a private network namespace
 * (bridge virbr0 192.168.122.1/24, an uplink veth with a default route, ip_forward=1, libvirt's iptables rules
 * loaded with iptables-restore, a resolv.conf naming the LAN router), {@code src/collect/vnetlab-collect} runs
 * inside it, and {@code vnetlab diagnose} reads what it wrote, with the network XML a user copies beside it.
 * Every file must be recognised and the report must find the healthy host it is. The root namespace is never
 * touched. Without root or namespaces the test fails, unless VNETLAB_ALLOW_MISSING_TOOLS=1 makes it a skip.
 */
class CollectorInNamespaceTest {
    private static final Path ROOT = Path.of(System.getProperty("vnetlab.root", "../"));
    private static final Path SHARED = Path.of(System.getProperty("vnetlab.shared", "../../shared"));
    /** The network as {@code virsh net-dumpxml default} prints it on a stock host (libvirt's default.xml, started). */
    static final String NET_DEFAULT_XML = """
            <network>
              <name>default</name>
              <uuid>f1eff8aa-73e7-4573-8d36-571a85714777</uuid>
              <forward mode='nat'>
                <nat>
                  <port start='1024' end='65535'/>
                </nat>
              </forward>
              <bridge name='virbr0' stp='on' delay='0'/>
              <mac address='52:54:00:73:62:06'/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'/>
                </dhcp>
              </ip>
            </network>
            """;

    private final String host = "vnl-qa-col-" + ProcessHandle.current().pid();
    private final String lan = host + "-lan";
    private final List<String> made = new ArrayList<>();

    @BeforeEach
    void needsRootAndNamespaces() throws IOException, InterruptedException {
        String why = null;
        if (!"0".equals(run(List.of("id", "-u")).out().strip())) why = "not root";
        else if (run(List.of("sh", "-c", "command -v ip && command -v iptables-restore")).status() != 0) why = "ip or iptables-restore missing";
        if (why == null) {
            Result r = run(List.of("ip", "netns", "add", host));
            if (r.status() != 0) why = "cannot create a network namespace: " + r.err().strip();
            else made.add(host);
        }
        if (why == null) return;
        String message = "the collector test needs root and network namespaces: " + why;
        if ("1".equals(System.getenv("VNETLAB_ALLOW_MISSING_TOOLS"))) {
            System.err.println("SKIPPED CollectorInNamespaceTest: " + message + " [VNETLAB_ALLOW_MISSING_TOOLS=1]");
            throw new TestAbortedException(message);
        }
        throw new AssertionError(message + " — run as root, or set VNETLAB_ALLOW_MISSING_TOOLS=1 to skip");
    }

    @AfterEach
    void removeNamespaces() throws IOException, InterruptedException {
        for (String ns : made) run(List.of("ip", "netns", "del", ns));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCollectedLibvirtNatHostIsRecognisedWholeAndDiagnosedHealthy(@TempDir Path dir) throws Exception {
        Path rules = SHARED.resolve("ref/libvirt/derived/default-network.iptables-save.txt");
        assertThat(rules).as("libvirt's rules for the default network (shared reference data)").isRegularFile();
        made.add(lan);
        must(List.of("ip", "netns", "add", lan));
        // the host: what libvirt and the distribution set up before any guest runs
        inHost("ip link set lo up",
                "ip link add virbr0 type bridge stp_state 1",
                "ip link set virbr0 address 52:54:00:73:62:06",
                "ip addr add 192.168.122.1/24 brd 192.168.122.255 dev virbr0",
                "ip link set virbr0 up",
                "ip link add enp3s0 type veth peer name lan0",
                "ip link set lan0 netns " + lan,
                "ip link set enp3s0 address 00:d8:61:0a:0b:10",
                "ip addr add 192.168.0.10/24 dev enp3s0",
                "ip link set enp3s0 up",
                "ip route add default via 192.168.0.1 dev enp3s0 proto dhcp metric 100",
                "sysctl -qw net.ipv4.ip_forward=1",
                "iptables-restore < " + rules);
        must(List.of("ip", "netns", "exec", lan, "ip", "link", "set", "lan0", "up"));
        Path etc = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(etc.resolve("resolv.conf"), "# Generated by NetworkManager\nsearch lan\nnameserver 192.168.0.1\n");

        Path out = dir.resolve("dump");
        Result collected = run(List.of("env", "VNETLAB_COLLECT_ETC=" + etc, "ip", "netns", "exec", host,
                ROOT.resolve("src/collect/vnetlab-collect").toString(), "-o", out.toString()));
        assertThat(collected.status()).as(collected.err()).isZero();
        assertThat(collected.out()).startsWith("vnetlab-collect: wrote " + out);

        // every file it wrote is recognised by content, and as what its name says
        HostDump dump = HostDump.load(out);
        assertThat(dump.notes()).as("files vnetlab could not place").isEmpty();
        Map<String, DumpKind> expected = Map.of("iptables-save.txt", DumpKind.IPTABLES_SAVE, "nft-ruleset.txt", DumpKind.NFT_RULESET,
                "ip-route.txt", DumpKind.IP_ROUTE, "ip-addr.txt", DumpKind.IP_ADDR, "sysctl.txt", DumpKind.SYSCTL_DUMP,
                "resolv.conf", DumpKind.RESOLV_CONF, "README.txt", DumpKind.COLLECTOR_MANIFEST);
        for (DumpedFile f : dump.files()) assertThat(expected.get(f.name())).as(f.name()).isNotNull().matches(f::is);
        assertThat(dump.files()).extracting(DumpedFile::name).containsExactlyInAnyOrderElementsOf(expected.keySet());
        // no virsh here (or no libvirtd): the collector says so, and so does the report
        String manifest = Files.readString(out.resolve("README.txt"));
        assertThat(manifest).contains("Not collected:", "libvirt networks: ");

        // the user copies the network XML as virsh printed it on the real host
        Path xml = Files.writeString(dir.resolve("net-default.xml"), NET_DEFAULT_XML);
        Cli r = Cli.run(EmulatorWorld.factory(), new DumpLint(), "diagnose", out.toString(), "--net-xml", xml.toString(), "--format=json");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).as(r.out()).isZero();
        Map<String, Object> report = (Map<String, Object>) JsonReader.parse(r.out());
        for (Map<String, Object> p : (List<Map<String, Object>>) report.get("probes")) {
            assertThat((Boolean) p.get("healthy")).as(p.toString()).isTrue();
        }
        assertThat((List<Object>) report.get("findings")).as("a stock libvirt host has nothing to find").isEmpty();
        List<String> assumptions = (List<String>) report.get("assumptions");
        assertThat(assumptions).anyMatch(a -> a.startsWith("README.txt: vnetlab-collect did not collect libvirt networks: "));
        // the DNS server resolv.conf names (the LAN's router) answers, so dnsmasq's forwarding works as on the host
        assertThat(assumptions).contains("the router 192.168.0.1 answers DNS, as the host's resolv.conf expects, with the emulated "
                + "internet's names (it does not forward: its answers are the internet resolvers')");
        // a full sysctl -a is summed up, not listed key by key
        assertThat(assumptions).hasSizeLessThan(15);
        assertThat(assumptions).noneMatch(a -> a.contains("is not wired"));
    }

    private void inHost(String... commands) throws IOException, InterruptedException {
        must(List.of("ip", "netns", "exec", host, "sh", "-ec", String.join("\n", commands)));
    }

    private static void must(List<String> argv) throws IOException, InterruptedException {
        Result r = run(argv);
        if (r.status() != 0) throw new AssertionError(String.join(" ", argv) + " failed (" + r.status() + "): " + r.err());
    }

    record Result(int status, String out, String err) {}

    private static Result run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).start();
        p.getOutputStream().close();
        // read both streams fully; the commands here print little
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", argv) + " did not end");
        }
        return new Result(p.exitValue(), out, err);
    }
}
