package org.vnetlab.emulator.hostconf.resolv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.hostconf.Fixtures;
import org.vnetlab.emulator.hostconf.text.NotedLine;
import org.vnetlab.emulator.input.InputException;

class ResolvConfParserTest {
    private static ResolvConf parse(String fixture) throws InputException {
        return ResolvConfParser.parse(fixture, Fixtures.read("resolv/" + fixture));
    }

    @Test
    void readsTheArticlesServers() throws InputException {
        ResolvConf r = ResolvConfParser.parse("resolv.conf", "    nameserver 8.8.8.8\n    nameserver 1.1.1.1\n".replace("    ", ""));
        assertThat(r.usedNameservers()).containsExactly("8.8.8.8", "1.1.1.1");
        assertThat(r.isSystemdResolvedStub()).isFalse();
        assertThat(r.options()).isEqualTo(ResolverOptions.DEFAULTS);
        assertThat(r.managedBy()).isEqualTo(ResolvManager.UNKNOWN);
        assertThat(parse("article-resolv.conf").usedNameservers()).isEqualTo(r.usedNameservers());
    }

    @Test
    void recognisesSystemdResolvedsStub() throws InputException {
        ResolvConf r = parse("systemd-stub-resolv.conf");
        assertThat(r.isSystemdResolvedStub()).isTrue();
        assertThat(r.onlyLoopbackServers()).isTrue();
        assertThat(r.managedBy()).isEqualTo(ResolvManager.SYSTEMD_RESOLVED_STUB);
        assertThat(r.options().flags()).containsExactly("edns0", "trust-ad");
        assertThat(r.search()).containsExactly(".");
        assertThat(r.ignored()).isEmpty();
    }

    @Test
    void uplinkFileOfResolvedIsNotTheStub() throws InputException {
        ResolvConf r = parse("systemd-uplink-resolv.conf");
        assertThat(r.isSystemdResolvedStub()).isFalse();
        assertThat(r.managedBy()).isEqualTo(ResolvManager.SYSTEMD_RESOLVED_UPLINK);
        assertThat(r.usedNameservers()).containsExactly("192.168.0.1");
    }

    @Test
    void recognisesNetworkManagerAndKeepsIpv6Servers() throws InputException {
        ResolvConf r = parse("networkmanager-resolv.conf");
        assertThat(r.managedBy()).isEqualTo(ResolvManager.NETWORK_MANAGER);
        assertThat(r.usedNameservers()).containsExactly("192.168.0.1", "fe80::1%enp3s0");
        assertThat(r.nameservers().get(1).isIpv6()).isTrue();
        assertThat(r.search()).containsExactly("home.arpa", "example.com");
    }

    @Test
    void appliesGlibcsRulesToAMessyFileAndSaysWhatItSkipped() throws InputException {
        ResolvConf r = parse("messy-resolv.conf");
        assertThat(r.usedNameservers()).containsExactly("10.0.0.53", "10.0.0.54", "1.1.1.1");
        assertThat(r.nameservers()).filteredOn(n -> !n.used()).extracting(Nameserver::address, n -> n.unused().orElseThrow())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("8.8.8.8.8", "not an IP address; glibc skips it"),
                        org.assertj.core.groups.Tuple.tuple("9.9.9.9", "glibc uses only the first 3 nameservers"));
        assertThat(r.search()).as("the later search line replaces domain").containsExactly("lab.example", "corp.example");
        assertThat(r.domain()).isEmpty();
        assertThat(r.options().ndots()).isEqualTo(2);
        assertThat(r.options().timeout()).as("capped at RES_MAXRETRANS").isEqualTo(30);
        assertThat(r.options().attempts()).isEqualTo(3);
        assertThat(r.options().flags()).containsExactly("rotate", "edns0");
        assertThat(r.sortlist()).containsExactly("10.0.0.0/255.0.0.0");
        assertThat(r.ignored()).extracting(NotedLine::line).containsExactly(6, 10, 11);
        assertThat(r.ignored().get(0).reason()).contains("first column");
        assertThat(r.ignored().get(1).reason()).contains("frobnicate");
        assertThat(r.ignored().get(2).reason()).contains("nameservr");
    }

    @Test
    void noServersMeansTheLocalHost() throws InputException {
        ResolvConf r = ResolvConfParser.parse("resolv.conf", "# empty\n");
        assertThat(r.usedNameservers()).isEmpty();
        assertThat(r.effectiveNameservers()).containsExactly("127.0.0.1");
    }

    @Test
    void domainLineAfterSearchWins() throws InputException {
        ResolvConf r = ResolvConfParser.parse("resolv.conf", "search a.example b.example\ndomain c.example\n");
        assertThat(r.search()).containsExactly("c.example");
        assertThat(r.domain()).contains("c.example");
    }

    @Test
    void binaryContentIsAnError() {
        assertThatThrownBy(() -> ResolvConfParser.parse("resolv.conf", "nameserver 1.1.1.1\n\0\0"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.line()).isEqualTo(2));
    }
}
