package org.vnetlab.emulator.libvirt.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.IpAddress;
import org.vnetlab.emulator.libvirt.SharedData;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.BindMode;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.DhcpOption;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.LeaseTime;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.RangeMode;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.Server;
import org.vnetlab.protocols.MacAddress;

/** The emulated dnsmasq runs from libvirt's conf text: every conf libvirt writes must read back whole. */
class DnsmasqConfParserTest {
    private static final Path CONF = SharedData.libvirt("tests/networkxml2confdata");

    static Stream<Path> libvirtConfs() {
        return Stream.concat(SharedData.list(CONF, ".conf").stream(),
                        Stream.of(SharedData.libvirt("derived/networkxml2confdata/routed-network.conf"),
                                SharedData.root().resolve("ref/captures/article/dnsmasq-default.conf")))
                .filter(p -> !p.getFileName().toString().equals("dnsmasq-options.conf"));
    }

    @ParameterizedTest
    @MethodSource("libvirtConfs")
    void everyConfLibvirtWritesIsUnderstood(Path conf) throws InputException {
        DnsmasqOptions o = DnsmasqConfParser.parse(conf.toString(), SharedData.read(conf));
        assertThat(o.strictOrder()).isTrue();
        assertThat(o.exceptInterfaces()).containsExactly("lo");
    }

    @Test
    void theArticlesConf() throws InputException {
        DnsmasqOptions o = DnsmasqConfParser.parse("dnsmasq-default.conf",
                SharedData.read(SharedData.root().resolve("ref/captures/article/dnsmasq-default.conf")));
        assertThat(o.pidFile()).hasValue("/tmp/vo-oracle.4jT0KJ/default.pid");
        assertThat(o.bindMode()).isEqualTo(BindMode.DYNAMIC);
        assertThat(o.interfaces()).containsExactly("virbr0");
        assertThat(o.dnsEnabled()).isTrue();
        assertThat(o.servers()).isEmpty();
        assertThat(o.noResolv()).as("upstreams come from the host's resolv.conf").isFalse();
        assertThat(o.dhcpRanges()).singleElement().satisfies(r -> {
            assertThat(r.start()).hasToString("192.168.122.2");
            assertThat(r.end()).map(Object::toString).hasValue("192.168.122.254");
            assertThat(r.mode()).isEqualTo(RangeMode.DYNAMIC);
            assertThat(r.netmask()).map(Object::toString).hasValue("255.255.255.0");
            assertThat(r.lease()).as("dnsmasq's default, one hour, applies").isEmpty();
        });
        assertThat(o.dhcpNoOverride()).isTrue();
        assertThat(o.dhcpAuthoritative()).isTrue();
        assertThat(o.dhcpLeaseMax()).hasValue(253);
        assertThat(o.dhcpHostsFiles()).containsExactly("/tmp/vo-oracle.4jT0KJ/default.hostsfile");
        assertThat(o.addnHostsFiles()).containsExactly("/tmp/vo-oracle.4jT0KJ/default.addnhosts");
    }

    @Test
    void forwardersBecomeServerRules() throws InputException {
        DnsmasqOptions o = DnsmasqConfParser.parse("f.conf", SharedData.read(CONF.resolve("nat-network-dns-forwarders.conf")));
        assertThat(o.servers()).containsExactly(
                new Server(List.of(), new DnsmasqOptions.Address(IpAddress.parse("8.8.8.8"), OptionalInt.empty())),
                new Server(List.of(), new DnsmasqOptions.Address(IpAddress.parse("8.8.4.4"), OptionalInt.empty())),
                new Server(List.of("example.com"), new DnsmasqOptions.Address(IpAddress.parse("192.168.1.1"), OptionalInt.empty())),
                new Server(List.of("www.example.com"), new DnsmasqOptions.StandardServers()));
        assertThat(o.noResolv()).isTrue();
    }

    @Test
    void isolatedNetworkSendsAnEmptyRouterOption() throws InputException {
        DnsmasqOptions o = DnsmasqConfParser.parse("i.conf", SharedData.read(CONF.resolve("isolated-network.conf")));
        assertThat(o.dhcpOptions()).containsExactly(new DhcpOption(3, List.of()));
        assertThat(o.raParams()).containsExactly("*,0,0");
        assertThat(o.noResolv()).isTrue();
    }

    @Test
    void mtuIpv6AndRaOnlyRanges() throws InputException {
        DnsmasqOptions o = DnsmasqConfParser.parse("m.conf", SharedData.read(CONF.resolve("nat-network-mtu.conf")));
        assertThat(o.dhcpOptions()).containsExactly(new DhcpOption(26, List.of("7000")));
        assertThat(o.dhcpRanges()).extracting(DnsmasqOptions.DhcpRange::mode)
                .containsExactly(RangeMode.DYNAMIC, RangeMode.RA_ONLY, RangeMode.RA_ONLY);
        DnsmasqOptions v6 = DnsmasqConfParser.parse("d.conf", SharedData.read(CONF.resolve("dhcp6-nat-network.conf")));
        assertThat(v6.dhcpRanges().get(1).prefixLength()).hasValue(64);
        assertThat(v6.enableRa()).isTrue();
        assertThat(v6.dhcpLeaseMax()).hasValue(493);
    }

