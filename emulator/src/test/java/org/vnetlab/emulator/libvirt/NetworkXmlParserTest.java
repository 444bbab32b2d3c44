package org.vnetlab.emulator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.NetworkDefinition.ForwardMode;
import org.vnetlab.emulator.libvirt.NetworkDefinition.IpDefinition;
import org.vnetlab.emulator.libvirt.NetworkDefinition.LeaseUnit;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Tristate;
import org.vnetlab.emulator.libvirt.xml.SecureXmlReader;
import org.vnetlab.protocols.MacAddress;

class NetworkXmlParserTest {

    static Stream<Path> libvirtNetworkXml() {
        List<Path> all = new ArrayList<>();
        for (String dir : List.of("tests/networkxml2confdata", "tests/networkxml2firewalldata",
                "derived/networkxml2firewalldata")) {
            all.addAll(SharedData.list(SharedData.libvirt(dir), ".xml"));
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("libvirtNetworkXml")
    void everyLibvirtTestNetworkIsAccepted(Path xml) throws InputException {
        NetworkDefinition def = NetworkXmlParser.parse(xml);
        assertThat(def.name()).isNotEmpty();
        assertThat(def.bridgeName()).isPresent();
    }

    @Test
    void theArticlesDumpxmlIsTheDefaultNatNetwork() throws InputException {
        NetworkDefinition def = NetworkXmlParser.parse("dumpxml", ArticleDocuments.dumpXml());

        assertThat(def.name()).isEqualTo("default");
        assertThat(def.connections()).hasValue(1);
        assertThat(def.uuid()).hasValue("f1eff8aa-73e7-4573-8d36-571a85714777");
        assertThat(def.forward().mode()).isEqualTo(ForwardMode.NAT);
        assertThat(def.forward().natPorts()).hasValue(new NetworkDefinition.PortRange(1024, 65535));
        assertThat(def.forward().uplink()).isEmpty();
        assertThat(def.bridgeName()).hasValue("virbr0");
        assertThat(def.bridge().get().stp()).hasValue(true);
        assertThat(def.bridge().get().delay()).hasValue(0);
        assertThat(def.mac()).hasValue(MacAddress.parse("52:54:00:73:62:06"));
        assertThat(def.dns().enabled()).isTrue();
        assertThat(def.ips()).hasSize(1);
        IpDefinition ip = def.ips().get(0);
        assertThat(ip.address()).hasToString("192.168.122.1");
        assertThat(ip.prefix()).isEqualTo(24);
        assertThat(ip.ranges()).singleElement().satisfies(r -> {
            assertThat(r.start()).hasToString("192.168.122.2");
            assertThat(r.end()).hasToString("192.168.122.254");
            assertThat(r.addressCount(ip.address(), ip.prefix())).isEqualTo(253);
        });
    }

    @Test
    void theArticlesSolution2IsRefusedAtTheDnsLine() {
        assertThatThrownBy(() -> NetworkXmlParser.parse("default.xml", ArticleDocuments.solution2Edit()))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.file()).isEqualTo("default.xml");
                    assertThat(e.line()).isEqualTo(15);
                    assertThat(e.token()).isEqualTo("<dns>");
                    assertThat(e.problem()).isEqualTo(
                            "element \"dns\" not allowed here; expected the element end-tag or element \"tftp\"");
                    assertThat(e.hint()).hasValue("<dns> belongs directly under <network>, not inside <ip>");
                    assertThat(e.getMessage()).startsWith("default.xml:15:");
                });
    }

    @Test
    void theCorrectedSolution2ForwardsToTwoServers() throws InputException {
        NetworkDefinition def = NetworkXmlParser.parse("fixed.xml", ArticleDocuments.solution2Corrected());
        assertThat(def.dns().enable()).isEqualTo(Tristate.YES);
        assertThat(def.dns().forwarders()).extracting(f -> f.address().get().toString())
                .containsExactly("8.8.8.8", "1.1.1.1");
    }

    @Test
    void leaseTimesDhcpHostsAndForwardInterfaces() throws InputException {
        NetworkDefinition def = NetworkXmlParser.parse(
                SharedData.libvirt("tests/networkxml2confdata/leasetime-seconds.xml"));
        assertThat(def.forward().uplink()).hasValue("eth1");
        IpDefinition ip = def.ips().get(0);
        assertThat(ip.ranges().get(0).lease()).hasValueSatisfying(l -> {
            assertThat(l.expiry()).isEqualTo(200);
            assertThat(l.unit()).isEqualTo(LeaseUnit.SECONDS);
            assertThat(l.dnsmasqForm()).isEqualTo("200s");
        });
        assertThat(ip.hosts()).extracting(h -> h.mac().get().toString() + " " + h.ip() + " " + h.name().get())
                .containsExactly("00:16:3e:77:e2:ed 192.168.122.10 a.example.com",
                        "00:16:3e:3e:a9:1a 192.168.122.11 b.example.com");
    }

    @Test
    void ipWithoutNetmaskGetsTheClassfulPrefixAndIpv6Sixty4() throws InputException {
        NetworkDefinition def = NetworkXmlParser.parse(SharedData.libvirt("tests/networkxml2confdata/nat-network.xml"));
        assertThat(def.ips()).extracting(i -> i.address() + "/" + i.prefix()).containsExactly(
                "192.168.122.1/24", "192.168.123.1/24", "2001:db8:ac10:fe01::1/64", "2001:db8:ac10:fd01::1/64",
                "10.24.10.1/8");
    }

    @Test
    void dnsmasqNamespaceOptionsPassThrough() throws InputException {
        NetworkDefinition def = NetworkXmlParser.parse(SharedData.libvirt("tests/networkxml2confdata/dnsmasq-options.xml"));
        assertThat(def.dnsmasqOptions()).containsExactly("foo=bar", "cname=*.cloudapps.example.com,master.example.com");
    }

    @Test
    void elementsTheEmulatorDoesNotActOnAreListedNotDropped() throws InputException {
        String xml = SharedData.read(SharedData.libvirt("tests/networkxml2confdata/nat-network.xml")).replace("</network>", """
                  <bandwidth><inbound average='1000'/></bandwidth>
                  <port isolated='yes'/>
                  <metadata><x:y xmlns:x='urn:x'/></metadata>
                </network>
                """);
        NetworkDefinition def = NetworkXmlParser.parse("extra.xml", xml);
        assertThat(def.unmodelled()).singleElement().satisfies(u -> {
            assertThat(u.element()).isEqualTo("bandwidth");
            assertThat(u.line()).isEqualTo(21);
        });
        assertThat(def.portIsolated()).isEqualTo(Tristate.YES);
    }

    @Test
    void forwardWithoutModeIsNat() throws InputException {
        NetworkDefinition def = NetworkXmlParser.parse(SharedData.libvirt("tests/networkxml2firewalldata/nat-tftp.xml"));
        assertThat(def.forward().mode()).isEqualTo(ForwardMode.NAT);
        assertThat(def.ips().get(0).tftpRoot()).hasValue("/some/dir");
    }

    // ---- refusals: XML safety ----

    @Test
    void billionLaughsIsRefusedBeforeAnyExpansion() {
        String laughs = """
                <?xml version="1.0"?>
                <!DOCTYPE network [
                  <!ENTITY lol "lol">
                  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
                  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
                  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
                  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
                  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
                  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
                  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
                  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
                ]>
                <network><name>&lol9;</name></network>
                """;
        assertThatThrownBy(() -> NetworkXmlParser.parse("laughs.xml", laughs))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.token()).isEqualTo("<!DOCTYPE");
                    assertThat(e.problem()).contains("document type declarations are not allowed");
                    assertThat(e.getMessage()).doesNotContain("lollol");
                });
    }

    @Test
    void externalEntityToALocalFileIsRefusedAndNothingIsRead(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE network [ <!ENTITY x SYSTEM \"" + secret.toUri() + "\"> ]>\n"
                + "<network><name>&x;</name></network>\n";
        assertThatThrownBy(() -> NetworkXmlParser.parse("xxe.xml", xxe))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.token()).isEqualTo("<!DOCTYPE");
                    assertThat(e.problem()).contains("no external entities");
                    assertThat(e.getMessage()).doesNotContain("TOP-SECRET-CONTENT");
                });
    }

    @Test
    void externalDtdIsRefusedToo() {
        String xml = "<!DOCTYPE network SYSTEM \"http://example.invalid/network.dtd\">\n<network><name>n</name></network>";
        assertThatThrownBy(() -> NetworkXmlParser.parse("dtd.xml", xml))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.token()).isEqualTo("<!DOCTYPE"));
    }

    @Test
    void anUndeclaredEntityIsAWellFormednessErrorWithItsLine() {
        String xml = "<network>\n  <name>&nope;</name>\n</network>\n";
        assertThatThrownBy(() -> NetworkXmlParser.parse("ent.xml", xml))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.problem()).startsWith("not well-formed XML").contains("nope");
                });
    }

    @Test
    void oversizedInputIsRefusedBeforeParsing() {
        byte[] big = new byte[SecureXmlReader.MAX_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThatThrownBy(() -> NetworkXmlParser.parse("big.xml", big))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.problem()).contains("limited to 1048576 bytes"));
    }

    @Test
    void deepNestingIsRefused() {
        StringBuilder sb = new StringBuilder("<network><name>n</name><metadata>");
        for (int i = 0; i < 100; i++) sb.append("<a>");
        for (int i = 0; i < 100; i++) sb.append("</a>");
        sb.append("</metadata></network>");
        assertThatThrownBy(() -> NetworkXmlParser.parse("deep.xml", sb.toString()))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.problem()).contains("nested deeper"));
    }

    // ---- refusals: libvirt's checks beyond the grammar ----

    private static InputException refusal(String find, String replace) {
        String base = SharedData.read(SharedData.libvirt("tests/networkxml2confdata/nat-network.xml"));
        assertThat(base).contains(find);
        String xml = base.replace(find, replace);
        try {
            NetworkXmlParser.parse("net.xml", xml.getBytes(StandardCharsets.UTF_8));
        } catch (InputException e) {
            return e;
        }
        throw new AssertionError("accepted: " + xml);
    }

    @Test
    void rangeOutsideItsNetwork() {
        InputException e = refusal("end='192.168.122.254'", "end='192.168.123.254'");
        assertThat(e.line()).isEqualTo(8);
        assertThat(e.problem()).isEqualTo(
                "range 192.168.122.2 - 192.168.123.254 is not entirely within network 192.168.122.0/24");
    }

    @Test
    void rangeReversedOrOnTheBroadcastAddress() {
        assertThat(refusal("start='192.168.122.2' end='192.168.122.254'", "start='192.168.122.200' end='192.168.122.20'")
                .problem()).endsWith("is reversed");
        assertThat(refusal("end='192.168.122.254'", "end='192.168.122.255'").problem())
                .endsWith("is the broadcast address");
    }

    @Test
    void forwarderWithNeitherAddressNorDomain() {
        InputException e = refusal("</network>", "  <dns><forwarder/></dns>\n</network>");
        assertThat(e.problem()).isEqualTo("Invalid forwarder element, must contain at least one of addr or domain");
    }

    @Test
    void disabledDnsWithForwarders() {
        InputException e = refusal("</network>", "  <dns enable='no'><forwarder addr='8.8.8.8'/></dns>\n</network>");
        assertThat(e.token()).isEqualTo("enable='no'");
        assertThat(e.hint()).isPresent();
    }

    @Test
    void natElementOutsideNatMode() {
        InputException e = refusal("<forward dev='eth1' mode='nat'/>",
                "<forward mode='route'><nat><port start='1024' end='65535'/></nat></forward>");
        assertThat(e.problem()).isEqualTo("The <nat> element can only be used when <forward> 'mode' is 'nat'");
    }

    @Test
    void forwardDevMustMatchTheFirstInterface() {
        InputException e = refusal("<forward dev='eth1' mode='nat'/>",
                "<forward dev='eth1' mode='nat'><interface dev='eth2'/></forward>");
        assertThat(e.token()).isEqualTo("dev='eth1'");
    }

    @Test
    void familyAttributeMustMatchTheAddress() {
        InputException e = refusal("family='ipv4' address='192.168.123.1'", "family='ipv6' address='192.168.123.1'");
        assertThat(e.problem()).isEqualTo("family 'ipv6' specified for IPv4 address '192.168.123.1'");
    }

    @Test
    void netmaskWithHoles() {
        InputException e = refusal("address='192.168.123.1' netmask='255.255.255.0'", "address='192.168.123.1' netmask='255.0.255.0'");
        assertThat(e.problem()).contains("not contiguous");
    }

    @Test
    void macAddressInAnIpv6Host() {
        InputException e = refusal("<ip family='ipv6' address='2001:db8:ac10:fe01::1' prefix='64'>\n  </ip>",
                "<ip family='ipv6' address='2001:db8:ac10:fe01::1' prefix='64'>\n"
                        + "    <dhcp><host mac='00:16:3e:77:e2:ed' ip='2001:db8:ac10:fe01::10'/></dhcp>\n  </ip>");
        assertThat(e.problem()).startsWith("Invalid to specify MAC address");
    }

    @Test
    void ipElementsAreRefusedOnAHostBridgeNetwork() {
        InputException e = refusal("<forward dev='eth1' mode='nat'/>", "<forward mode='bridge'/>");
        assertThat(e.problem()).isEqualTo("Unsupported <ip> element in network default with forward mode='bridge'");
    }

    @Test
    void dhcp6RangesAreCounted() throws InputException {
        NetworkDefinition def = NetworkXmlParser.parse(SharedData.libvirt("tests/networkxml2firewalldata/isolated.xml"));
        IpDefinition v6 = def.ips(IpAddress.Family.IPV6).get(0);
        assertThat(v6.ranges().get(0).addressCount(v6.address(), v6.prefix())).isEqualTo(240);
        assertThat(def.forward().mode()).isEqualTo(ForwardMode.NONE);
        assertThat(Optional.of(v6.network().toString())).hasValue("2001:db8:ca2:2::");
    }
}
