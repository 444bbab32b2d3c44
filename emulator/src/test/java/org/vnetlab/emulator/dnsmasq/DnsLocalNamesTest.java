package org.vnetlab.emulator.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.dhcp.DhcpOption;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsRcode;
import org.vnetlab.protocols.dns.DnsRecord;
import org.vnetlab.protocols.dns.DnsType;

/** Names dnsmasq answers itself: libvirt's <dns><host> entries and the names of DHCP clients. */
class DnsLocalNamesTest {
    private static Ipv4Address ip(String s) { return Ipv4Address.parse(s); }

    /** What libvirt writes to the addn-hosts file for <host ip='192.168.122.2'><hostname>myhost</hostname>... */
    private static final String ADDN_HOSTS = "192.168.122.2\tmyhost\tmyhostalias\n";

    private static DnsmasqSettings withHosts(DnsmasqSettings.Builder b) throws InputException {
        return b.addnHosts(Configurations.reference(Map.of(Configurations.REF_ADDNHOSTS, ADDN_HOSTS)).addnHosts()).build();
    }

    @Test
    void aHostsEntryIsAnsweredAuthoritativelyWithTtlZeroAndNothingIsForwarded() throws InputException {
        DnsRig rig = DnsRig.withResolvConf(withHosts(DhcpRig.defaultNetwork()), "8.8.8.8");
        rig.ask("myhostalias", DnsType.A, 0x77);

        assertThat(rig.upstream).isEmpty();
        DnsMessage a = rig.lastAnswer();
        assertThat(a.id()).isEqualTo(0x77);
        assertThat(a.aa()).isTrue();
        assertThat(a.ra()).isTrue();
        assertThat(a.rd()).isTrue();
        assertThat(a.rcode()).isEqualTo(DnsRcode.NOERROR);
        assertThat(a.answers()).containsExactly(DnsRecord.a("myhostalias.", 0, ip("192.168.122.2")));
        assertThat(rig.dnsmasq.log().texts()).contains("read /tmp/vo-oracle.4jT0KJ/default.addnhosts - 2 names");
    }

    @Test
    void expandHostsAddsTheDomainAndTheReverseNameIsTheFullOne() throws InputException {
        DnsRig rig = DnsRig.withResolvConf(withHosts(DhcpRig.defaultNetwork().domain("example.com").expandHosts(true)), "8.8.8.8");
        rig.ask("myhost.example.com", DnsType.A, 1);
        assertThat(rig.lastAnswer().answers()).extracting(r -> r.ipv4().orElseThrow()).containsExactly(ip("192.168.122.2"));

        rig.ask("2.122.168.192.in-addr.arpa", DnsType.PTR, 2);
        assertThat(rig.lastAnswer().answers()).singleElement().satisfies(r -> assertThat(r.text()).isEqualTo("myhost.example.com."));
        assertThat(rig.upstream).isEmpty();
    }

    @Test
    void aQueryWithEdnsGetsDnsmasqsOwnOptRecordBack() throws InputException {
        DnsRig rig = DnsRig.withResolvConf(withHosts(DhcpRig.defaultNetwork()), "8.8.8.8");
        rig.ask(DnsMessage.query(5, "myhost", DnsType.A, true).withAdditionals(List.of(DnsRecord.opt(4096))).toWire());
        assertThat(rig.lastAnswer().additionals()).containsExactly(DnsRecord.opt(1232));
    }

    @Test
    void aDhcpClientsNameResolvesPlainAndInTheDomainWhileItsLeaseLasts() {
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().domain("example.com").expandHosts(true).build(), "8.8.8.8");
        DhcpServer dhcp = rig.dnsmasq.dhcp().orElseThrow();
        dhcp.receive(DhcpDatagram.broadcast(DhcpRig.discover(DhcpRig.GUEST, 1).toBytes()));
        rig.lab.scheduler().runUntilIdle();
        dhcp.receive(DhcpDatagram.broadcast(DhcpRig.client(DhcpRig.GUEST, 1, DhcpMessageType.REQUEST)
                .option(new DhcpOption.RequestedIpAddress(ip("192.168.122.55")))
                .option(new DhcpOption.ServerIdentifier(DnsRig.SERVER))
                .option(new DhcpOption.HostName("webserver")).option(new DhcpOption.End()).padTo(300).build().toBytes()));