    @Test
    void netbootAndLeaseTimes() throws InputException {
        DnsmasqOptions o = DnsmasqConfParser.parse("n.conf", SharedData.read(CONF.resolve("netboot-network.conf")));
        assertThat(o.bindMode()).isEqualTo(BindMode.INTERFACES);
        assertThat(o.listenAddresses()).extracting(Object::toString).containsExactly("192.168.122.1");
        assertThat(o.domain()).hasValue("example.com");
        assertThat(o.expandHosts()).isTrue();
        assertThat(o.enableTftp()).isTrue();
        assertThat(o.tftpRoot()).hasValue("/var/lib/tftproot");
        assertThat(o.dhcpBoot()).hasValueSatisfying(b -> assertThat(b.file()).isEqualTo("pxeboot.img"));
        assertThat(DnsmasqConfParser.parse("s.conf", SharedData.read(CONF.resolve("leasetime-seconds.conf")))
                .dhcpRanges().get(0).lease()).hasValue(LeaseTime.seconds(200));
        assertThat(DnsmasqConfParser.parse("s.conf", SharedData.read(CONF.resolve("leasetime-infinite.conf")))
                .dhcpRanges().get(0).lease()).hasValue(LeaseTime.INFINITE);
        DnsmasqOptions noDns = DnsmasqConfParser.parse("r.conf", SharedData.read(CONF.resolve("routed-network-no-dns.conf")));
        assertThat(noDns.dnsEnabled()).isFalse();
    }

    @Test
    void passThroughOptionsDnsmasqWouldRejectAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> DnsmasqConfParser.parse("dnsmasq-options.conf", SharedData.read(CONF.resolve("dnsmasq-options.conf"))))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(17);
                    assertThat(e.token()).isEqualTo("foo");
                    assertThat(e.problem()).isEqualTo("unknown dnsmasq option 'foo'");
                });
    }

    @Test
    void cnamePassThroughIsKept() throws InputException {
        DnsmasqOptions o = DnsmasqConfParser.parse("c.conf", "cname=*.cloudapps.example.com,master.example.com\n");
        assertThat(o.cnames()).singleElement().satisfies(c -> {
            assertThat(c.aliases()).containsExactly("*.cloudapps.example.com");
            assertThat(c.target()).isEqualTo("master.example.com");
        });
    }

    @Test
    void commentsNeedABlankBeforeTheHash() throws InputException {
        DnsmasqOptions o = DnsmasqConfParser.parse("c.conf", "# a comment\nserver=/lan/#   # the hash after the slash is the value\nlocal=//   # unqualified names\n");
        assertThat(o.servers()).containsExactly(
                new Server(List.of("lan"), new DnsmasqOptions.StandardServers()),
                new Server(List.of(""), new DnsmasqOptions.LocalOnly()));
    }

    @Test
    void malformedLinesAreRefused() {
        assertThatThrownBy(() -> DnsmasqConfParser.parse("x.conf", "strict-order\nbind-dynamic=yes\n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.problem()).isEqualTo("option 'bind-dynamic' takes no value");
                });
        assertThatThrownBy(() -> DnsmasqConfParser.parse("x.conf", "dhcp-lease-max=lots\n"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.problem()).contains("not a number"));
        assertThatThrownBy(() -> DnsmasqConfParser.parse("x.conf", "listen-address=192.168.122.300\n"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.problem()).contains("not an IP address"));
        assertThatThrownBy(() -> DnsmasqConfParser.parse("x.conf", "dhcp-range=192.168.122.2\n"))
                .isInstanceOf(InputException.class);
        assertThatThrownBy(() -> DnsmasqConfParser.parse("x.conf", "server\n"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.problem()).contains("needs a value"));
    }

    @Test
    void generatedHostsFilesReadBack() throws InputException {
        List<DnsmasqHostsFiles.DhcpHostEntry> hosts = DnsmasqHostsFiles.parseDhcpHosts("h",
                SharedData.read(CONF.resolve("leasetime-seconds.hostsfile")));
        assertThat(hosts).containsExactly(
                new DnsmasqHostsFiles.DhcpHostEntry(Optional.of(MacAddress.parse("00:16:3e:77:e2:ed")), Optional.empty(),
                        Optional.of("a.example.com"), IpAddress.parse("192.168.122.10"), Optional.of(LeaseTime.seconds(300))),
                new DnsmasqHostsFiles.DhcpHostEntry(Optional.of(MacAddress.parse("00:16:3e:3e:a9:1a")), Optional.empty(),
                        Optional.of("b.example.com"), IpAddress.parse("192.168.122.11"), Optional.of(LeaseTime.seconds(400))));
        assertThat(DnsmasqHostsFiles.parseDhcpHosts("h6", "id:0:3:0:1:0:16:3e:11:22:33,alpha,[2001:db8::10]\n"))
                .singleElement().satisfies(h -> {
                    assertThat(h.id()).hasValue("0:3:0:1:0:16:3e:11:22:33");
                    assertThat(h.name()).hasValue("alpha");
                    assertThat(h.ip()).hasToString("2001:db8::10");
                });
        assertThat(DnsmasqHostsFiles.parseAddnHosts("a", "192.168.122.5\talpha\talpha.lan\t\n"))
                .singleElement().satisfies(h -> assertThat(h.names()).containsExactly("alpha", "alpha.lan"));
    }
}
