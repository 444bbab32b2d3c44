package org.vnetlab.emulator.libvirt.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.ArticleDocuments;
import org.vnetlab.emulator.libvirt.SharedData;
import org.vnetlab.emulator.libvirt.xml.SecureXmlReader;

/**
 * Our network grammar must reach the same verdict as libvirt's own RELAX NG schema run by Jing, on every
 * network XML in libvirt's test data, on the article's documents, and on a set of mutations (misplaced and
 * unknown elements, bad attribute values, missing parts); where both reject, on the same line.
 */
class NetworkSchemaAgreementTest {
    private static JingOracle jing;
    private static final List<String> report = new ArrayList<>();

    @BeforeAll
    static void loadSchema() {
        jing = new JingOracle();
    }

    @AfterAll
    static void printReport() {
        System.out.println("schema agreement with Jing (" + report.size() + " documents):");
        report.forEach(r -> System.out.println("  " + r));
    }

    record Doc(String name, String text, boolean expectValid) {
        @Override public String toString() { return name; }
    }

    static Stream<Arguments> documents() {
        List<Doc> docs = new ArrayList<>();
        for (String dir : List.of("tests/networkxml2confdata", "tests/networkxml2firewalldata",
                "derived/networkxml2firewalldata")) {
            for (Path p : SharedData.list(SharedData.libvirt(dir), ".xml")) {
                docs.add(new Doc(dir + "/" + p.getFileName(), SharedData.read(p), true));
            }
        }
        docs.add(new Doc("article dumpxml", ArticleDocuments.dumpXml(), true));
        docs.add(new Doc("article Solution 2 (<dns> inside <ip>)", ArticleDocuments.solution2Edit(), false));
        docs.add(new Doc("article Solution 2 corrected", ArticleDocuments.solution2Corrected(), true));
        docs.addAll(mutations());
        return docs.stream().map(d -> Arguments.of(d));
    }

