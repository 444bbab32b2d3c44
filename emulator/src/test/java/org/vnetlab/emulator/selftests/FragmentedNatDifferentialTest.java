package org.vnetlab.emulator.selftests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.oracle.RuleCounters;
import org.vnetlab.emulator.selftests.SelftestChecks.OnKernel;
import org.vnetlab.emulator.selftests.SelftestChecks.OnVnetlab;

/**
 * Fragmented datagrams through the host's masquerade, kernel against vnetlab: with conntrack in use the host
 * gathers fragments before its rules (nf_defrag_ipv4), tracks and NATs the whole datagram once, and cuts it
 * again on the way out, never into pieces bigger than the largest that came (frag_max_size). The router and
 * the guest keep stateless rules, so they count each fragment as it passes: the router's FORWARD those the
 * host sends to and gets from the internet, the guest's raw PREROUTING those the host sends it.
 *
 * <p>The internet side runs at MTU 1000 (router wan0 and inet wan0): a 3000-byte ping leaves the guest in
 * fragments of 1500, 1500 and 68 bytes, is masqueraded whole (one conntrack entry, the host's FORWARD sees one
 * 3028-byte datagram each way and its {@code -f} rule nothing), and goes to the router as the same three
 * fragments, each from 192.168.0.10; the echo reply comes back from the internet in fragments of 996, 996, 996
 * and 100 bytes, and the host, although virbr0 has MTU 1500, hands it to the guest in the same four pieces.
 * A 2000-byte UDP datagram to the internet's echo port goes the same way.
 */
class FragmentedNatDifferentialTest {
    static final String HOST = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -s 192.168.122.0/24 -o enp3s0 -j MASQUERADE
            COMMIT
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A FORWARD -f -j ACCEPT
            -A FORWARD -p icmp -j ACCEPT
            -A FORWARD -p udp -j ACCEPT
            COMMIT
            """;

    static final String ROUTER = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A FORWARD -s 192.168.0.10 -f
            -A FORWARD -s 192.168.0.10 ! -f
            -A FORWARD -d 192.168.0.10 -f
            -A FORWARD -d 192.168.0.10 ! -f
            COMMIT
            """;

    static final String GUEST = """
            *raw
            :PREROUTING ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A PREROUTING -i eth0 -f
            -A PREROUTING -i eth0 ! -f
            COMMIT
            """;

    static final Scenario SCENARIO = new Scenario("fragmented_nat", s -> Scenario.quietTopology()
            .mtu("router", "wan0", 1000).mtu("inet", "wan0", 1000)
            .route("guest", "default via 192.168.122.1")
            .iptables(s.rules("host.rules", HOST))
            .iptables("router", s.rules("router.rules", ROUTER))
            .iptables("guest", s.rules("guest.rules", GUEST))
            .probe(Probe.ping("ping3000", "8.8.8.8").with("size", 3000).with("df", 0))
            .probe(Probe.udp("udp2000", "142.250.1.1", 7).with("sport", 40007).with("hex", "5a".repeat(2000)))
            .build());

    static final List<String> PROBES = List.of("ping3000", "udp2000");

    static RuleCounters.Counter counter(Observed run, String after, String ns, String key) {
        RuleCounters.Counter c = run.countersAfter(after, ns).all().get(key);
        if (c == null) throw new AssertionError("no counter " + key + " in " + ns + " (" + run.who() + ")");
        return c;
    }

    /** The counter's packets and bytes moved by probe {@code id} as "packets/bytes". */
    static String moved(Observed run, String id, String ns, String key) {
        long packets = run.counterDeltas(id, ns).getOrDefault(key, 0L);
        return packets + "/" + counter(run, id, ns, key).bytes();
    }

    abstract static class Checks extends SelftestChecks {
        Checks() { super(SCENARIO); }

        @Test
        void aFragmentedPingIsMasqueradedWholeAndLeavesInTheGuestsFragmentsFrom192_168_0_10() {
            assertThat(run.probe("ping3000").outcome()).isEqualTo(Outcome.REPLY);
            assertThat(counter(run, "ping3000", "host", "filter:FORWARD #1").packets()).as("-f on the host").isZero();
            RuleCounters.Counter whole = counter(run, "ping3000", "host", "filter:FORWARD #2");
            assertThat(whole.packets()).as("request and reply, each whole").isEqualTo(2);
            assertThat(whole.bytes()).isEqualTo(2 * 3028);
            List<String> icmp = Scenario.entries(run.conntrackAfter("ping3000", "host"), "icmp");
            assertThat(icmp).hasSize(1);
            assertThat(icmp.get(0)).contains("src=192.168.122.55 dst=8.8.8.8").contains("src=8.8.8.8 dst=192.168.0.10");

            assertThat(moved(run, "ping3000", "router", "filter:FORWARD #1")).as("later fragments out, SNATed").isEqualTo("2/1568");
            assertThat(moved(run, "ping3000", "router", "filter:FORWARD #2")).as("first fragment out, SNATed").isEqualTo("1/1500");
            assertThat(moved(run, "ping3000", "router", "filter:FORWARD #3")).as("later fragments back").isEqualTo("3/2092");
            assertThat(moved(run, "ping3000", "router", "filter:FORWARD #4")).as("first fragment back").isEqualTo("1/996");
        }

        @Test
        void theReplyReachesTheGuestCutToTheLargestFragmentThatCameNotToVirbr0sMtu() {
            assertThat(moved(run, "ping3000", "guest", "raw:PREROUTING #1")).isEqualTo("3/2092");
            assertThat(moved(run, "ping3000", "guest", "raw:PREROUTING #2")).isEqualTo("1/996");
        }

        @Test
        void aFragmentedUdpDatagramIsOneConnectionAndItsEchoComesBack() {
            assertThat(run.probe("udp2000").outcome()).isEqualTo(Outcome.REPLY);
            RuleCounters.Counter udp = counter(run, "udp2000", "host", "filter:FORWARD #3");
            assertThat(run.counterDeltas("udp2000", "host")).containsEntry("filter:FORWARD #3", 2L);
            assertThat(udp.bytes()).isEqualTo(2 * 2028);
            assertThat(counter(run, "udp2000", "host", "filter:FORWARD #1").packets()).isZero();
            List<String> entries = Scenario.entries(run.conntrackAfter("udp2000", "host"), "udp");
            assertThat(entries).hasSize(1);
            assertThat(entries.get(0)).contains("src=192.168.122.55 dst=142.250.1.1").contains("dst=192.168.0.10");
        }
    }

    @Nested
    class Vnetlab extends Checks implements OnVnetlab {}

    @Nested
    class Kernel extends Checks implements OnKernel {
        @Test
        void vnetlabAgreesProbeByProbe() {
            Agreement.between(run, vnetlab()).probes(PROBES)
                    .counters("host", "router", "guest").conntrack("host").check();
        }
    }
}
