package org.vnetlab.emulator.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.Nexthop;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.SaveFile;
import org.vnetlab.emulator.stack.netfilter.NetfilterPacketFilter;
import org.vnetlab.protocols.icmp.IcmpType;

/**
 * The ICMP errors a router's stack sends about a packet carry that packet's connection (icmp_glue_bits →
 * nf_ct_attach), so OUTPUT sees them RELATED even while the connection is unconfirmed; and NAT drops a
 * redirect about a connection whose NAT is not settled both ways or translates something
 * (nf_nat_icmp_reply_translation). A — R — B, A routing a neighbour 10.0.1.42 via R, so R forwards back out
 * the interface it came in and sends a redirect.
 */
class IcmpErrorConntrackTest {
    static final String FILTER = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A OUTPUT -p icmp -m icmp --icmp-type 5 -m conntrack --ctstate RELATED -j ACCEPT
            -A OUTPUT -p icmp -m icmp --icmp-type 5
            COMMIT
            """;

    Net net = new Net();
    IpStack a = net.stack("a");
    IpStack r = net.stack("r");
    IpStack b = net.stack("b");
    RuleCounters counters;
    List<Integer> redirects = new java.util.ArrayList<>();

    void topology(String rules) throws Exception {
        net.wire(a, "eth0", "10.0.1.2/24", r, "eth0", "10.0.1.1/24");
        net.wire(r, "eth1", "10.0.2.1/24", b, "eth0", "10.0.2.2/24");
        a.addDefaultRoute(Net.ip("10.0.1.1"), "eth0", 0);
        a.addRoute(Route.unicast(Ipv4Prefix.host(Net.ip("10.0.1.42")), Nexthop.via(Net.ip("10.0.1.1"), "eth0"), 0));
        r.setIpForward(true);
        SaveFile save = IptablesSaveParser.parse(rules, "r.rules");
        counters = save.counters();
        r.setPacketFilter(new NetfilterPacketFilter(
                Netfilter.iptables(save.ruleset(), counters, r.hostNetwork(), ConntrackSettings.DEFAULTS, 1), net.lab));
    }

    void pingTheNeighbourTwice() throws Exception {
        PingSocket ping = a.openPing(4200);
        for (int seq = 1; seq <= 2; seq++) {
            ping.send(Net.ip("10.0.1.42"), seq, Net.pingData());
            net.lab.scheduler().runFor(Net.seconds(0.5));
        }
        for (Net.Captured c : net.ipSentOn("r/eth0")) {
            if (c.ip().protocol().value() == 1 && c.ip().payload().getUnsignedByte(0) == IcmpType.REDIRECT) redirects.add(1);
        }
    }

    long packets(String chainRule) {
        String[] w = chainRule.split("#");
        return counters.rule(new RuleRef(TableName.FILTER, w[0], Integer.parseInt(w[1]))).packets();
    }

    @Test
    void without_nat_every_redirect_goes_out_and_is_related_to_the_unconfirmed_connection() throws Exception {
        topology(FILTER);
        pingTheNeighbourTwice();

        assertThat(redirects).hasSize(2);
        assertThat(packets("OUTPUT#1")).as("RELATED, not INVALID").isEqualTo(2);
        assertThat(packets("OUTPUT#2")).isZero();
    }

    @Test
    void with_a_nat_table_the_first_packets_redirect_is_dropped_because_source_nat_is_not_done_yet() throws Exception {
        topology(FILTER + """
                *nat
                :PREROUTING ACCEPT [0:0]
                :INPUT ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                :POSTROUTING ACCEPT [0:0]
                -A POSTROUTING -o eth1 -j MASQUERADE
                COMMIT
                """);
        pingTheNeighbourTwice();

        // the first redirect meets NAT in OUTPUT before the connection reached POSTROUTING: dropped there,
        // before the filter table; the second is about a confirmed connection with null bindings: it goes out
        assertThat(redirects).hasSize(1);
        assertThat(packets("OUTPUT#1")).isEqualTo(1);
    }
}
