package org.vnetlab.emulator.selftests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.oracle.ProbeResult;
import org.vnetlab.emulator.oracle.SeenFlow;
import org.vnetlab.emulator.selftests.SelftestChecks.OnKernel;
import org.vnetlab.emulator.selftests.SelftestChecks.OnVnetlab;

/**
 * tools/testing/selftests/net/netfilter/nft_nat.sh, its IPv4 checks with the nft rules written as iptables.
 * The selftest's router ns0 is the host, its client ns2 (behind the NAT) the guest, its server ns1 the
 * internet's 8.8.8.8 (routes back to both subnets, so traffic works without NAT as in the selftest's flat
 * setup) or the LAN host. Rules change between steps as the selftest changes them (an {@code iptables} step
 * replaces the tables in its file).
 *
 * <ul>
 *   <li>test_masquerade (and {@code fully-random}): before the rule the server sees the client; with
 *       {@code -o enp3s0 -j MASQUERADE} it sees the router's address, the client still gets its replies, a second
 *       connection works too, and conntrack holds the translation; {@code --random-fully} remaps the echo id.</li>
 *   <li>test_redirect: {@code REDIRECT} of the client's ping in PREROUTING: the router answers it itself,
 *       the server sees nothing.</li>
 *   <li>test_local_dnat / test_local_dnat_portonly: the router's own ping to ns1 DNATed in OUTPUT to ns2 is
 *       answered (from the original address), and reaches ns1 again once the rule is flushed; a port-only
 *       DNAT ({@code --to-destination :80}) redirects a connection's port.</li>
 *   <li>test_port_shadowing: a NATed client flow from port P makes the router forward an outside packet to
 *       router:P to the client ("CLIENT"), unless forwarding of such packets is filtered, the router's
 *       service port is NOTRACKed, or the client's low source ports are remapped ("ROUTER"). Who answered is
 *       read from counters and from the TTL of the port unreachable (the router's own: 64; the client's,
 *       forwarded: 63).</li>
 *   <li>test_dnat_clash: the internet DNATs 1.1.1.1:7 to its own 142.250.1.1:7; the client then talks to
 *       142.250.1.1:7 directly from the same source port: the second flow's reply tuple is taken, so NAT gives
 *       it another source port and both exchanges work.</li>
 * </ul>
 * Not reproduced: the IPv6 and inet-family variants, the stateless nft map rewrite (nft only: for the
 * nftables work), counters by byte count of nft maps (iptables counting rules instead).
 */
class NftNatSelftest {
    static final String GUEST = "192.168.122.55";
    static final String HOST = "192.168.0.10";

