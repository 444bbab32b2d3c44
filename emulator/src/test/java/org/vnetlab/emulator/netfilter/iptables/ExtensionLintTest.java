package org.vnetlab.emulator.netfilter.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;

/** What vnetlab cannot know about a host's ipsets and queues, said as lint findings. */
class ExtensionLintTest {
    @Test
    void fail2bansSetIsAssumedEmptyAndNamedOnceAndAQueueWithoutBypassDrops() throws InputException {
        String dump = """
                *filter
                :INPUT ACCEPT [0:0]
                :FORWARD ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                -A INPUT -p tcp -m multiport --dports 22 -m set --match-set f2b-sshd src -j REJECT --reject-with icmp-port-unreachable
                -A INPUT -m set --match-set f2b-sshd src -j DROP
                -A INPUT -p udp -m udp --dport 9 -j NFQUEUE --queue-num 1
                -A INPUT -p udp -m udp --dport 10 -j NFQUEUE --queue-num 1 --queue-bypass
                COMMIT
                """;
        assertThat(RulesetLint.check(IptablesSaveParser.parse(dump, "h.rules").ruleset()))
                .extracting(LintFinding::toString)
                .containsExactly(
                        "h.rules:5: filter -A INPUT -p tcp -m multiport --dports 22 -m set --match-set f2b-sshd src -j REJECT"
                                + " --reject-with icmp-port-unreachable: rules use ipset f2b-sshd; its members are unknown"
                                + " (not in iptables-save; `ipset save` lists them): assumed empty",
                        "h.rules:7: filter -A INPUT -p udp -m udp --dport 9 -j NFQUEUE --queue-num 1: NFQUEUE: no program reads"
                                + " the queue in the lab, so the kernel's no-listener behaviour applies: matching packets are"
                                + " dropped (--queue-bypass would let them pass)");
    }
}
