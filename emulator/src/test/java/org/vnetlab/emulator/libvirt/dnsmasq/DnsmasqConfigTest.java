package org.vnetlab.emulator.libvirt.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.ArticleDocuments;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkStartException;
import org.vnetlab.emulator.libvirt.NetworkXmlParser;
import org.vnetlab.emulator.libvirt.SharedData;
import org.vnetlab.emulator.libvirt.TextDiff;

/**
 * libvirt's networkxml2conftest, replayed: each network XML of libvirt's test data must give the dnsmasq.conf
 * (and hosts file) libvirt's test expects, byte for byte. Three expected files come without their XML in the
 * reference set; their inputs are rebuilt here from a sibling XML, as the comments say.
 */
class DnsmasqConfigTest {
    private static final Path CONF = SharedData.libvirt("tests/networkxml2confdata");

    /** One libvirt test: input XML (possibly edited), expected conf file, the dnsmasq capabilities the test used. */
    record Case(String name, Path xml, UnaryOperator<String> edit, Path expectedConf, DnsmasqCaps caps) {
        @Override public String toString() { return name; }

        NetworkDefinition definition() throws InputException {
            return NetworkXmlParser.parse(xml.getFileName().toString(), edit.apply(SharedData.read(xml)));
        }
    }

    private static Case plain(String name, DnsmasqCaps caps) {
        return new Case(name, CONF.resolve(name + ".xml"), UnaryOperator.identity(), CONF.resolve(name + ".conf"), caps);
    }

    static Stream<Case> cases() {
        return Stream.of(
                plain("nat-network", DnsmasqCaps.FULL),
                plain("nat-network-mtu", DnsmasqCaps.FULL),
                plain("isolated-network", DnsmasqCaps.FULL),
                plain("nat-network-dns-forwarders", DnsmasqCaps.FULL),
                plain("nat-network-dns-forwarder-no-resolv", DnsmasqCaps.FULL),
                plain("nat-network-dns-forward-plain", DnsmasqCaps.FULL),
                // libvirt runs this one with "restricted" caps (dnsmasq 2.48): bind-interfaces + listen-address
                plain("netboot-network", DnsmasqCaps.RESTRICTED),
                plain("dnsmasq-options", DnsmasqCaps.FULL),
                plain("leasetime-seconds", DnsmasqCaps.FULL),
                // the routed network's current .conf is derived (the copied upstream one predates today's generator)
                new Case("routed-network", CONF.resolve("routed-network.xml"), UnaryOperator.identity(),
                        SharedData.libvirt("derived/networkxml2confdata/routed-network.conf"), DnsmasqCaps.FULL),
                // input rebuilt: routed-network.xml with DNS switched off
                new Case("routed-network-no-dns", CONF.resolve("routed-network.xml"),
                        x -> x.replace("  <ip ", "  <dns enable='no'/>\n  <ip "),
                        CONF.resolve("routed-network-no-dns.conf"), DnsmasqCaps.FULL),
                // input rebuilt: leasetime-seconds.xml with an expiry of 0, libvirt's "infinite"
                new Case("leasetime-infinite", CONF.resolve("leasetime-seconds.xml"),
                        x -> x.replace("<lease expiry='200' unit='seconds'/>", "<lease expiry='0'/>"),
                        CONF.resolve("leasetime-infinite.conf"), DnsmasqCaps.FULL),
                // input rebuilt from the expected conf: an IPv4 DHCP range plus an IPv6 one (::1:10 - ::1:ff)
                new Case("dhcp6-nat-network", CONF.resolve("nat-network.xml"), x -> DHCP6_NAT_NETWORK,
                        CONF.resolve("dhcp6-nat-network.conf"), DnsmasqCaps.FULL));
    }

    private static final String DHCP6_NAT_NETWORK = """
            <network>
              <name>default</name>
              <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>
              <forward dev='eth1' mode='nat'/>
              <bridge name='virbr0' stp='on' delay='0'/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'/>
                </dhcp>
              </ip>
              <ip family='ipv6' address='2001:db8:ac10:fd01::1' prefix='64'>
                <dhcp>
                  <range start='2001:db8:ac10:fd01::1:10' end='2001:db8:ac10:fd01::1:ff'/>
                </dhcp>
              </ip>
              <ip family='ipv4' address='10.24.10.1'>
              </ip>
            </network>
            """;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void confMatchesLibvirtByteForByte(Case c) throws InputException, NetworkStartException {
        DnsmasqConfig generated = DnsmasqConfig.generate(c.definition(), DnsmasqConfig.Options.libvirtDefaults().withCaps(c.caps()));
        TextDiff.assertSameText(SharedData.libvirt().relativize(c.expectedConf()).toString(),
                SharedData.read(c.expectedConf()), generated.conf());
    }

