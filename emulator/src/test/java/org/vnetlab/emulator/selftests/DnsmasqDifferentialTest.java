package org.vnetlab.emulator.selftests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.libvirt.NetworkXmlParser;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfig;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.oracle.ProbeResult;
import org.vnetlab.emulator.selftests.SelftestChecks.OnKernel;
import org.vnetlab.emulator.selftests.SelftestChecks.OnVnetlab;

/**
 * The emulated dnsmasq against the real dnsmasq 2.90, both configured from the conf libvirt generates for one
 * network (vnetlab's {@link DnsmasqConfig} writes the conf, its hostsfile and addn-hosts; the real dnsmasq
 * runs them in the harness's host namespace; vnetlab reads them back with DnsmasqConfParser and
 * LibvirtSettings). The network: libvirt's default with a domain, a DNS host entry and one static DHCP host.
 *
 * <p>DHCP, for three client MACs (two dynamic, hashed into the range; one static): the address chosen, every
 * option's value, the option lists of OFFER and ACK in wire order, and how the OFFER is sent (unicast to the
 * client's MAC and address, TOS, TTL, DF, length, flags). DNS, through the host's dnsmasq at 192.168.122.1:
 * a forwarded name, the addn-hosts name (full and short: expand-hosts), the static host's name, a missing
 * name in the domain (not local-only, so forwarded), a name upstream refuses, an AAAA query, a PTR for the
 * bridge's address (both forwarded and refused upstream); outcome, rcode, AA, RA, answer count and A
 * addresses must agree. The upstream is the harness's internet dnsmasq (the rig plays it as its log shows
 * it answering). Names of the machine's /etc/hosts, which the real dnsmasq also reads, are avoided.
 */
class DnsmasqDifferentialTest {
    static final String NETWORK = """
            <network>
              <name>default</name>
              <forward mode='nat'/>
              <bridge name='virbr0' stp='on' delay='0'/>
              <mac address='52:54:00:73:62:06'/>
              <domain name='lab.test'/>
              <dns>
                <host ip='192.168.122.200'><hostname>printer</hostname></host>
              </dns>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'/>
                  <host mac='52:54:00:aa:bb:03' name='fixed' ip='192.168.122.99'/>
                </dhcp>
              </ip>
            </network>
            """;

    static final List<String> DHCP = List.of("dhcp1", "dhcp2", "dhcp3");
    static final List<String> DNS = List.of("google", "printer", "printer_short", "fixed", "nxlocal", "refused", "aaaa", "ptr");