        rig.ask("webserver", DnsType.A, 1);
        assertThat(rig.lastAnswer().answers()).containsExactly(DnsRecord.a("webserver.", 0, ip("192.168.122.55")));
        rig.ask("webserver.example.com", DnsType.A, 2);
        assertThat(rig.lastAnswer().answers()).containsExactly(DnsRecord.a("webserver.example.com.", 0, ip("192.168.122.55")));
        rig.ask("55.122.168.192.in-addr.arpa", DnsType.PTR, 3);
        assertThat(rig.lastAnswer().answers()).singleElement().satisfies(r -> assertThat(r.text()).isEqualTo("webserver.example.com."));
        assertThat(rig.upstream).isEmpty();

        rig.lab.scheduler().runFor(SimTime.seconds(3601));
        rig.ask("webserver.example.com", DnsType.A, 4);
        assertThat(rig.upstream).as("once the lease is gone the name is not ours").hasSize(1);
    }

    @Test
    void aLocalOnlyDomainAnswersUnknownNamesWithNxdomainAndKnownOnesOfOtherTypesWithNodata() throws InputException {
        // <domain name='example.com' localOnly='yes'/>: domain=, expand-hosts, local=/example.com/
        DnsRig rig = DnsRig.withResolvConf(withHosts(DhcpRig.defaultNetwork().domain("example.com").expandHosts(true)
                .server(ServerRule.local("example.com"))), "8.8.8.8");
        rig.ask("nosuch.example.com", DnsType.A, 1);
        assertThat(rig.lastAnswer().rcode()).isEqualTo(DnsRcode.NXDOMAIN);
        assertThat(rig.lastAnswer().aa()).isFalse();
        rig.ask("myhost.example.com", DnsType.AAAA, 2);
        assertThat(rig.lastAnswer().rcode()).isEqualTo(DnsRcode.NOERROR);
        assertThat(rig.lastAnswer().answers()).isEmpty();
        assertThat(rig.upstream).isEmpty();
        assertThat(rig.dnsmasq.log().texts()).contains("using only locally-known addresses for domain example.com");
    }

    @Test
    void anUpstreamNxdomainForANameWeKnowBecomesNodata() throws InputException {
        DnsRig rig = DnsRig.withResolvConf(withHosts(DhcpRig.defaultNetwork()), "8.8.8.8");
        rig.ask("myhost", DnsType.AAAA, 6); // not ours to answer: forwarded
        rig.upstreamAnswers(0, DnsRcode.NXDOMAIN);
        DnsMessage a = rig.lastAnswer();
        assertThat(a.rcode()).isEqualTo(DnsRcode.NOERROR);
        assertThat(a.aa()).isTrue();
        assertThat(a.answers()).isEmpty();
    }

    @Test
    void domainNeededKeepsDotlessNamesHome() {
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().domainNeeded(true).build(), "8.8.8.8");
        rig.ask("intranet", DnsType.A, 1);
        assertThat(rig.lastAnswer().rcode()).isEqualTo(DnsRcode.NXDOMAIN);
        assertThat(rig.upstream).isEmpty();
    }

    @Test
    void bogusPrivAnswersUnknownPrivateReverseLookupsLocally() {
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().bogusPriv(true).build(), "8.8.8.8");
        rig.ask("9.0.0.10.in-addr.arpa", DnsType.PTR, 1);
        assertThat(rig.lastAnswer().rcode()).isEqualTo(DnsRcode.NXDOMAIN);
        rig.ask("8.8.8.8.in-addr.arpa", DnsType.PTR, 2);
        assertThat(rig.upstream).hasSize(1);
    }

    @Test
    void withDnsDisabledNothingIsAnsweredAndDnsmasqSaysSo() {
        DnsRig rig = DnsRig.withResolvConf(DhcpRig.defaultNetwork().port(0).build(), "8.8.8.8");
        rig.ask("google.com", DnsType.A, 1);
        assertThat(rig.answers).isEmpty();
        assertThat(rig.upstream).isEmpty();
        assertThat(rig.dnsmasq.log().texts()).first().isEqualTo("started, version 2.90 DNS disabled");
    }
}