    @Test
    void everyExpectedConfInTheReferenceSetHasACase() {
        Set<String> covered = cases().map(c -> c.expectedConf().getFileName().toString()).collect(Collectors.toSet());
        Set<String> present = SharedData.list(CONF, ".conf").stream().map(p -> p.getFileName().toString())
                .collect(Collectors.toSet());
        assertThat(covered).containsAll(present);
    }

    @Test
    void hostsFileMatchesLibvirtByteForByte() throws InputException, NetworkStartException {
        NetworkDefinition def = NetworkXmlParser.parse(CONF.resolve("leasetime-seconds.xml"));
        DnsmasqConfig generated = DnsmasqConfig.generate(def, DnsmasqConfig.Options.libvirtDefaults());
        TextDiff.assertSameText("leasetime-seconds.hostsfile", SharedData.read(CONF.resolve("leasetime-seconds.hostsfile")),
                generated.hostsFile());
        assertThat(generated.hostsFilePath()).isEqualTo("/var/lib/libvirt/dnsmasq/default.hostsfile");
        assertThat(generated.confPath()).isEqualTo("/var/lib/libvirt/dnsmasq/default.conf");
    }

    /**
     * The conf a real host's dnsmasq ran for the article's network. It was written by a test rig, so its files
     * live under {@code /tmp/vo-oracle.4jT0KJ} and its header is one line of its own instead of libvirt's six;
     * it names a pid file, as libvirt does when it really starts dnsmasq. Everything else is libvirt's text.
     */
    @Test
    void articleNetworkMatchesTheConfARealHostRan() throws InputException, NetworkStartException {
        List<String> captured = SharedData.read(SharedData.root().resolve("ref/captures/article/dnsmasq-default.conf"))
                .lines().toList();
        String dir = "/tmp/vo-oracle.4jT0KJ";
        DnsmasqConfig generated = DnsmasqConfig.generate(NetworkXmlParser.parse("dumpxml", ArticleDocuments.dumpXml()),
                DnsmasqConfig.Options.libvirtDefaults().withStateDir(dir).withPidFile(dir + "/default.pid"));
        List<String> ours = generated.conf().lines().toList();

        assertThat(captured.get(0)).startsWith("##WARNING:  THIS IS AN AUTO-GENERATED FILE");
        assertThat(ours.subList(0, 6)).allMatch(l -> l.startsWith("##"));
        TextDiff.assertSameText("dnsmasq-default.conf (after its header line)",
                String.join("\n", captured.subList(1, captured.size())),
                String.join("\n", ours.subList(6, ours.size())));
    }

    @Test
    void dnsHostsGoToTheAdditionalHostsFileGroupedByAddress() throws InputException, NetworkStartException {
        String xml = SharedData.read(CONF.resolve("nat-network.xml")).replace("</network>", """
                  <dns>
                    <host ip='192.168.122.5'><hostname>alpha</hostname><hostname>alpha.lan</hostname></host>
                    <host ip='192.168.122.6'><hostname>beta</hostname></host>
                    <host ip='192.168.122.5'><hostname>gamma</hostname></host>
                  </dns>
                </network>
                """);
        DnsmasqConfig generated = DnsmasqConfig.generate(NetworkXmlParser.parse("hosts.xml", xml),
                DnsmasqConfig.Options.libvirtDefaults());
        assertThat(generated.addnHosts()).isEqualTo("192.168.122.5\talpha\talpha.lan\tgamma\t\n192.168.122.6\tbeta\t\n");
        assertThat(generated.hostsFile()).isEqualTo(
                "00:16:3e:77:e2:ed,192.168.122.10,a.example.com\n00:16:3e:3e:a9:1a,192.168.122.11,b.example.com\n");
    }

