package org.vnetlab.emulator.hostconf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.hostconf.Detection.Confidence;

class HostDumpFileTest {
    private static final Map<String, DumpKind> FIXTURES = Map.ofEntries(
            Map.entry("route/article-route-n.txt", DumpKind.ROUTE_N),
            Map.entry("route/lab-netstat-rn.txt", DumpKind.ROUTE_N),
            Map.entry("route/lab-ip-route.txt", DumpKind.IP_ROUTE),
            Map.entry("route/lab-ip-route-all.txt", DumpKind.IP_ROUTE),
            Map.entry("route/lab-ip-d-route.txt", DumpKind.IP_ROUTE),
            Map.entry("route/desktop-ip-route.txt", DumpKind.IP_ROUTE),
            Map.entry("route/article-host-ip-route.txt", DumpKind.IP_ROUTE),
            Map.entry("iface/article-ip-addr-virbr0.txt", DumpKind.IP_ADDR),
            Map.entry("iface/lab-ip-addr.txt", DumpKind.IP_ADDR),
            Map.entry("iface/lab-ip-link.txt", DumpKind.IP_ADDR),
            Map.entry("iface/desktop-ip-addr.txt", DumpKind.IP_ADDR),
            Map.entry("iface/lab-ip-br-addr.txt", DumpKind.IP_ADDR_BRIEF),
            Map.entry("iface/lab-ip-br-link.txt", DumpKind.IP_ADDR_BRIEF),
            Map.entry("sysctl/oracle-sysctl-a.txt", DumpKind.SYSCTL_DUMP),
            Map.entry("sysctl/article-sysctl.conf", DumpKind.SYSCTL_CONF),
            Map.entry("sysctl/s.conf", DumpKind.SYSCTL_CONF),
            Map.entry("sysctl/g.conf", DumpKind.SYSCTL_CONF),
            Map.entry("resolv/article-resolv.conf", DumpKind.RESOLV_CONF),
            Map.entry("resolv/systemd-stub-resolv.conf", DumpKind.RESOLV_CONF),
            Map.entry("resolv/networkmanager-resolv.conf", DumpKind.RESOLV_CONF),
            Map.entry("resolv/messy-resolv.conf", DumpKind.RESOLV_CONF),
            Map.entry("guest/article-ipconfig.txt", DumpKind.IPCONFIG),
            Map.entry("guest/win10-ipconfig-all.txt", DumpKind.IPCONFIG),
            Map.entry("guest/linux-guest-ip-route.txt", DumpKind.IP_ROUTE));

    @Test
    void recognisesEveryFixtureByContent() {
        FIXTURES.forEach((path, kind) -> assertThat(HostDumpFile.detect(Fixtures.read(path))).as(path)
                .isInstanceOfSatisfying(Detection.Recognised.class, r -> assertThat(r.kind()).as(path).isEqualTo(kind)));
    }

    @Test
    void recognisesLibvirtsOwnFormatsFromTheSharedReference() throws IOException {
        var ref = Fixtures.shared().resolve("ref/libvirt");
        assertThat(kind(Files.readString(ref.resolve("derived/networkxml2firewalldata/nat-default.xml")))).isEqualTo(DumpKind.NETWORK_XML);
        assertThat(kind(Files.readString(ref.resolve("derived/default-network.iptables-save.txt")))).isEqualTo(DumpKind.IPTABLES_SAVE);
        assertThat(kind(Files.readString(ref.resolve("derived/default-network.nft-list.txt")))).isEqualTo(DumpKind.NFT_RULESET);
    }

    @Test
    void recognisesTheArticlesPastes() {
        assertThat(kind(Fixtures.articleBlock("<network connections='1'>"))).isEqualTo(DumpKind.NETWORK_XML);
        assertThat(kind(Fixtures.articleBlock("*nat"))).isEqualTo(DumpKind.IPTABLES_SAVE);
        assertThat(kind(Fixtures.articleBlock("*filter"))).isEqualTo(DumpKind.IPTABLES_SAVE);
    }

    @Test
    void libvirtNetworkConfIsKnownByItsSetting() {
        assertThat(kind("# Master configuration file for the network driver.\n#firewall_backend = \"nftables\"\n"))
                .isEqualTo(DumpKind.LIBVIRT_NETWORK_CONF);
    }

    @Test
    void aSingleSysctlAnswerIsADump() {
        assertThat(HostDumpFile.detect("net.ipv4.ip_forward = 1\n")).isInstanceOfSatisfying(Detection.Recognised.class, r -> {
            assertThat(r.kind()).isEqualTo(DumpKind.SYSCTL_DUMP);
            assertThat(r.confidence()).isEqualTo(Confidence.HIGH);
        });
    }

    @Test
    void strayLinesLowerTheConfidenceAndSaySo() {
        Detection d = HostDumpFile.detect("default via 192.168.0.1 dev enp3s0\n192.168.0.0/24 dev enp3s0\nsome note\n");
        assertThat(d).isInstanceOfSatisfying(Detection.Recognised.class, r -> {
            assertThat(r.kind()).isEqualTo(DumpKind.IP_ROUTE);
            assertThat(r.confidence()).isEqualTo(Confidence.MEDIUM);
            assertThat(r.explanation()).contains("2 of 3");
        });
    }

    @Test
    void commentsOnlyIsAmbiguous() {
        assertThat(HostDumpFile.detect("# nothing here\n# really\n")).isInstanceOf(Detection.Ambiguous.class);
    }

    @Test
    void unknownEmptyAndBinaryAreSaid() {
        assertThat(HostDumpFile.detect("Dear diary,\ntoday the VM had no internet.\n")).isInstanceOf(Detection.Unknown.class);
        assertThat(HostDumpFile.detect("  \n\n")).isInstanceOfSatisfying(Detection.Unknown.class,
                u -> assertThat(u.explanation()).isEqualTo("empty file"));
        assertThat(HostDumpFile.detect("abc\0def")).isInstanceOf(Detection.Unknown.class);
    }

    @Test
    void twoFormatsPastedTogetherAreAmbiguous() {
        String both = Fixtures.read("route/article-route-n.txt") + Fixtures.read("iface/article-ip-addr-virbr0.txt");
        assertThat(HostDumpFile.detect(both)).isInstanceOfSatisfying(Detection.Ambiguous.class,
                a -> assertThat(a.candidates()).containsExactlyInAnyOrder(DumpKind.ROUTE_N, DumpKind.IP_ADDR));
    }

    private static DumpKind kind(String text) {
        Detection d = HostDumpFile.detect(text);
        assertThat(d).isInstanceOf(Detection.Recognised.class);
        return ((Detection.Recognised) d).kind();
    }
}