    static final Scenario SCENARIO = new Scenario("dnsmasq", s -> {
        Path state = s.rules("state.marker", "").getParent().resolve("libvirt");
        DnsmasqConfig conf;
        try {
            Files.createDirectories(state);
            conf = DnsmasqConfig.generate(NetworkXmlParser.parse("default.xml", NETWORK),
                    DnsmasqConfig.Options.libvirtDefaults().withStateDir(state.toString()));
            Files.writeString(Path.of(conf.hostsFilePath()), conf.hostsFile());
            Files.writeString(Path.of(conf.addnHostsPath()), conf.addnHosts());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Scenario.quietTopology()
                .set("guest.ip", "dhcp")
                .set("dnsmasq", "on")
                .dnsmasqConf(s.rules("default.conf", conf.conf()))
                .resolv("nameserver 8.8.8.8")
                .probe(Probe.dhcp("dhcp1"))
                .probe(Probe.dhcp("dhcp2").with("mac", "52:54:00:aa:bb:02").with("xid", "0x11110002").with("configure", 0))
                .probe(Probe.dhcp("dhcp3").with("mac", "52:54:00:aa:bb:03").with("xid", "0x11110003").with("configure", 0))
                .probe(Probe.dns("google", "192.168.122.1", "google.com"))
                .probe(Probe.dns("printer", "192.168.122.1", "printer.lab.test"))
                .probe(Probe.dns("printer_short", "192.168.122.1", "printer"))
                .probe(Probe.dns("fixed", "192.168.122.1", "fixed.lab.test"))
                .probe(Probe.dns("nxlocal", "192.168.122.1", "nosuch.lab.test").with("timeout", 1))
                .probe(Probe.dns("refused", "192.168.122.1", "example.org").with("timeout", 1))
                .probe(Probe.dns("aaaa", "192.168.122.1", "google.com").with("qtype", 28).with("timeout", 1))
                .probe(Probe.dns("ptr", "192.168.122.1", "1.122.168.192.in-addr.arpa").with("qtype", 12).with("timeout", 1))
                .build();
    });

    static final List<String> DHCP_KEYS = List.of("address", "server", "siaddr", "mask", "router", "dns", "broadcast",
            "lease_time", "t1", "t2", "domain", "hostname", "offer_options", "ack_options", "offer_eth_dst", "offer_ip_src",
            "offer_ip_dst", "offer_tos", "offer_ttl", "offer_df", "offer_udp_len", "offer_flags", "ack_eth_dst", "ack_tos",
            "ack_udp_len");
    static final List<String> DNS_KEYS = List.of("rcode", "qid_ok", "aa", "ra", "answers", "a", "reply_from");

    abstract static class Checks extends SelftestChecks {
        Checks() { super(SCENARIO); }

        @Test
        void eachMacGetsItsAddressTheStaticOneItsReservation() {
            assertThat(run.probe("dhcp1").outcome()).isEqualTo(Outcome.LEASE);
            assertThat(run.probe("dhcp1").detail("address")).isEqualTo("192.168.122.55");
            assertThat(run.probe("dhcp3").detail("address")).isEqualTo("192.168.122.99");
            assertThat(run.probe("dhcp3").detail("hostname")).isEqualTo("fixed");
            assertThat(run.probe("dhcp2").detail("address")).startsWith("192.168.122.").isNotIn("192.168.122.55", "192.168.122.99");
            assertThat(run.probe("dhcp1").detail("domain")).isEqualTo("lab.test");
        }

        @Test
        void localNamesAnswerFromTheHostsFilesAndTheRestIsForwarded() {
            assertThat(run.probe("google").detail("a")).isEqualTo("142.250.1.1");
            assertThat(run.probe("printer").detail("a")).isEqualTo("192.168.122.200");
            assertThat(run.probe("printer_short").detail("a")).as("expand-hosts").isEqualTo("192.168.122.200");
            assertThat(run.probe("fixed").detail("a")).as("the dhcp-host's name").isEqualTo("192.168.122.99");
            // <domain name='lab.test'/> without localOnly='yes' writes no local=/lab.test/: forwarded upstream,
            // which refuses; dnsmasq relays no REFUSED while it could try another server, so the client hears nothing
            for (String id : List.of("nxlocal", "refused", "aaaa", "ptr")) {
                ProbeResult p = run.probe(id);
                assertThat(p.outcome()).as(id).isEqualTo(Outcome.TIMEOUT);
                assertThat(p.inetSeen()).as(id).singleElement().satisfies(f -> assertThat(f.destination()).isEqualTo("8.8.8.8:53"));
            }
        }
    }

    @Nested
    class Vnetlab extends Checks implements OnVnetlab {}

    @Nested
    class Kernel extends Checks implements OnKernel {
        @Test
        void theEmulatedDnsmasqAnswersAsTheRealOne() {
            Observed vnetlab = vnetlab();
            List<String> disagreements = new ArrayList<>();
            for (String id : DHCP) compare(run.probe(id), vnetlab.probe(id), DHCP_KEYS, disagreements);
            for (String id : DNS) compare(run.probe(id), vnetlab.probe(id), DNS_KEYS, disagreements);
            assertThat(disagreements).as("where the emulated dnsmasq and dnsmasq 2.90 disagree").isEmpty();
        }

        private static void compare(ProbeResult k, ProbeResult v, List<String> keys, List<String> out) {
            if (k.outcome() != v.outcome()) out.add(k.id() + ": outcome kernel=" + k.outcome().word() + " vnetlab=" + v.outcome().word());
            for (String key : keys) {
                String kv = k.details().getOrDefault(key, "");
                String vv = v.details().getOrDefault(key, "");
                if (!kv.equals(vv)) out.add(k.id() + ": " + key + " dnsmasq=" + kv + " vnetlab=" + vv);
            }
        }
    }
}
