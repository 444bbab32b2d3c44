package org.vnetlab.emulator.selftests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.selftests.SelftestChecks.OnKernel;
import org.vnetlab.emulator.selftests.SelftestChecks.OnVnetlab;

/**
 * Fragments bridged between two guests on virbr0 with br_netfilter on (bridge-nf-call-iptables = 1) and
 * conntrack in use on the host (a conntrack match in FORWARD), kernel against vnetlab. br_nf_pre_routing hands
 * each fragment to iptables' PREROUTING, where nf_defrag_ipv4 gathers them (IP_DEFRAG_CONNTRACK_BRIDGE_IN): the
 * host's FORWARD sees one 3028-byte datagram each way and its {@code -f} rule nothing, conntrack holds one
 * entry, and br_nf_dev_queue_xmit cuts the datagram again to its largest fragment, so each guest receives the
 * 1500, 1500 and 68-byte fragments the other sent (counted by stateless raw rules in the guests).
 */
class BridgedFragmentsDifferentialTest {
    static final String HOST = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A FORWARD -f
            -A FORWARD -i virbr0 -o virbr0 -p icmp -m conntrack --ctstate NEW,ESTABLISHED
            COMMIT
            """;

    static final String GUEST = """
            *raw
            :PREROUTING ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A PREROUTING -i eth0 -p icmp -f
            -A PREROUTING -i eth0 -p icmp ! -f
            COMMIT
            """;

    static final Scenario SCENARIO = new Scenario("bridged_fragments", s -> Scenario.quietTopology()
            .set("guest2.ip", "192.168.122.56/24")
            .set("bridge-nf-call-iptables", "1")
            .iptables(s.rules("host.rules", HOST))
            .iptables("guest", s.rules("guest.rules", GUEST))
            .iptables("guest2", s.rules("guest2.rules", GUEST))
            .probe(Probe.ping("ping3000", "192.168.122.56").with("size", 3000).with("df", 0))
            .build());

    static final List<String> PROBES = List.of("ping3000");

    abstract static class Checks extends SelftestChecks {
        Checks() { super(SCENARIO); }

        @Test
        void theHostsRulesSeeEachWholeDatagramOnceAndConntrackOneEntry() {
            assertThat(run.probe("ping3000").outcome()).isEqualTo(Outcome.REPLY);
            assertThat(FragmentedNatDifferentialTest.counter(run, "ping3000", "host", "filter:FORWARD #1").packets()).as("-f").isZero();
            assertThat(FragmentedNatDifferentialTest.moved(run, "ping3000", "host", "filter:FORWARD #2"))
                    .as("echo request and reply, each whole").isEqualTo("2/6056");
            assertThat(Scenario.entries(run.conntrackAfter("ping3000", "host"), "src=192.168.122.55", "dst=192.168.122.56"))
                    .singleElement().asString().startsWith("icmp 1 src=192.168.122.55 dst=192.168.122.56 type=8");
        }

        @Test
        void eachGuestReceivesTheOtherGuestsFragmentsAsTheyWereSent() {
            for (String guest : List.of("guest2", "guest")) {
                assertThat(FragmentedNatDifferentialTest.moved(run, "ping3000", guest, "raw:PREROUTING #1")).as(guest + " later fragments")
                        .isEqualTo("2/1568");
                assertThat(FragmentedNatDifferentialTest.moved(run, "ping3000", guest, "raw:PREROUTING #2")).as(guest + " first fragment")
                        .isEqualTo("1/1500");
            }
        }
    }

    @Nested
    class Vnetlab extends Checks implements OnVnetlab {}

    @Nested
    class Kernel extends Checks implements OnKernel {
        @Test
        void vnetlabAgreesProbeByProbe() {
            Agreement.between(run, vnetlab()).probes(PROBES).counters("host", "guest", "guest2").conntrack("host").check();
        }
    }
}
