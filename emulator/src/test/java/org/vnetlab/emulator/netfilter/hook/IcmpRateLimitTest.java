package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.MacAddress;

/**
 * ICMP errors the host sends are rate limited as in net/ipv4/icmp.c and route.c: per destination a bucket
 * of six with one token per second (icmp_ratelimit 1000 ms, XRLIM_BURST_FACTOR 6), which a "no route"
 * error drains twice (ip_error's route/error_cost, then icmp_send). Found by the kernel oracle: a guest
 * sending three packets to unroutable destinations within a second got only two net unreachables back.
 */
class IcmpRateLimitTest {
    static final MacAddress M = MacAddress.parse("52:54:00:aa:bb:01");
    static final long SECOND = 1_000_000_000L;

    PathRunner host(String filterRules, boolean defaultRoute) throws InputException {
        ArticleHost h = articleHost(defaultRoute);
        return new PathRunner(Netfilter.iptables(Rulesets.parse(filterRules), new RuleCounters(), h, ConntrackSettings.DEFAULTS, 3),
                h, true);
    }

    /** The article's host, optionally without its default route (then only its connected networks are reachable). */
    static ArticleHost articleHost(boolean defaultRoute) { return defaultRoute ? new ArticleHost() : ArticleHost.withoutDefaultRoute(); }

    static final String REJECT_FROM_LAN = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A FORWARD -i enp3s0 -j REJECT --reject-with icmp-port-unreachable
            -A OUTPUT -d 127.0.0.0/8 -p udp -j REJECT
            COMMIT
            """;

    /** Sends {@code pings} inbound pings from the LAN host at {@code start}, {@code gap} apart; true where an error came back. */
    static List<Boolean> inboundPings(PathRunner h, int pings, long start, long gap) {
        List<Boolean> answered = new ArrayList<>();
        for (int i = 0; i < pings; i++) {
            PathRunner.Result r = h.receive(Packets.ping("192.168.0.20", "192.168.122.55", 64, 100 + i, 1), "enp3s0", M, M,
                    start + i * gap);
            assertThat(r.disposition()).isEqualTo(Disposition.REJECTED);
            answered.add(!r.replies().isEmpty());
        }
        return answered;
    }

    @Test
    void rejectAnswersOneHostSixTimesAtOnceThenOncePerSecond() throws InputException {
        PathRunner h = host(REJECT_FROM_LAN, true);

        assertThat(inboundPings(h, 8, 10 * SECOND, 10_000_000)).containsExactly(true, true, true, true, true, true, false, false);
        assertThat(inboundPings(h, 2, 11_500_000_000L, 10_000_000)).as("1.4 s later one token is back").containsExactly(true, false);
    }

    @Test
    void theRefusedErrorIsNamedInTheTraceAndTheRejectStillDrops() throws InputException {
        PathRunner h = host(REJECT_FROM_LAN, true);
        inboundPings(h, 6, 10 * SECOND, 1_000_000);

        PathRunner.Result seventh = h.receive(Packets.ping("192.168.0.20", "192.168.122.55", 64, 7, 1), "enp3s0", M, M,
                10 * SECOND + 7_000_000);

        assertThat(seventh.disposition()).isEqualTo(Disposition.REJECTED);
        assertThat(seventh.replies()).isEmpty();
        assertThat(seventh.trace().steps(TraceStep.Stack.class)).extracting(TraceStep.Stack::detail)
                .contains("icmp_send: no ICMP 3/3 to 192.168.0.20: rate limited (icmp_ratelimit / icmp_msgs_per_sec)");
    }

    @Test
    void eachDestinationHasItsOwnBucket() throws InputException {
        PathRunner h = host(REJECT_FROM_LAN, true);
        inboundPings(h, 6, 10 * SECOND, 1_000_000);

        PathRunner.Result other = h.receive(Packets.ping("192.168.0.21", "192.168.122.55", 64, 1, 1), "enp3s0", M, M,
                10 * SECOND + 7_000_000);

        assertThat(other.replies()).hasSize(1);
    }

    @Test
    void noRouteErrorsCostTheSenderTwoTokensSoTheThirdWithinASecondIsNotSent() throws InputException {
        PathRunner h = host(REJECT_FROM_LAN, false);
        long t = 10 * SECOND;
        List<Boolean> answered = new ArrayList<>();
        for (long at : new long[] {t, t + 300_000_000, t + 600_000_000, t + 2_600_000_000L}) {
            PathRunner.Result r = h.receive(Packets.ping("192.168.122.55", "8.8.8.8", 64, 1, 1), "virbr0", M, M, at);
            assertThat(r.disposition()).isEqualTo(Disposition.NO_ROUTE);
            answered.add(!r.replies().isEmpty());
        }
        // ip_error: 5 -> 4 then icmp_send 4 -> 3; 3.3 -> 2.3 -> 1.3; 1.6 -> 0.6 < 1: refused; 2 s later 2.6 tokens
        assertThat(answered).containsExactly(true, true, false, true);
    }

    @Test
    void timeExceededIsLimitedLikeUnreachables() throws InputException {
        PathRunner h = host(REJECT_FROM_LAN, true);
        List<Boolean> answered = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            answered.add(!h.receive(Packets.ping("192.168.122.55", "8.8.8.8", 1, i, 1), "virbr0", M, M, 10 * SECOND + i).replies().isEmpty());
        }
        assertThat(answered).containsExactly(true, true, true, true, true, true, false);
    }

    @Test
    void errorsOverLoopbackAreNotLimited() throws InputException {
        PathRunner h = host(REJECT_FROM_LAN, true);
        for (int i = 0; i < 10; i++) {
            PathRunner.Result r = h.send(Packets.udp("127.0.0.1", 40000 + i, "127.0.0.1", 9, 64, 4), 10 * SECOND + i);
            assertThat(r.disposition()).isEqualTo(Disposition.REJECTED);
            assertThat(r.replies()).as("error %d", i).hasSize(1);
        }
    }
}
