package org.vnetlab.emulator.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.SaveFile;
import org.vnetlab.emulator.stack.netfilter.NetfilterPacketFilter;
import org.vnetlab.protocols.icmp.IcmpType;

/**
 * In the kernel a REJECT target's error and the stack's own errors are the same icmp_send call
 * (nf_send_unreach → __icmp_send), so they spend one namespace's budgets: the destination's inet_peer bucket
 * (6 errors at once, then one per icmp_ratelimit) and the global credit, under the namespace's sysctls. A — R — B;
 * R REJECTs forwarded UDP to port 9 and has no socket on its own port 5000.
 */
class IcmpErrorBudgetTest {
    static final String REJECT_UDP_9 = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A FORWARD -p udp --dport 9 -j REJECT
            COMMIT
            """;
    static final String OWN = "own port unreachable";
    static final String REJECT = "REJECT";

    Net net = new Net();
    IpStack a = net.stack("a");
    IpStack r = net.stack("r");
    IpStack b = net.stack("b");
    RuleCounters counters;
    int seen;

    @BeforeEach
    void topology() throws Exception {
        net.wire(a, "eth0", "10.0.1.2/24", r, "eth0", "10.0.1.1/24");
        net.wire(r, "eth1", "10.0.2.1/24", b, "eth0", "10.0.2.2/24");
        a.addDefaultRoute(Net.ip("10.0.1.1"), "eth0", 0);
        r.setIpForward(true);
        SaveFile save = IptablesSaveParser.parse(REJECT_UDP_9, "r.rules");
        counters = save.counters();
        r.setPacketFilter(new NetfilterPacketFilter(
                Netfilter.iptables(save.ruleset(), counters, r.hostNetwork(), ConntrackSettings.DEFAULTS, 1), net.lab));
        a.openPing(1).send(Net.ip("10.0.1.1"), 1, Net.pingData()); // neighbours resolved, no error sent yet
        net.lab.scheduler().runUntilIdle();
        net.lab.scheduler().runFor(Net.seconds(10));
        seen = net.ipSentOn("r/eth0").size();
    }

    /** One datagram from A: to R's closed port (R's own error) or through R to B's port 9 (REJECTed in FORWARD). */
    void send(String kind) throws SocketException {
        if (kind.equals(OWN)) a.openUdp().sendTo(Net.ip("10.0.1.1"), 5000, new byte[] {1});
        else a.openUdp().sendTo(Net.ip("10.0.2.2"), 9, new byte[] {1});
    }

    /** Sends {@code kinds} all in the same millisecond; the port unreachables R sent back, by what they quote. */
    List<String> burst(String... kinds) throws SocketException {
        for (String k : kinds) send(k);
        net.lab.scheduler().runUntilIdle();
        List<String> errors = new ArrayList<>();
        List<Net.Captured> out = net.ipSentOn("r/eth0");
        for (Net.Captured c : out.subList(seen, out.size())) {
            if (c.ip().protocol().value() != 1) continue;
            ByteBuf icmp = c.ip().payload();
            if (icmp.getUnsignedByte(0) != IcmpType.DESTINATION_UNREACHABLE || icmp.getUnsignedByte(1) != 3) continue;
            int quotedHeader = (icmp.getUnsignedByte(8) & 0x0f) * 4;
            int quotedPort = icmp.getUnsignedShort(8 + quotedHeader + 2);
            errors.add(quotedPort == 5000 ? OWN : REJECT);
        }
        seen = out.size();
        return errors;
    }

    long rejected() { return counters.rule(new RuleRef(TableName.FILTER, "FORWARD", 1)).packets(); }

    @Test
    void the_stacks_errors_and_rejects_to_one_destination_share_its_burst_of_six() throws Exception {
        List<String> errors = burst(OWN, REJECT, OWN, REJECT, OWN, REJECT, OWN, REJECT);

        assertThat(errors).containsExactly(OWN, REJECT, OWN, REJECT, OWN, REJECT);
        assertThat(rejected()).as("REJECT still ends all four; only its error is held back").isEqualTo(4);
        assertThat(r.counter(Mib.ICMP_OUT_RATE_LIMIT_HOST)).isEqualTo(2);
        assertThat(r.counter(Mib.icmpMsgOut(IcmpType.DESTINATION_UNREACHABLE))).isEqualTo(6);
    }

    @Test
    void six_rejects_use_up_what_the_stacks_own_error_would_need_and_a_second_later_one_token_is_back() throws Exception {
        assertThat(burst(REJECT, REJECT, REJECT, REJECT, REJECT, REJECT, OWN)).containsExactly(
                REJECT, REJECT, REJECT, REJECT, REJECT, REJECT);

        net.lab.scheduler().runFor(Net.seconds(1));
        assertThat(burst(OWN, REJECT)).containsExactly(OWN);
    }

    @Test
    void the_namespaces_icmp_ratelimit_governs_rejects_too() throws Exception {
        r.setSettings(r.settings().withIcmpRatelimit(0, 0x1818));

        // no per-destination limit; 20 errors spend at most 40 of the 50 global credits
        List<String> errors = burst(java.util.Collections.nCopies(20, REJECT).toArray(String[]::new));

        assertThat(errors).hasSize(20);
        assertThat(r.counter(Mib.ICMP_OUT_RATE_LIMIT_HOST)).isZero();
    }

    @Test
    void an_icmp_ratemask_without_unreachables_leaves_both_unlimited() throws Exception {
        r.setSettings(r.settings().withIcmpRatelimit(1000, 0x1810));

        assertThat(burst(java.util.Collections.nCopies(60, OWN).toArray(String[]::new))).hasSize(60);
        assertThat(burst(java.util.Collections.nCopies(60, REJECT).toArray(String[]::new))).hasSize(60);
    }
}