    /** Each mutation replaces one piece of a valid document; expectValid says what libvirt's schema decides. */
    private static List<Doc> mutations() {
        String nat = SharedData.read(SharedData.libvirt("tests/networkxml2confdata/nat-network.xml"));
        String article = ArticleDocuments.dumpXml();
        List<Doc> m = new ArrayList<>();
        m.add(mut("unknown element under network", nat, "  <bridge", "  <bogus/>\n  <bridge", false));
        m.add(mut("unknown attribute on bridge", nat, "stp='on'", "stp='on' colour='red'", false));
        m.add(mut("stp yes instead of on", nat, "stp='on'", "stp='yes'", false));
        m.add(mut("multicast MAC on bridge", article, "52:54:00:73:62:06", "53:54:00:73:62:06", false));
        m.add(mut("upper-case MAC", article, "52:54:00:73:62:06", "52:54:00:73:6A:0F", true));
        m.add(mut("dns inside dhcp", nat, "    </dhcp>", "      <dns/>\n    </dhcp>", false));
        m.add(mut("dns after ip", nat, "</network>", "  <dns><forwarder addr='8.8.8.8'/></dns>\n</network>", true));
        m.add(mut("range without end", nat, " end='192.168.122.254'", "", false));
        m.add(mut("range without attributes", nat, "<range start='192.168.122.2' end='192.168.122.254'/>", "<range/>", false));
        m.add(mut("nat port start 0", article, "start='1024'", "start='0'", false));
        m.add(mut("nat port end 65536", article, "end='65535'", "end='65536'", false));
        m.add(mut("nat port with plus sign", article, "start='1024'", "start='+1024'", true));
        m.add(mut("forward mode padded", nat, "mode='nat'", "mode=' nat '", true));
        m.add(mut("forward mode upper case", nat, "mode='nat'", "mode='NAT'", false));
        m.add(mut("forward mode unknown", nat, "mode='nat'", "mode='masquerade'", false));
        m.add(mut("netmask and prefix together", nat, "netmask='255.255.255.0'>\n    <dhcp>",
                "netmask='255.255.255.0' prefix='24'>\n    <dhcp>", false));
        m.add(mut("prefix 129", nat, "prefix='64'", "prefix='129'", false));
        m.add(mut("netmask not dotted", nat, "netmask='255.255.255.0'>\n    <dhcp>", "netmask='24'>\n    <dhcp>", false));
        m.add(mut("uuid not hex", nat, "81ff0d90-c91e-6742-64da-4a736edb9a9b", "not-a-uuid", false));
        m.add(mut("uuid without dashes", nat, "81ff0d90-c91e-6742-64da-4a736edb9a9b", "81ff0d90c91e674264da4a736edb9a9b", true));
        m.add(mut("uuid with surrounding blanks", nat, "<uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>",
                "<uuid>\n    81ff0d90-c91e-6742-64da-4a736edb9a9b\n  </uuid>", false));
        m.add(mut("name missing", nat, "  <name>default</name>\n", "", false));
        m.add(mut("name twice", nat, "</network>", "  <name>again</name>\n</network>", false));
        m.add(mut("empty name", nat, "<name>default</name>", "<name></name>", true));
        m.add(mut("text inside ip", nat, "    <dhcp>", "    hello\n    <dhcp>", false));
        m.add(mut("text inside leaf dhcp", nat, "<ip family='ipv4' address='10.24.10.1'>\n  </ip>",
                "<ip family='ipv4' address='10.24.10.1'>\n    <dhcp>hello</dhcp>\n  </ip>", false));
        m.add(mut("element inside name", nat, "<name>default</name>", "<name>default<x/></name>", false));
        m.add(mut("dhcp host without mac or name", nat, "<host mac='00:16:3e:77:e2:ed' name='a.example.com' ip=",
                "<host ip=", false));
        m.add(mut("dhcp host with name only", nat, "<host mac='00:16:3e:77:e2:ed' name='a.example.com' ip=",
                "<host name='a.example.com' ip=", true));
        m.add(mut("dhcp host with id", nat, "<host mac='00:16:3e:77:e2:ed' name='a.example.com' ip=",
                "<host id='0:3:0:1:0:16:3e:11:22:33' name='a.example.com' ip=", true));
        m.add(mut("dhcp host with bad id", nat, "<host mac='00:16:3e:77:e2:ed' name='a.example.com' ip=",
                "<host id='0:9:0:1' ip=", false));
        m.add(mut("dhcp host without ip", nat, " ip='192.168.122.10'", "", false));
        m.add(mut("dns host without hostname", nat, "</network>", "  <dns><host ip='192.168.122.5'></host></dns>\n</network>", false));
        m.add(mut("dns hostname with underscore", nat, "</network>",
                "  <dns><host ip='192.168.122.5'><hostname>my_host</hostname></host></dns>\n</network>", false));
        m.add(mut("dns txt without value", nat, "</network>", "  <dns><txt name='example'/></dns>\n</network>", false));
        m.add(mut("dns srv sctp", nat, "</network>", "  <dns><srv service='name' protocol='sctp'/></dns>\n</network>", false));
        m.add(mut("dns srv full", nat, "</network>",
                "  <dns><srv service='name' protocol='tcp' domain='test-domain-name' target='.' port='1024' priority='10' weight='10'/></dns>\n</network>", true));
        m.add(mut("dns forwarder bad address", nat, "</network>", "  <dns><forwarder addr='8.8.8'/></dns>\n</network>", false));
        m.add(mut("dns forwarder ipv6", nat, "</network>", "  <dns><forwarder addr='2001:4860:4860::8888'/></dns>\n</network>", true));
        m.add(mut("dns enable maybe", nat, "</network>", "  <dns enable='maybe'/>\n</network>", false));
        m.add(mut("mtu too large", nat, "<bridge", "<mtu size='70000'/>\n  <bridge", false));
        m.add(mut("bridge delay padded", nat, "delay='0'", "delay=' 5 '", true));
        m.add(mut("bridge delay negative", nat, "delay='0'", "delay='-1'", false));
        m.add(mut("bridge name with space", nat, "name='virbr0'", "name='vir br0'", false));
        m.add(mut("connections with plus", article, "connections='1'", "connections='+1'", true));
        m.add(mut("connections negative", article, "connections='1'", "connections='-1'", false));
        m.add(mut("lease unit days", nat, "<range start='192.168.122.2' end='192.168.122.254'/>",
                "<range start='192.168.122.2' end='192.168.122.254'><lease expiry='2' unit='days'/></range>", false));
        m.add(mut("lease expiry with sign", nat, "<range start='192.168.122.2' end='192.168.122.254'/>",
                "<range start='192.168.122.2' end='192.168.122.254'><lease expiry='+2'/></range>", false));
        m.add(mut("forward interfaces and pci addresses mixed", nat, "<forward dev='eth1' mode='nat'/>",
                "<forward mode='passthrough'>\n    <interface dev='eth2'/>\n    <address type='pci' domain='0' bus='4' slot='0' function='1'/>\n  </forward>", false));
        m.add(mut("forward pci addresses", nat, "<forward dev='eth1' mode='nat'/>",
                "<forward mode='hostdev' managed='yes'>\n    <address type='pci' domain='0x0000' bus='0x04' slot='0x00' function='0x1'/>\n  </forward>", true));
        m.add(mut("nat inside ip", article, "    <dhcp>", "    <nat/>\n    <dhcp>", false));
        m.add(mut("nat address ipv6", article, "<port start='1024' end='65535'/>",
                "<address start='2001:db8::1' end='2001:db8::2'/>", false));
        m.add(mut("nat address and port", article, "<port start='1024' end='65535'/>",
                "<address start='1.2.3.4' end='1.2.3.10'/>\n      <port start='1024' end='65535'/>", true));
        m.add(mut("virtualport Qbh with Qbg parameter", nat, "<bridge",
                "<virtualport type='802.1Qbh'><parameters managerid='1'/></virtualport>\n  <bridge", false));
        m.add(mut("virtualport openvswitch", nat, "<bridge",
                "<virtualport type='openvswitch'><parameters interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f'/></virtualport>\n  <bridge", true));
        m.add(mut("metadata with anything", nat, "<bridge",
                "<metadata><app:x xmlns:app='urn:x' a='1'>text<app:y/></app:x></metadata>\n  <bridge", true));
        m.add(mut("name in a foreign namespace", nat, "<name>default</name>",
                "<x:name xmlns:x='urn:x'>default</x:name>", false));
        m.add(mut("dnsmasq option without value", nat, "</network>",
                "  <dnsmasq:options xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'><dnsmasq:option/></dnsmasq:options>\n</network>", false));
        m.add(mut("route without gateway", nat, "</network>", "  <route address='192.168.222.0' prefix='24'/>\n</network>", false));
        m.add(mut("route complete", nat, "</network>",
                "  <route address='192.168.222.0' prefix='24' gateway='192.168.122.10' metric='1'/>\n</network>", true));
        m.add(mut("ip family ipv7", nat, "family='ipv4' address='192.168.123.1'", "family='ipv7' address='192.168.123.1'", false));
        m.add(mut("tftp twice", nat, "    <dhcp>", "    <tftp root='/a'/>\n    <tftp root='/b'/>\n    <dhcp>", false));
        m.add(mut("bootp without file", nat, "    </dhcp>", "      <bootp/>\n    </dhcp>", false));
        m.add(mut("vlan without tag", nat, "</network>", "  <vlan/>\n</network>", false));
        m.add(mut("vlan tag 4096", nat, "</network>", "  <vlan><tag id='4096'/></vlan>\n</network>", false));
        m.add(mut("port isolated", nat, "</network>", "  <port isolated='yes'/>\n</network>", true));
        m.add(mut("bandwidth floor zero", nat, "</network>", "  <bandwidth><inbound average='1000' floor='0'/></bandwidth>\n</network>", false));
        m.add(mut("bandwidth", nat, "</network>", "  <bandwidth><inbound average='1000' peak='5000' burst='1024'/><outbound average='128'/></bandwidth>\n</network>", true));
        m.add(mut("portgroup", nat, "</network>",
                "  <portgroup name='engineering' default='yes'><vlan trunk='yes'><tag id='42' nativeMode='untagged'/><tag id='47'/></vlan></portgroup>\n</network>", true));
        m.add(mut("domain localOnly", nat, "</network>", "  <domain name='example.com' localOnly='yes'/>\n</network>", true));
        m.add(mut("domain with slash", nat, "</network>", "  <domain name='example/com'/>\n</network>", false));
        m.add(mut("wrong root element", nat.replace("</network>", "</net>"), "<network>", "<net>", false));
        m.add(mut("title on two lines", nat, "</network>", "  <title>a\nb</title>\n</network>", false));
        m.add(mut("ipv6 compressed forms", nat, "2001:db8:ac10:fe01::1", "::ffff:192.0.2.1", true));
        m.add(mut("ipv6 with two ::", nat, "2001:db8:ac10:fe01::1", "2001::db8::1", false));
        return m;
    }

