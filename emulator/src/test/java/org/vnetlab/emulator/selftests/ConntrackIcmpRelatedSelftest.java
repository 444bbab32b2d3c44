package org.vnetlab.emulator.selftests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.oracle.ProbeResult;
import org.vnetlab.emulator.oracle.RuleCounters;
import org.vnetlab.emulator.selftests.SelftestChecks.OnKernel;
import org.vnetlab.emulator.selftests.SelftestChecks.OnVnetlab;

/**
 * tools/testing/selftests/net/netfilter/conntrack_icmp_related.sh, IPv4: ICMP errors must be RELATED to the
 * connection they quote, pass rulesets that let through nothing else, and find their way back through NAT.
 * The selftest's chain nsclient1 → nsrouter1 (masquerading ICMP) → nsrouter2 → nsclient2, with the last link
 * at MTU 1280, is guest → host → router → internet with {@code mtu} 1280 on both ends of the router–internet
 * link. The nft rules, as iptables:
 * <ul>
 *   <li>both routers' FORWARD: destination-unreachable RELATED accepted (counter "related"), ICMP NEW or
 *       ESTABLISHED accepted, everything else dropped (counter "unknown"); the host also masquerades ICMP out
 *       of enp3s0;</li>
 *   <li>the client's INPUT: redirect RELATED ("redir4"), ESTABLISHED/UNTRACKED, other RELATED ("related"),
 *       else dropped; the far client's INPUT and OUTPUT: ESTABLISHED/UNTRACKED, NEW counted ("new"), else
 *       dropped.</li>
 * </ul>
 * Checked as the selftest checks: a 1000-byte DF ping works with every "unknown" and "related" counter at 0
 * and one NEW packet of 1028 bytes at the far client; a 1300-byte DF ping fails with fragmentation needed
 * (MTU 1280), which the second router sent itself (its FORWARD "related" stays 0) and the first router and
 * the client saw as RELATED, once, 576 bytes (an ICMP error is cut to 576 bytes), with the quoted header
 * translated back to the client; a ping to a neighbour routed via the router makes the router send an ICMP
 * redirect that the client accepts as RELATED. Beyond the selftest (which checks fragmentation needed and
 * redirects), a UDP datagram to a closed port of the far client: its port unreachable is RELATED at every
 * hop (the rulesets also pass UDP, and the far client may send RELATED), quoting the client's own address
 * and port once back through the masquerade.
 */
