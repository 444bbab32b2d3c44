package org.vnetlab.emulator.selftests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.oracle.ProbeResult;
import org.vnetlab.emulator.selftests.SelftestChecks.OnKernel;
import org.vnetlab.emulator.selftests.SelftestChecks.OnVnetlab;

/**
 * tools/testing/selftests/net/netfilter/nf_nat_edemux.sh: NAT source port clash resolution. The selftest's
 * client ns2 (every connection from port 10000, its only local port) is the host, sending from port 10000;
 * its server ns1 (a TCP service on all addresses) is the internet's web server, listening on 0.0.0.0:80
 * and reached at its link address 203.0.113.1.
 *
 * <ul>
 *   <li>A first connection 192.168.0.10:10000 → 203.0.113.1:80 (the selftest keeps it open; here it has
 *       closed, which leaves both conntrack entries in TIME_WAIT, and the server's socket too).</li>
 *   <li>The client's OUTPUT DNAT of a virtual IP, 10.96.0.1:443 → 203.0.113.1:80: the translated tuple is
 *       the first connection's, so NAT gives the new connection another source port, and it connects.</li>
 *   <li>The server's PREROUTING REDIRECT of ports 5202 and 5203 to 80: two more connections from port
 *       10000 become, after the redirect, the first connection's tuple again, so the server's NAT remaps
 *       their source ports (both differently), and both connect; the server's conntrack shows them with
 *       their original ports 5202 and 5203.</li>
 * </ul>
 */
class NfNatEdemuxSelftest {
    static final String NAT_HEAD = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n";

    static final Scenario SCENARIO = new Scenario("nf_nat_edemux", s -> Scenario.quietTopology()
            .set("inet.http", "0.0.0.0:80")
            .iptables(s.rules("client.rules", NAT_HEAD
                    + "-A OUTPUT -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 203.0.113.1:80\nCOMMIT\n"))
            .iptables("inet", s.rules("server.rules", NAT_HEAD
                    + "-A PREROUTING -p tcp -m tcp --dport 5202 -j REDIRECT --to-ports 80\n"
                    + "-A PREROUTING -p tcp -m tcp --dport 5203 -j REDIRECT --to-ports 80\nCOMMIT\n"))
            .probe(Probe.tcp("first", "203.0.113.1", 80).from("host").with("sport", 10000).with("http", 1))
            .probe(Probe.tcp("vip", "10.96.0.1", 443).from("host").with("sport", 10000).with("http", 1))
            .probe(Probe.tcp("redir5202", "203.0.113.1", 5202).from("host").with("sport", 10000).with("http", 1))
            .probe(Probe.tcp("redir5203", "203.0.113.1", 5203).from("host").with("sport", 10000).with("http", 1))
            .build());

    abstract static class Checks extends SelftestChecks {
        Checks() { super(SCENARIO); }

        @Test
        void everyConnectionFromPort10000Works() {
            for (String id : List.of("first", "vip", "redir5202", "redir5203")) {
                ProbeResult p = run.probe(id);
                assertThat(p.outcome()).as(id).isEqualTo(Outcome.CONNECTED);
                assertThat(p.detail("http_status")).as(id).isEqualTo("200");
                assertThat(p.detail("local")).as(id).isEqualTo("192.168.0.10:10000");
            }
        }

        @Test
        void theVirtualIpConnectionGetsAnotherSourcePortAtTheClient() {
            assertThat(run.probe("first").inetSeen()).extracting(f -> f.source()).containsExactly("192.168.0.10:10000");
            assertThat(run.probe("vip").inetSeen()).singleElement().satisfies(f -> {
                assertThat(f.destination()).isEqualTo("203.0.113.1:80");
                assertThat(f.sourcePort()).isNotEqualTo(10000);
            });
            assertThat(Scenario.entries(run.conntrackAfter("vip", "host"), "dst=10.96.0.1", "sport=10000")).singleElement()
                    .satisfies(e -> assertThat(Scenario.fields(e).get("dport").get(1)).isNotEqualTo("10000"));
        }

        @Test
        void redirectedConnectionsGetDistinctSourcePortsAtTheServer() {
            List<Integer> ports = new ArrayList<>();
            for (String[] c : new String[][] {{"redir5202", "5202"}, {"redir5203", "5203"}}) {
                List<String> entries = Scenario.entries(run.conntrackAfter(c[0], "inet"), "sport=10000", "dport=" + c[1]);
                assertThat(entries).as(c[0] + " at the server").singleElement();
                String remapped = Scenario.fields(entries.get(0)).get("dport").get(1);
                assertThat(remapped).isNotEqualTo("10000");
                ports.add(Integer.parseInt(remapped));
                assertThat(run.probe(c[0]).inetSeen()).as(c[0] + " seen by the server's sockets").singleElement()
                        .satisfies(f -> assertThat(f.sourcePort()).isEqualTo(Integer.parseInt(remapped)));
            }
            assertThat(ports.get(0)).isNotEqualTo(ports.get(1));
        }
    }

    @Nested
    class Vnetlab extends Checks implements OnVnetlab {}

    @Nested
    class Kernel extends Checks implements OnKernel {
        @Test
        void vnetlabAgreesProbeByProbe() {
            Agreement.between(run, vnetlab()).probes("first", "vip", "redir5202", "redir5203")
                    .counters("host", "inet").conntrack("host", "inet").randomPorts("vip", "redir5202", "redir5203").check();
        }
    }
}