    private static Doc mut(String name, String base, String find, String replace, boolean valid) {
        if (!base.contains(find)) throw new IllegalStateException(name + ": base has no '" + find + "'");
        return new Doc("mutation: " + name, base.replaceFirst(java.util.regex.Pattern.quote(find),
                java.util.regex.Matcher.quoteReplacement(replace)), valid);
    }

    /** The oracle is locked down too: a document with an external entity is refused, the file never read. */
    @Test
    void jingOracleRefusesDoctypesAndExternalEntities(@TempDir Path dir) throws java.io.IOException {
        Path secret = dir.resolve("secret.txt");
        java.nio.file.Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xxe = "<!DOCTYPE network [ <!ENTITY x SYSTEM \"" + secret.toUri() + "\"> ]>\n"
                + "<network><name>&x;</name></network>\n";
        List<JingOracle.JingError> errors = jing.errors(xxe.getBytes(StandardCharsets.UTF_8));
        assertThat(errors).isNotEmpty();
        assertThat(errors.toString()).contains("DOCTYPE").doesNotContain("TOP-SECRET-CONTENT");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documents")
    void sameVerdictAndLineAsJing(Doc doc) throws InputException {
        byte[] bytes = doc.text().getBytes(StandardCharsets.UTF_8);
        Optional<JingOracle.JingError> theirs = jing.firstError(bytes);
        Optional<SchemaViolation> ours = NetworkSchemaValidator.firstViolation(SecureXmlReader.read(doc.name(), bytes));

        report.add(String.format("%-58s jing=%-8s ours=%-8s%s", doc.name(),
                theirs.map(e -> "line " + e.line()).orElse("valid"),
                ours.map(v -> "line " + v.line()).orElse("valid"),
                ours.map(v -> "  | " + v.message()).orElse("")));

        assertThat(theirs.isEmpty()).as("Jing's verdict is what this case expects: %s", theirs).isEqualTo(doc.expectValid());
        assertThat(ours.isEmpty()).as("our verdict (ours %s, Jing %s)", ours, theirs).isEqualTo(theirs.isEmpty());
        if (ours.isPresent()) {
            assertThat(ours.get().line()).as("line of the first error (ours %s, Jing %s)", ours.get(), theirs.get())
                    .isEqualTo(theirs.get().line());
        }
    }
}