    @Test
    void srvTxtDomainAndLocalPtrLines() throws InputException, NetworkStartException {
        String xml = SharedData.read(CONF.resolve("nat-network.xml"))
                .replace("<ip address='192.168.122.1' netmask='255.255.255.0'>",
                        "<ip address='192.168.122.1' netmask='255.255.255.0' localPtr='yes'>")
                .replace("</network>", """
                          <domain name='example.com' localOnly='yes'/>
                          <dns forwardPlainNames='no'>
                            <txt name='example' value='example value'/>
                            <srv service='name' protocol='tcp' domain='test-domain-name' target='.' port='1024'/>
                            <srv service='ldap' protocol='tcp' target='ldap.example.com' weight='5'/>
                          </dns>
                        </network>
                        """);
        String conf = DnsmasqConfig.generate(NetworkXmlParser.parse("srv.xml", xml), DnsmasqConfig.Options.libvirtDefaults()).conf();
        assertThat(conf).contains("strict-order\nlocal=/example.com/\ndomain=example.com\nexpand-hosts\n"
                + "local=/122.168.192.in-addr.arpa/\ndomain-needed\nlocal=//\nexcept-interface=lo\n");
        assertThat(conf).contains("interface=virbr0\ntxt-record=example,example value\n"
                + "srv-host=_name._tcp.test-domain-name\nsrv-host=_ldap._tcp,ldap.example.com,1,0,5\ndhcp-range=");
    }

    @Test
    void staticHostsWithoutARangeStillEnableDhcp() throws InputException, NetworkStartException {
        String xml = SharedData.read(CONF.resolve("nat-network.xml"))
                .replace("      <range start='192.168.122.2' end='192.168.122.254'/>\n", "");
        String conf = DnsmasqConfig.generate(NetworkXmlParser.parse("static.xml", xml), DnsmasqConfig.Options.libvirtDefaults()).conf();
        assertThat(conf).contains("dhcp-range=192.168.122.1,static\ndhcp-no-override\ndhcp-authoritative\n");
        assertThat(conf).doesNotContain("dhcp-lease-max");
    }

    @Test
    void twoIpv4DhcpDefinitionsStopTheNetwork() throws InputException, NetworkStartException {
        String xml = SharedData.read(CONF.resolve("nat-network.xml")).replace(
                "<ip family='ipv4' address='10.24.10.1'>\n  </ip>",
                "<ip family='ipv4' address='10.24.10.1'><dhcp><range start='10.24.10.2' end='10.24.10.9'/></dhcp></ip>");
        NetworkDefinition def = NetworkXmlParser.parse("two.xml", xml);
        assertThatThrownBy(() -> DnsmasqConfig.generate(def, DnsmasqConfig.Options.libvirtDefaults()))
                .isInstanceOf(NetworkStartException.class)
                .hasMessage("For IPv4, multiple DHCP definitions cannot be specified.");
    }

    @Test
    void dhcp6NeedsAModernDnsmasq() throws InputException, NetworkStartException {
        NetworkDefinition def = NetworkXmlParser.parse("dhcp6.xml", DHCP6_NAT_NETWORK);
        DnsmasqCaps dnsmasq263 = new DnsmasqCaps(true, false, false, false); // has bind-dynamic, predates DHCPv6
        assertThatThrownBy(() -> DnsmasqConfig.generate(def, DnsmasqConfig.Options.libvirtDefaults().withCaps(dnsmasq263)))
                .isInstanceOf(NetworkStartException.class).hasMessageContaining("Version 2.64 or later");
    }

    @Test
    void publicAddressesNeedBindDynamic() throws InputException, NetworkStartException {
        String xml = SharedData.read(CONF.resolve("netboot-network.xml")).replace("192.168.122.", "203.0.113.");
        NetworkDefinition def = NetworkXmlParser.parse("public.xml", xml);
        assertThatThrownBy(() -> DnsmasqConfig.generate(def,
                DnsmasqConfig.Options.libvirtDefaults().withCaps(DnsmasqCaps.RESTRICTED)))
                .isInstanceOf(NetworkStartException.class).hasMessageContaining("CVE-2012-3411");
        assertThat(DnsmasqConfig.generate(def, DnsmasqConfig.Options.libvirtDefaults()).conf()).contains("bind-dynamic\n");
    }

    @Test
    void whenLibvirtStartsDnsmasqAtAll() throws InputException, NetworkStartException {
        assertThat(DnsmasqConfig.needed(NetworkXmlParser.parse(CONF.resolve("nat-network.xml")))).isTrue();
        NetworkDefinition routedNoDns = NetworkXmlParser.parse("r.xml",
                SharedData.read(CONF.resolve("routed-network.xml")).replace("  <ip ", "  <dns enable='no'/>\n  <ip "));
        assertThat(DnsmasqConfig.needed(routedNoDns)).as("no DHCP and DNS off: no dnsmasq").isFalse();
        assertThat(Optional.of(DnsmasqConfig.needed(NetworkXmlParser.parse(CONF.resolve("routed-network.xml"))))).hasValue(true);
    }
}