    static final String FILTER = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A INPUT -s 192.168.122.55/32 -p icmp -j ACCEPT
            -A INPUT -p udp -j ACCEPT
            -A FORWARD -p udp -m udp --sport 1406 -i virbr0 -j DROP
            -A OUTPUT -d 192.168.122.55/32 -p icmp -j ACCEPT
            COMMIT
            """;

    static final Scenario SCENARIO = new Scenario("nft_nat", s -> Scenario.quietTopology()
            .route("inet", "192.168.0.0/24 via 203.0.113.2")
            .route("inet", "192.168.122.0/24 via 203.0.113.2")
            .iptables(s.rules("host.rules", FILTER.replace("-A FORWARD -p udp -m udp --sport 1406 -i virbr0 -j DROP\n", "")))
            .iptables("guest", s.rules("guest.rules", """
                    *filter
                    :INPUT ACCEPT [0:0]
                    :FORWARD ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    -A INPUT -p udp -m udp --dport 1405 -j ACCEPT
                    -A INPUT -p udp -m udp --dport 1406 -j ACCEPT
                    -A INPUT -p udp -m udp --dport 1407 -j ACCEPT
                    -A INPUT -p udp -m udp --dport 1408 -j ACCEPT
                    COMMIT
                    """))
            .iptables("inet", s.rules("inet.rules", """
                    *nat
                    :PREROUTING ACCEPT [0:0]
                    :INPUT ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    :POSTROUTING ACCEPT [0:0]
                    -A PREROUTING -d 1.1.1.1/32 -p udp -m udp --dport 7 -j DNAT --to-destination 142.250.1.1:7
                    COMMIT
                    """))
            // connectivity without NAT, and test_dnat_clash at the internet
            .probe(Probe.ping("plain", "8.8.8.8"))
            .probe(Probe.udp("clash1", "1.1.1.1", 7).with("sport", 4321))
            .probe(Probe.udp("clash2", "142.250.1.1", 7).with("sport", 4321))
            // test_masquerade
            .probe(Probe.iptables("masq_on", s.rules("masq.rules", nat("-A POSTROUTING -o enp3s0 -j MASQUERADE"))))
            .probe(Probe.ping("masq1", "8.8.8.8"))
            .probe(Probe.ping("masq2", "8.8.8.8"))
            .probe(Probe.iptables("fully_on", s.rules("masq-fully.rules", nat("-A POSTROUTING -o enp3s0 -j MASQUERADE --random-fully"))))
            .probe(Probe.ping("fully1", "8.8.8.8"))
            // test_redirect
            .probe(Probe.iptables("redirect_on", s.rules("redirect.rules",
                    nat("-A PREROUTING -s 192.168.122.55/32 -d 8.8.8.8/32 -i virbr0 -p icmp -j REDIRECT"))))
            .probe(Probe.ping("redirected", "8.8.8.8"))
            // test_local_dnat, test_local_dnat_portonly
            .probe(Probe.iptables("local_dnat_on", s.rules("local-dnat.rules", nat(
                    "-A OUTPUT -d 192.168.0.20/32 -p icmp -j DNAT --to-destination 8.8.8.8\n"
                            + "-A OUTPUT -d 142.250.1.1/32 -p tcp -j DNAT --to-destination :80"))))
            .probe(Probe.ping("local_dnat", "192.168.0.20").from("host"))
            .probe(Probe.tcp("portonly", "142.250.1.1", 8080).from("host").with("http", 1))
            .probe(Probe.iptables("local_dnat_off", s.rules("nat-empty.rules", nat(""))))
            .probe(Probe.ping("undnat", "192.168.0.20").from("host"))
            // test_port_shadowing: one round per mitigation, each on its own pair of ports
            .probe(Probe.iptables("shadow_masq", s.rules("shadow-masq.rules", nat("-A POSTROUTING -o enp3s0 -j MASQUERADE"))))
            .probe(shadowEntry("sh1_entry", 1405, 41404))
            .probe(shadow("sh1", 1405, 41404))
            .probe(Probe.iptables("sh2_filter", s.rules("shadow-filter.rules", FILTER)))
            .probe(shadowEntry("sh2_entry", 1406, 41405))
            .probe(shadow("sh2", 1406, 41405))
            .probe(Probe.iptables("sh3_notrack", s.rules("shadow-notrack.rules", """
                    *raw
                    :PREROUTING ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    -A PREROUTING -i enp3s0 -p udp -m udp --dport 1407 -j NOTRACK
                    -A OUTPUT -o enp3s0 -p udp -m udp --sport 1407 -j NOTRACK
                    COMMIT
                    """)))
            .probe(shadowEntry("sh3_entry", 1407, 41406))
            .probe(shadow("sh3", 1407, 41406))
            .probe(Probe.iptables("sh4_pat", s.rules("shadow-pat.rules", nat(
                    "-A POSTROUTING -s 192.168.122.0/24 -o enp3s0 -p udp -m udp --sport 1:1408 -j MASQUERADE --to-ports 1409-65535 --random\n"
                            + "-A POSTROUTING -o enp3s0 -j MASQUERADE"))))
            .probe(shadowEntry("sh4_entry", 1408, 41407))
            .probe(shadow("sh4", 1408, 41407))
            .build());

    static String nat(String rules) {
        return "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
                + (rules.isEmpty() ? "" : rules + "\n") + "COMMIT\n";
    }

    /** The client's datagram from its service port to the server's high port: the conntrack entry that shadows. */
    static Probe shadowEntry(String id, int servicePort, int highPort) {
        return Probe.udp(id, "192.168.0.20", highPort).with("sport", servicePort).with("timeout", 1);
    }

    /** The server's datagram from that high port to the router's service port. */
    static Probe shadow(String id, int servicePort, int highPort) {
        return Probe.udp(id, HOST, servicePort).from("lanhost").with("sport", highPort).with("timeout", 1);
    }

    static final List<String> PROBES = List.of("plain", "clash1", "clash2", "masq1", "masq2", "fully1", "redirected",
            "local_dnat", "portonly", "undnat", "sh1_entry", "sh1", "sh2_entry", "sh2", "sh3_entry", "sh3", "sh4_entry", "sh4");

    /** What nft_nat.sh asserts, checked on whoever ran the scenario. */
    abstract static class Checks extends SelftestChecks {
        Checks() { super(SCENARIO); }

        static SeenFlow onlyFlow(ProbeResult p) {
            assertThat(p.inetSeen()).as(p.id() + " reached the server as").hasSize(1);
            return p.inetSeen().get(0);
        }

        @Test
        void withoutNatTheServerSeesTheClient() {
            ProbeResult plain = run.probe("plain");
            assertThat(plain.outcome()).isEqualTo(Outcome.REPLY);
            assertThat(onlyFlow(plain).sourceAddress()).isEqualTo(GUEST);
        }

        @Test
        void masqueradeShowsTheRoutersAddressAndBothConnectionsWork() {
            for (String id : List.of("masq1", "masq2")) {
                ProbeResult p = run.probe(id);
                assertThat(p.outcome()).as(id).isEqualTo(Outcome.REPLY);
                assertThat(p.detail("reply_from")).isEqualTo("8.8.8.8");
                SeenFlow seen = onlyFlow(p);
                assertThat(seen.sourceAddress()).isEqualTo(HOST);
                assertThat(seen.sourcePort()).as("echo id kept").isEqualTo(p.intDetail("echo_id"));
            }
            String id = run.probe("masq1").detail("echo_id");
            assertThat(Scenario.entries(run.conntrackAfter("masq1", "host"), "src=" + GUEST, "id=" + id))
                    .singleElement().asString()
                    .contains("src=192.168.122.55 dst=8.8.8.8 type=8 code=0 id=" + id + " src=8.8.8.8 dst=192.168.0.10 type=0 code=0 id=" + id);
        }

        @Test
        void fullyRandomMasqueradeRemapsTheEchoId() {
            ProbeResult p = run.probe("fully1");
            assertThat(p.outcome()).isEqualTo(Outcome.REPLY);
            SeenFlow seen = onlyFlow(p);
            assertThat(seen.sourceAddress()).isEqualTo(HOST);
            assertThat(seen.sourcePort()).isNotEqualTo(p.intDetail("echo_id"));
        }

        @Test
        void redirectMakesTheRouterAnswerItself() {
            ProbeResult p = run.probe("redirected");
            assertThat(p.outcome()).isEqualTo(Outcome.REPLY);
            assertThat(p.detail("reply_from")).isEqualTo("8.8.8.8");
            assertThat(p.inetSeen()).isEmpty();
            assertThat(run.counterDeltas("redirected", "host")).containsEntry("filter:INPUT #1", 1L).containsEntry("filter:OUTPUT #1", 1L);
        }

        @Test
        void localDnatSendsTheRoutersPingElsewhereUntilFlushed() {
            ProbeResult dnat = run.probe("local_dnat");
            assertThat(dnat.outcome()).isEqualTo(Outcome.REPLY);
            assertThat(dnat.detail("reply_from")).isEqualTo("192.168.0.20");
            assertThat(onlyFlow(dnat).destination()).isEqualTo("8.8.8.8");

            ProbeResult flushed = run.probe("undnat");
            assertThat(flushed.outcome()).isEqualTo(Outcome.REPLY);
            assertThat(flushed.detail("reply_from")).isEqualTo("192.168.0.20");
            assertThat(flushed.inetSeen()).isEmpty();
        }

        @Test
        void portOnlyDnatRewritesTheDestinationPort() {
            ProbeResult p = run.probe("portonly");
            assertThat(p.outcome()).isEqualTo(Outcome.CONNECTED);
            assertThat(p.detail("http_status")).isEqualTo("200");
            assertThat(onlyFlow(p).destination()).isEqualTo("142.250.1.1:80");
        }

        @Test
        void aSecondFlowWhoseReplyTupleIsTakenGetsAnotherSourcePort() {
            ProbeResult first = run.probe("clash1");
            assertThat(first.outcome()).isEqualTo(Outcome.REPLY);
            assertThat(first.detail("reply_from")).isEqualTo("1.1.1.1:7");
            ProbeResult second = run.probe("clash2");
            assertThat(second.outcome()).isEqualTo(Outcome.REPLY);
            assertThat(second.detail("reply_from")).isEqualTo("142.250.1.1:7");
            // the echo server saw the second flow from another port: its reply tuple was the first one's
            assertThat(onlyFlow(second).sourcePort()).isNotEqualTo(4321);
            assertThat(Scenario.entries(run.conntrackAfter("clash2", "inet"), "dst=142.250.1.1", "sport=4321"))
                    .singleElement().satisfies(e -> assertThat(Scenario.fields(e).get("dport").get(1)).isNotEqualTo("4321"));
        }

        @Test
        void aNattedFlowShadowsTheRoutersPortUnlessMitigated() {
            // default: the outside packet to router:1405 is forwarded to the client, whose port unreachable
            // comes back through the router (TTL 63)
            assertThat(run.counterDeltas("sh1", "guest")).containsEntry("filter:INPUT #1", 1L);
            assertThat(run.counterDeltas("sh1", "host")).doesNotContainKey("filter:INPUT #2");
            assertThat(run.probe("sh1").outcome()).isEqualTo(Outcome.ICMP_ERROR);
            assertThat(run.probe("sh1").intDetail("icmp_ttl")).isEqualTo(63);
            // filter, notrack, pat: the router's own port answers (port unreachable with TTL 64)
            for (String[] round : new String[][] {{"sh2", "#2"}, {"sh3", "#3"}, {"sh4", "#4"}}) {
                String id = round[0];
                assertThat(run.counterDeltas(id, "guest")).as(id + " at the client").isEmpty();
                assertThat(run.counterDeltas(id, "host")).as(id + " at the router").containsEntry("filter:INPUT #2", 1L);
                assertThat(run.probe(id).outcome()).isEqualTo(Outcome.ICMP_ERROR);
                assertThat(run.probe(id).intDetail("icmp_ttl")).as(id).isEqualTo(64);
            }
            assertThat(run.probe("sh2_entry").outcome()).as("the filter drops the client's datagram").isEqualTo(Outcome.TIMEOUT);
            ProbeResult pat = run.probe("sh4_entry");
            assertThat(onlyFlowOrNone(pat)).isEmpty();
            assertThat(Scenario.entries(run.conntrackAfter("sh4_entry", "host"), "sport=1408")).singleElement()
                    .satisfies(e -> assertThat(Integer.parseInt(Scenario.fields(e).get("dport").get(1))).isBetween(1409, 65535));
        }

        private static List<SeenFlow> onlyFlowOrNone(ProbeResult p) { return p.inetSeen(); }
    }

    @Nested
    class Vnetlab extends Checks implements OnVnetlab {}

    @Nested
    class Kernel extends Checks implements OnKernel {
        @Test
        void vnetlabAgreesProbeByProbe() {
            Agreement.between(run, vnetlab()).probes(PROBES).counters("host", "guest", "inet").conntrack("host", "inet")
                    .randomPorts("fully1", "clash2", "sh4_entry")
                    .check();
        }
    }
}
