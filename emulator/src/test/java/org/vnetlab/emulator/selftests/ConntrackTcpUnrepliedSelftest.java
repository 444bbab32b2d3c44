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
 * tools/testing/selftests/net/netfilter/conntrack_tcp_unreplied.sh: an UNREPLIED TCP connection attempt
 * keeps its conntrack entry, without NAT, for as long as it is retried; a REDIRECT loaded meanwhile applies
 * only to new connections; the entry times out after nf_conntrack_tcp_timeout_syn_sent, and then the same
 * tuple is redirected too. The selftest's client ns1 is the guest; its ns2 (forwarding the SYNs to a
 * virtual IP that answers nothing, later redirecting them to a local port 8080) is the host, with a web
 * server on 0.0.0.0:8080. syn_sent is 5 s here (the selftest: 10 s) to keep the run short.
 *
 * <p>The kernel also shows why a retried SYN is not redirected although the REDIRECT rule counts it: the
 * entry was confirmed before any nat hook existed, so it has no NAT binding and still looks NEW; the nat
 * chain is walked and REDIRECT matches, but nf_nat_setup_info does nothing for a confirmed connection.
 * Unanswered probes wait 0.8 s, before the SYN's first retransmission (1 s), so both runs send one SYN.
 *
 * <p>Checked as the selftest checks: the unanswered SYN leaves a SYN_SENT [UNREPLIED] entry; after the
 * REDIRECT, a new connection is redirected (its reply source port is 8080) and counted once, 60 bytes, by
 * the INPUT rule for NEW connections to port 8080 in state DNAT (nft's {@code ct status dnat}: iptables' virtual
 * state DNAT, ANDed with NEW as a second match). Also checked (what "eventually time out"
 * means): a retry of the first tuple while its entry lives is not redirected, and after the timeout it is.
 */
class ConntrackTcpUnrepliedSelftest {
    static final Scenario SCENARIO = new Scenario("conntrack_tcp_unreplied", s -> Scenario.quietTopology()
            .set("host.http", "0.0.0.0:8080")
            .iptables(s.rules("host.rules", """
                    *filter
                    :INPUT ACCEPT [0:0]
                    :FORWARD ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    -A INPUT -d 10.99.99.99/32 -p tcp -m tcp --dport 80 --tcp-flags FIN,SYN,RST,ACK SYN -m conntrack --ctstate NEW -j ACCEPT
                    -A INPUT -p tcp -m tcp --dport 8080 -m conntrack --ctstate NEW -m conntrack --ctstate DNAT -j ACCEPT
                    COMMIT
                    """))
            .sysctl("host", "net.netfilter.nf_conntrack_tcp_timeout_syn_sent", "5")
            .probe(Probe.tcp("unreplied", "10.99.99.99", 80).with("sport", 40001).with("timeout", 0.8))
            .probe(Probe.iptables("redirect_on", s.rules("redirect.rules", """
                    *nat
                    :PREROUTING ACCEPT [0:0]
                    :INPUT ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    :POSTROUTING ACCEPT [0:0]
                    -A PREROUTING -d 10.99.99.99/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 8080
                    COMMIT
                    """)))
            .probe(Probe.tcp("retried", "10.99.99.99", 80).with("sport", 40001).with("timeout", 0.8))
            .probe(Probe.tcp("fresh", "10.99.99.99", 80).with("sport", 40002).with("http", 1))
            .probe(Probe.sleep("wait", 5500))
            .probe(Probe.tcp("expired", "10.99.99.99", 80).with("sport", 40001).with("http", 1))
            .build());

    abstract static class Checks extends SelftestChecks {
        Checks() { super(SCENARIO); }

        @Test
        void anUnansweredSynLeavesAnUnrepliedSynSentEntry() {
            assertThat(run.probe("unreplied").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(Scenario.entries(run.conntrackAfter("unreplied", "host"), "sport=40001", "dport=80"))
                    .singleElement().asString().startsWith("tcp 6 SYN_SENT").contains("[UNREPLIED]").contains("sport=80 dport=40001");
        }

        @Test
        void whileTheEntryLivesItsTupleIsNotRedirected() {
            assertThat(run.probe("retried").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(run.counterDeltas("retried", "host")).doesNotContainKey("filter:INPUT #2")
                    .containsEntry("nat:PREROUTING #1", 1L).containsEntry("filter:FORWARD policy", 1L);
        }

        @Test
        void aNewConnectionIsRedirectedAndCountedOnce() {
            assertThat(run.probe("fresh").outcome()).isEqualTo(Outcome.CONNECTED);
            assertThat(run.probe("fresh").detail("http_status")).isEqualTo("200");
            RuleCounters.Counter redir = run.countersAfter("fresh", "host").all().get("filter:INPUT #2");
            assertThat(redir.packets()).isEqualTo(1);
            assertThat(redir.bytes()).isEqualTo(60);
            assertThat(Scenario.entries(run.conntrackAfter("fresh", "host"), "sport=40002")).singleElement().asString()
                    .contains("dport=80 src=192.168.122.1 dst=192.168.122.55 sport=8080 dport=40002");
        }

        @Test
        void afterSynSentTimesOutTheSameTupleIsRedirected() {
            assertThat(run.probe("expired").outcome()).isEqualTo(Outcome.CONNECTED);
            List<String> entries = Scenario.entries(run.conntrackAfter("expired", "host"), "sport=40001");
            assertThat(entries).singleElement().asString().contains("sport=8080 dport=40001").doesNotContain("SYN_SENT");
        }
    }

    @Nested
    class Vnetlab extends Checks implements OnVnetlab {}

    @Nested
    class Kernel extends Checks implements OnKernel {
        @Test
        void vnetlabAgreesProbeByProbe() {
            Agreement.between(run, vnetlab()).probes("unreplied", "retried", "fresh", "expired")
                    .counters("host").conntrack("host").check();
        }
    }
}
