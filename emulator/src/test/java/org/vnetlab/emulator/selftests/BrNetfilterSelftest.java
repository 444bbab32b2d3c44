package org.vnetlab.emulator.selftests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.oracle.ProbeResult;
import org.vnetlab.emulator.selftests.SelftestChecks.OnKernel;
import org.vnetlab.emulator.selftests.SelftestChecks.OnVnetlab;

/**
 * tools/testing/selftests/net/netfilter/br_netfilter.sh: conntrack with br_netfilter, bridged unicast and
 * broadcast pings. The selftest's bridge ns0 is the host's virbr0 with bridge-nf-call-iptables=1; its ns1
 * and ns2 are the guest and a second guest; the host answers broadcast pings
 * (icmp_echo_ignore_broadcasts=0). Its nft rules as iptables, which br_netfilter runs for bridged IPv4:
 * the bridge-family forward drop of broadcast ICMP becomes {@code FORWARD -m pkttype --pkt-type broadcast -p
 * icmp -j DROP}; the input chain counts what arrives on the bridge and accepts NEW. Bridged traffic between
 * the guests is counted per direction with {@code -m physdev}.
 *
 * <p>Checked: the guests ping each other across the bridge, the host's FORWARD chain seeing each direction
 * with its bridge ports and conntrack tracking the bridged flow; a broadcast ping is answered by the host,
 * its copy towards the other guest dropped in FORWARD, its local copy counted once in INPUT. The selftest's
 * other half (macvlan devices on and under the bridge) is not reproduced: vnetlab has no macvlan; and its
 * "kernel not tainted" has no vnetlab counterpart beyond this run completing.
 */
class BrNetfilterSelftest {
    static final Scenario SCENARIO = new Scenario("br_netfilter", s -> Scenario.quietTopology()
            .set("guest2.ip", "192.168.122.56/24")
            .set("bridge-nf-call-iptables", "1")
            .sysctl("host", "net.ipv4.icmp_echo_ignore_broadcasts", "0")
            .iptables(s.rules("host.rules", """
                    *filter
                    :INPUT ACCEPT [0:0]
                    :FORWARD ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    -A INPUT -i virbr0
                    -A INPUT -m conntrack --ctstate NEW -j ACCEPT
                    -A FORWARD -p icmp -m pkttype --pkt-type broadcast -j DROP
                    -A FORWARD -i virbr0 -o virbr0 -p icmp -m physdev --physdev-in vnet0 --physdev-out vnet1 --physdev-is-bridged
                    -A FORWARD -i virbr0 -o virbr0 -p icmp -m physdev --physdev-in vnet1 --physdev-out vnet0 --physdev-is-bridged
                    COMMIT
                    """))
            .probe(Probe.ping("unicast", "192.168.122.56"))
            .probe(Probe.ping("broadcast1", "192.168.122.255"))
            .probe(Probe.ping("broadcast2", "192.168.122.255"))
            .probe(Probe.ping("broadcast3", "192.168.122.255"))
            .build());

    static final List<String> PROBES = List.of("unicast", "broadcast1", "broadcast2", "broadcast3");

    abstract static class Checks extends SelftestChecks {
        Checks() { super(SCENARIO); }

        @Test
        void theGuestsPingEachOtherThroughTheBridgesForwardChain() {
            ProbeResult p = run.probe("unicast");
            assertThat(p.outcome()).isEqualTo(Outcome.REPLY);
            assertThat(p.detail("reply_from")).isEqualTo("192.168.122.56");
            assertThat(run.counterDeltas("unicast", "host")).containsEntry("filter:FORWARD #2", 1L).containsEntry("filter:FORWARD #3", 1L)
                    .doesNotContainKeys("filter:INPUT #1", "filter:FORWARD #1");
            assertThat(Scenario.entries(run.conntrackAfter("unicast", "host"), "src=192.168.122.55", "dst=192.168.122.56"))
                    .singleElement().asString().startsWith("icmp 1 src=192.168.122.55 dst=192.168.122.56 type=8");
        }

        @Test
        void aBroadcastPingIsAnsweredByTheHostAndNotForwarded() {
            for (String id : List.of("broadcast1", "broadcast2", "broadcast3")) {
                ProbeResult p = run.probe(id);
                assertThat(p.outcome()).as(id).isEqualTo(Outcome.REPLY);
                assertThat(p.detail("reply_from")).as(id).isEqualTo("192.168.122.1");
                assertThat(run.counterDeltas(id, "host")).as(id).containsEntry("filter:FORWARD #1", 1L).containsEntry("filter:INPUT #1", 1L)
                        .doesNotContainKeys("filter:FORWARD #2");
            }
        }
    }

    @Nested
    class Vnetlab extends Checks implements OnVnetlab {}

    @Nested
    class Kernel extends Checks implements OnKernel {
        @Test
        void vnetlabAgreesProbeByProbe() {
            Agreement.between(run, vnetlab()).probes(PROBES).counters("host").conntrack("host").check();
        }
    }
}
