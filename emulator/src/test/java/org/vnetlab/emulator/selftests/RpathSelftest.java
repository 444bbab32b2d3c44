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
 * tools/testing/selftests/net/netfilter/rpath.sh, IPv4 without the VRF round: {@code -m rpfilter} in raw
 * PREROUTING must not match "martian" traffic (whose route back leaves by another interface) and must match
 * regular traffic; {@code --invert} the other way round. The selftest's ns2 is the host; its martian pinger
 * ns1 is the guest, made martian by a host route that sends 192.168.122.55 back out of enp3s0 (via the LAN
 * host, which does not forward, so the reply vanishes like the selftest's into its dummy device); its
 * regular pinger is the LAN host. The selftest's rules, plus the same with {@code --loose}.
 *
 * <p>Also the kernel's own reverse path filter, which the selftest turns off: with rp_filter=1 (strict) the
 * martian ping dies in the routing decision (INPUT never sees it), with 2 (loose) it is delivered, and
 * regular traffic passes both. The nft {@code fib saddr . iif oif exists} variant is left to nftables.
 */
class RpathSelftest {
    static final Scenario SCENARIO = new Scenario("rpath", s -> Scenario.quietTopology()
            .route("host", "default via 192.168.0.1")
            .route("host", "192.168.122.55/32 via 192.168.0.20")
            .sysctl("host", "net.ipv4.conf.all.rp_filter", "0")
            .sysctl("host", "net.ipv4.conf.default.rp_filter", "0")
            .iptables(s.rules("host.rules", """
                    *raw
                    :PREROUTING ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    -A PREROUTING -s 192.168.0.0/16 -m rpfilter
                    -A PREROUTING -s 192.168.0.0/16 -m rpfilter --invert
                    -A PREROUTING -s 192.168.0.0/16 -m rpfilter --loose
                    -A PREROUTING -s 192.168.0.0/16 -m rpfilter --loose --invert
                    COMMIT
                    *filter
                    :INPUT ACCEPT [0:0]
                    :FORWARD ACCEPT [0:0]
                    :OUTPUT ACCEPT [0:0]
                    -A INPUT -s 192.168.122.55/32 -p icmp
                    COMMIT
                    """))
            .probe(Probe.ping("martian", "192.168.122.1").with("timeout", 1))
            .probe(Probe.ping("regular", "192.168.0.10").from("lanhost"))
            .probe(Probe.sysctl("rp_strict", "net.ipv4.conf.all.rp_filter", 1))
            .probe(Probe.ping("martian_strict", "192.168.122.1").with("timeout", 1))
            .probe(Probe.ping("regular_strict", "192.168.0.10").from("lanhost"))
            .probe(Probe.sysctl("rp_loose", "net.ipv4.conf.all.rp_filter", 2))
            .probe(Probe.ping("martian_loose", "192.168.122.1").with("timeout", 1))
            .build());

    static final String STRICT = "raw:PREROUTING #1";
    static final String STRICT_INVERT = "raw:PREROUTING #2";
    static final String LOOSE = "raw:PREROUTING #3";
    static final String LOOSE_INVERT = "raw:PREROUTING #4";
    static final String DELIVERED = "filter:INPUT #1";

    abstract static class Checks extends SelftestChecks {
        Checks() { super(SCENARIO); }

        @Test
        void martianTrafficFailsTheStrictMatchAndPassesTheLooseOne() {
            assertThat(run.probe("martian").outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(run.counterDeltas("martian", "host")).containsEntry(STRICT_INVERT, 1L).containsEntry(LOOSE, 1L)
                    .doesNotContainKeys(STRICT, LOOSE_INVERT);
        }

        @Test
        void regularTrafficMatchesBoth() {
            assertThat(run.probe("regular").outcome()).isEqualTo(Outcome.REPLY);
            assertThat(run.counterDeltas("regular", "host")).containsEntry(STRICT, 1L).containsEntry(LOOSE, 1L)
                    .doesNotContainKeys(STRICT_INVERT, LOOSE_INVERT);
        }

        @Test
        void theKernelsStrictReversePathFilterDropsTheMartianBeforeInputAndLooseDoesNot() {
            assertThat(run.counterDeltas("martian", "host")).containsEntry(DELIVERED, 1L);
            assertThat(run.counterDeltas("martian_strict", "host")).containsEntry(STRICT_INVERT, 1L).doesNotContainKey(DELIVERED);
            assertThat(run.probe("regular_strict").outcome()).isEqualTo(Outcome.REPLY);
            assertThat(run.counterDeltas("martian_loose", "host")).containsEntry(DELIVERED, 1L);
            assertThat(run.probe("martian_loose").outcome()).isEqualTo(Outcome.TIMEOUT);
        }
    }

    @Nested
    class Vnetlab extends Checks implements OnVnetlab {}

    @Nested
    class Kernel extends Checks implements OnKernel {
        @Test
        void vnetlabAgreesProbeByProbe() {
            Agreement.between(run, vnetlab())
                    .probes(List.of("martian", "regular", "martian_strict", "regular_strict", "martian_loose"))
                    .counters("host").check();
        }
    }
}
