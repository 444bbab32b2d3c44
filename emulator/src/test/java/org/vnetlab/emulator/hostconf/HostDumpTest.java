package org.vnetlab.emulator.hostconf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;

class HostDumpTest {
    @TempDir
    Path dir;

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    /** The article's host, file by file as the user pasted it. */
    private void articleHost() throws IOException {
        write("net-default.xml", Fixtures.articleBlock("<network connections='1'>"));
        write("iptables.txt", Fixtures.articleBlock("*nat") + Fixtures.articleBlock("*filter"));
        write("route.txt", Fixtures.read("route/article-route-n.txt"));
        write("virbr0.txt", Fixtures.read("iface/article-ip-addr-virbr0.txt"));
        write("sysctl.conf", Fixtures.read("sysctl/article-sysctl.conf"));
        write("resolv.conf", Fixtures.read("resolv/article-resolv.conf"));
        write("guest.txt", Fixtures.read("guest/article-ipconfig.txt"));
    }

    @Test
    void loadsTheArticlesHostAndHasEverythingItNeeds() throws Exception {
        articleHost();
        HostDump d = HostDump.load(dir);
        assertThat(d.missing()).isEmpty();
        assertThat(d.kinds()).contains(DumpKind.NETWORK_XML, DumpKind.IPTABLES_SAVE, DumpKind.ROUTE_N, DumpKind.IP_ADDR,
                DumpKind.SYSCTL_CONF, DumpKind.RESOLV_CONF, DumpKind.IPCONFIG);
        assertThat(d.routingTable().orElseThrow().lookup(Ipv4Address.parse("8.8.8.8")).orElseThrow().metric()).isZero();
        assertThat(d.interfaces().orElseThrow().byName("virbr0")).isPresent();
        var sysctls = d.sysctls().orElseThrow();
        assertThat(sysctls.exitStatus()).isZero();
        assertThat(sysctls.state().forwarding("virbr0")).isTrue();
        assertThat(sysctls.state().get("vm.swappiness")).contains("10");
        assertThat(d.resolvConf().orElseThrow().usedNameservers()).containsExactly("8.8.8.8", "1.1.1.1");
        assertThat(d.guestIpconfig().orElseThrow().defaultGateway()).contains(Ipv4Address.parse("192.168.122.1"));
        assertThat(d.networkXmls()).containsKey("net-default.xml");
        assertThat(d.iptablesSave()).hasValueSatisfying(t -> assertThat(t).contains("LIBVIRT_PRT"));
        assertThat(d.notes()).isEmpty();
    }

    @Test
    void listsWhatIsMissing() throws Exception {
        write("route.txt", Fixtures.read("route/article-route-n.txt"));
        HostDump d = HostDump.load(dir);
        assertThat(d.missing()).containsExactly("libvirt network (virsh net-dumpxml)", "firewall rules (iptables-save)",
                "interfaces (ip addr / ip link)", "sysctls (sysctl -a)", "resolver (resolv.conf)");
    }

    @Test
    void aFileThatIsRecognisedButBrokenFailsTheLoadWithItsPosition() throws Exception {
        articleHost();
        write("route.txt", Fixtures.read("route/article-route-n.txt").replace("255.255.255.0   U     0", "255.255.0.255   U     0"));
        assertThatThrownBy(() -> HostDump.load(dir)).isInstanceOfSatisfying(InputException.class, e -> {
            assertThat(e.file()).isEqualTo("route.txt");
            assertThat(e.line()).isEqualTo(5);
            assertThat(e.column()).isEqualTo(33);
        });
    }

    @Test
    void refusesASymlinkLeavingTheFolder(@TempDir Path outside) throws Exception {
        Path secret = outside.resolve("shadow");
        Files.writeString(secret, "root:x:0:0\n");
        Files.createSymbolicLink(dir.resolve("resolv.conf"), secret);
        assertThatThrownBy(() -> HostDump.load(dir)).isInstanceOfSatisfying(InputException.class, e -> {
            assertThat(e.file()).isEqualTo("resolv.conf");
            assertThat(e.problem()).contains("leaves the dump folder");
        });
    }

    @Test
    void followsASymlinkInsideTheFolder() throws Exception {
        write("stub-resolv.conf", Fixtures.read("resolv/systemd-stub-resolv.conf"));
        Files.createSymbolicLink(dir.resolve("resolv.conf"), dir.resolve("stub-resolv.conf"));
        HostDump d = HostDump.load(dir);
        assertThat(d.resolvConfs()).hasSize(2).allMatch(r -> r.isSystemdResolvedStub());
    }

    @Test
    void enforcesTheSizeLimit() throws Exception {
        write("big.txt", "net.ipv4.ip_forward = 1\n".repeat(100));
        assertThatThrownBy(() -> HostDump.load(dir, 1000)).isInstanceOfSatisfying(InputException.class, e -> {
            assertThat(e.file()).isEqualTo("big.txt");
            assertThat(e.problem()).contains("1000-byte limit");
        });
        assertThat(HostDump.load(dir, 10_000).files()).hasSize(1);
    }

    @Test
    void rejectsTextThatIsNotUtf8() throws Exception {
        Files.write(dir.resolve("ipconfig.txt"), "Ethernet adapter Ethernet:".getBytes(StandardCharsets.UTF_16));
        assertThatThrownBy(() -> HostDump.load(dir)).isInstanceOfSatisfying(InputException.class,
                e -> assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("UTF-16")));
    }

    @Test
    void skipsSubfoldersHiddenFilesAndKeepsUnknownFilesWithANote() throws Exception {
        Files.createDirectory(dir.resolve("old"));
        write(".DS_Store", "junk");
        write("notes.txt", "the guest cannot reach the internet\nsince Tuesday\n");
        write("resolv.conf", "nameserver 1.1.1.1\n");
        HostDump d = HostDump.load(dir);
        assertThat(d.files()).extracting(DumpedFile::name).containsExactly("notes.txt", "resolv.conf");
        assertThat(d.notes()).anyMatch(n -> n.startsWith(".DS_Store: hidden"))
                .anyMatch(n -> n.startsWith("old: subfolder"))
                .anyMatch(n -> n.startsWith("notes.txt: not recognised"));
        assertThat(d.files().get(0).content()).isInstanceOf(DumpContent.Unrecognised.class);
    }

    @Test
    void aSysctlDumpWinsOverConfFiles() throws Exception {
        write("sysctl.txt", Fixtures.read("sysctl/oracle-sysctl-a.txt"));
        write("sysctl.conf", "net.ipv4.ip_forward=1\n");
        var s = HostDump.load(dir).sysctls().orElseThrow().state();
        assertThat(s.intValue("net.ipv4.ip_forward")).as("running state, not the boot-time file").isZero();
    }

    @Test
    void notAFolderIsAnError() throws Exception {
        write("file", "x");
        assertThatThrownBy(() -> HostDump.load(dir.resolve("file"))).isInstanceOf(InputException.class);
    }
}