class ConntrackIcmpRelatedSelftest {
    static final String ROUTERS = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A FORWARD -p icmp -m icmp --icmp-type 3 -m conntrack --ctstate RELATED -j ACCEPT
            -A FORWARD -p icmp -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT
            -A FORWARD -p udp -m conntrack --ctstate NEW,ESTABLISHED -j ACCEPT
            -A FORWARD -j DROP
            COMMIT
            """;

    static final Scenario SCENARIO = new Scenario("conntrack_icmp_related", s -> Scenario.quietTopology()
            .mtu("router", "wan0", 1280).mtu("inet", "wan0", 1280)
            .route("guest", "default via 192.168.122.1")
            .route("guest", "192.168.122.42 via 192.168.122.1")
            .iptables(s.rules("host.rules", ROUTERS + """
                    *nat
                    :PREROUTING ACCEPT [0:0]
                    :INPUT ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    :POSTROUTING ACCEPT [0:0]
                    -A POSTROUTING -o enp3s0 -p icmp -j MASQUERADE
                    -A POSTROUTING -o enp3s0 -p udp -j MASQUERADE
                    COMMIT
                    """))
            .iptables("router", s.rules("router.rules", ROUTERS))
            .iptables("guest", s.rules("guest.rules", """
                    *filter
                    :INPUT ACCEPT [0:0]
                    :FORWARD ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    -A INPUT -p icmp -m icmp --icmp-type 5 -m conntrack --ctstate RELATED -j ACCEPT
                    -A INPUT -p icmp -m conntrack --ctstate ESTABLISHED,UNTRACKED -j ACCEPT
                    -A INPUT -p icmp -m conntrack --ctstate RELATED -j ACCEPT
                    -A INPUT -j DROP
                    COMMIT
                    """))
            .iptables("inet", s.rules("inet.rules", """
                    *filter
                    :INPUT ACCEPT [0:0]
                    :FORWARD ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    -A INPUT -p icmp -m conntrack --ctstate ESTABLISHED,UNTRACKED -j ACCEPT
                    -A INPUT -p icmp -m conntrack --ctstate NEW -j ACCEPT
                    -A INPUT -p icmp -m conntrack --ctstate ESTABLISHED -j ACCEPT
                    -A INPUT -p udp -m conntrack --ctstate NEW -j ACCEPT
                    -A INPUT -j DROP
                    -A OUTPUT -p icmp -m conntrack --ctstate ESTABLISHED,UNTRACKED -j ACCEPT
                    -A OUTPUT -p icmp -m conntrack --ctstate RELATED -j ACCEPT
                    -A OUTPUT -p icmp -m conntrack --ctstate NEW
                    -A OUTPUT -p icmp -m conntrack --ctstate ESTABLISHED
                    -A OUTPUT -j DROP
                    COMMIT
                    """))
            .probe(Probe.ping("fits", "8.8.8.8").with("size", 1000).with("df", 1))
            .probe(Probe.ping("toobig", "8.8.8.8").with("size", 1300).with("df", 1))
            .probe(Probe.udp("closed", "8.8.8.8", 5353).with("sport", 40003))
            .probe(Probe.ping("redirect1", "192.168.122.42").with("id", 4200).with("seq", 1).with("timeout", 0.5))
            .probe(Probe.ping("redirect2", "192.168.122.42").with("id", 4200).with("seq", 2).with("timeout", 1))
            .build());

    static final List<String> PROBES = List.of("fits", "toobig", "closed", "redirect1", "redirect2");

    static RuleCounters.Counter counter(Observed run, String after, String ns, String key) {
        RuleCounters.Counter c = run.countersAfter(after, ns).all().get(key);
        if (c == null) throw new AssertionError("no counter " + key + " in " + ns + " (" + run.who() + ")");
        return c;
    }

    abstract static class Checks extends SelftestChecks {
        Checks() { super(SCENARIO); }

        @Test
        void aPingThatFitsPassesAsNewAndEstablishedOnly() {
            assertThat(run.probe("fits").outcome()).isEqualTo(Outcome.REPLY);
            for (String ns : List.of("host", "router")) {
                assertThat(counter(run, "fits", ns, "filter:FORWARD #4").packets()).as(ns + " unknown").isZero();
                assertThat(counter(run, "fits", ns, "filter:FORWARD #1").packets()).as(ns + " related").isZero();
            }
            assertThat(counter(run, "fits", "guest", "filter:INPUT #4").packets()).as("client unknown").isZero();
            assertThat(counter(run, "fits", "guest", "filter:INPUT #3").packets()).as("client related").isZero();
            RuleCounters.Counter fresh = counter(run, "fits", "inet", "filter:INPUT #2");
            assertThat(fresh.packets()).as("far client new").isEqualTo(1);
            assertThat(fresh.bytes()).isEqualTo(1028);
            assertThat(counter(run, "fits", "inet", "filter:INPUT #5").packets()).as("far client unknown").isZero();
        }

        @Test
        void fragmentationNeededIsRelatedAndTranslatedBackToTheClient() {
            ProbeResult p = run.probe("toobig");
            assertThat(p.outcome()).isEqualTo(Outcome.ICMP_ERROR);
            assertThat(p.intDetail("icmp_type")).isEqualTo(3);
            assertThat(p.intDetail("icmp_code")).isEqualTo(4);
            assertThat(p.detail("icmp_from")).isEqualTo("192.168.0.1");
            assertThat(p.detail("quoted_src")).as("inner header de-NATed").isEqualTo("192.168.122.55");
            assertThat(p.intDetail("icmp_len")).isEqualTo(576);
            assertThat(counter(run, "toobig", "router", "filter:FORWARD #1").packets())
                    .as("the second router generated the error: OUTPUT, not FORWARD").isZero();
            for (String[] where : new String[][] {{"host", "filter:FORWARD #1"}, {"guest", "filter:INPUT #3"}}) {
                RuleCounters.Counter related = counter(run, "toobig", where[0], where[1]);
                assertThat(related.packets()).as(where[0] + " related").isEqualTo(1);
                assertThat(related.bytes()).as(where[0] + " related bytes").isEqualTo(576);
            }
            assertThat(counter(run, "toobig", "host", "filter:FORWARD #4").packets()).as("unknown").isZero();
        }

        @Test
        void aPortUnreachableFromTheFarClientIsRelatedAtEveryHopAndDeNatted() {
            ProbeResult p = run.probe("closed");
            assertThat(p.outcome()).isEqualTo(Outcome.ICMP_ERROR);
            assertThat(p.intDetail("icmp_type")).isEqualTo(3);
            assertThat(p.intDetail("icmp_code")).isEqualTo(3);
            assertThat(p.detail("icmp_from")).isEqualTo("8.8.8.8");
            assertThat(p.detail("quoted_src")).isEqualTo("192.168.122.55");
            assertThat(p.intDetail("quoted_sport")).isEqualTo(40003);
            assertThat(run.counterDeltas("closed", "inet")).as("sent RELATED from the far client").containsEntry("filter:OUTPUT #2", 1L);
            assertThat(run.counterDeltas("closed", "router")).containsEntry("filter:FORWARD #1", 1L);
            assertThat(run.counterDeltas("closed", "host")).containsEntry("filter:FORWARD #1", 1L);
            assertThat(run.counterDeltas("closed", "guest")).containsEntry("filter:INPUT #3", 1L);
        }

        @Test
        void theRoutersRedirectIsRelatedAtTheClient() {
            RuleCounters.Counter redir = counter(run, "redirect2", "guest", "filter:INPUT #1");
            assertThat(redir.packets()).isGreaterThanOrEqualTo(1);
            // an echo request of 84 bytes quoted whole: 20 + 8 + 84
            assertThat(redir.bytes()).isEqualTo(112 * redir.packets());
            assertThat(counter(run, "redirect2", "guest", "filter:INPUT #4").packets()).as("client unknown").isZero();
        }
    }

    @Nested
    class Vnetlab extends Checks implements OnVnetlab {}

    @Nested
    class Kernel extends Checks implements OnKernel {
        @Test
        void vnetlabAgreesProbeByProbe() {
            Agreement.between(run, vnetlab()).probes(PROBES)
                    .counters("host", "router", "guest", "inet").conntrack("host", "router", "guest", "inet").check();
        }
    }
}
