package org.vnetlab.emulator.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.sim.SeededRandom;
import org.vnetlab.emulator.stack.IcmpRateLimiter.GlobalCheck;
import org.vnetlab.emulator.stack.IcmpRateLimiter.Settings;
import org.vnetlab.protocols.Ipv4Address;

/**
 * One namespace's ICMP error limits as Linux 6.18 applies them (net/ipv4/icmp.c icmp_global_allow,
 * icmp_global_consume, icmpv4_xrlim_allow; net/ipv4/inetpeer.c inet_peer_xrlim_allow), at HZ = 1000.
 */
class IcmpRateLimiterTest {
    static final long SECOND = 1_000_000_000L;
    static final long MS = 1_000_000L;
    static final Ipv4Address A = Ipv4Address.parse("192.168.0.20");
    static final Ipv4Address B = Ipv4Address.parse("192.168.0.21");

    static IcmpRateLimiter limiter(Settings s) { return new IcmpRateLimiter(new SeededRandom(7), () -> s); }

    static boolean unreachable(IcmpRateLimiter l, Ipv4Address to, long at) {
        return l.allowError(3, 3, to, false, true, false, at);
    }

    @Test
    void fragmentationNeededAndEchoRepliesAreNeverLimited() {
        IcmpRateLimiter l = limiter(Settings.DEFAULTS);
        for (int i = 0; i < 100; i++) {
            assertThat(l.allowError(3, 4, A, false, true, false, SECOND + i)).isTrue();
            assertThat(l.allowError(0, 0, A, false, true, false, SECOND + i)).isTrue();
        }
        assertThat(unreachable(l, A, SECOND + 200)).as("the peer's bucket was untouched").isTrue();
    }

    @Test
    void aBurstOfSixPerDestinationThenOnePerIcmpRatelimit() {
        IcmpRateLimiter l = limiter(Settings.DEFAULTS);
        List<Boolean> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) sent.add(unreachable(l, A, 10 * SECOND + i * MS));
        assertThat(sent).containsExactly(true, true, true, true, true, true, false, false);
        assertThat(unreachable(l, B, 10 * SECOND + 8 * MS)).as("another destination, another bucket").isTrue();
        assertThat(unreachable(l, A, 10 * SECOND + 999 * MS)).as("0.992 s of tokens: not yet").isFalse();
        assertThat(unreachable(l, A, 11 * SECOND + 8 * MS)).isTrue();
    }

    @Test
    void aNewDestinationStartsWithSixtySecondsOfTokensSoAboveTenSecondsTheBurstIsShorter() {
        // seen in the kernel oracle: with icmp_ratelimit=60000 a burst to a new destination got one error
        IcmpRateLimiter l = limiter(new Settings(20_000, 0x1818, 1000, 50));
        List<Boolean> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) sent.add(unreachable(l, A, 10 * SECOND + i * MS));
        assertThat(sent).containsExactly(true, true, true, false);
    }

    @Test
    void icmpRatelimitZeroTurnsThePerDestinationLimitOff() {
        IcmpRateLimiter l = limiter(new Settings(0, 0x1818, 1000, 50));
        int sent = 0;
        for (int i = 0; i < 20; i++) if (unreachable(l, A, SECOND + i)) sent++;
        assertThat(sent).as("only the global 50-credit burst applies, 2 credits at most each").isEqualTo(20);
    }

    @Test
    void withIcmpRatelimitZeroEachErrorStillEmptiesThePeerSoANoRouteErrorRightAfterIsNotSent() {
        // Linux 6.18, seen in the kernel oracle: a port unreachable, then within a second a no-route error
        // to the same sender: none; 1.5 s later: sent
        IcmpRateLimiter l = limiter(new Settings(0, 0x1818, 1000, 50));
        assertThat(unreachable(l, A, 10 * SECOND)).isTrue();
        assertThat(l.allowRouteError(A, 10 * SECOND + 300 * MS)).isFalse();
        assertThat(l.allowRouteError(A, 11 * SECOND + 800 * MS)).isTrue();
    }

    @Test
    void errorsRefusedByTheDestinationsBucketSpendNoGlobalCredit() {
        // Since "icmp: change the order of rate limits" the credit is spent only after the peer check lets
        // an error go. A thousand refused errors to A leave the credit of the 6 sent (at least 50 - 12).
        IcmpRateLimiter l = limiter(Settings.DEFAULTS);
        for (int i = 0; i < 1000; i++) unreachable(l, A, SECOND);
        assertThat(unreachable(l, B, SECOND)).isTrue();
    }

    @Test
    void theGlobalCreditIsRefilledOnlyWhenEmptyAndAtMostEvery20Ms() {
        IcmpRateLimiter l = limiter(new Settings(0, 0x1818, 1000, 3));
        long t = 5 * SECOND;
        int sent = 0;
        while (l.globalAllow(3, 3, false, t) == GlobalCheck.PASSED) {
            assertThat(l.peerAllow(GlobalCheck.PASSED, A, false, t)).isTrue();
            sent++;
        }
        assertThat(sent).as("3 credits, 0-2 spent by each").isBetween(2, 50);
        assertThat(l.globalAllow(3, 3, false, t + 19 * MS)).as("within HZ/50 of the refill").isEqualTo(GlobalCheck.REFUSED);
        assertThat(l.globalAllow(3, 3, false, t + 20 * MS)).isEqualTo(GlobalCheck.PASSED);
    }

    @Test
    void theGlobalCheckSpendsNothingAndOnlyAnErrorLetGoSpends() {
        IcmpRateLimiter l = limiter(new Settings(1000, 0x1818, 1000, 1));
        // a credit of 1: checks alone keep passing at the same instant
        for (int i = 0; i < 10; i++) assertThat(l.globalAllow(3, 3, false, SECOND)).isEqualTo(GlobalCheck.PASSED);
    }

    @Test
    void packetsThatCameInOnLoopbackAndTypesOutsideTheMaskAreExemptFromBoth() {
        IcmpRateLimiter l = limiter(new Settings(1000, 0x1818, 0, 0));
        assertThat(l.globalAllow(3, 3, false, SECOND)).as("icmp_msgs_per_sec 0: no credit ever").isEqualTo(GlobalCheck.REFUSED);
        assertThat(l.globalAllow(3, 3, true, SECOND)).isEqualTo(GlobalCheck.EXEMPT);
        assertThat(l.globalAllow(5, 1, false, SECOND)).as("redirects are not in 0x1818").isEqualTo(GlobalCheck.EXEMPT);
        for (int i = 0; i < 10; i++) assertThat(l.peerAllow(GlobalCheck.EXEMPT, A, false, SECOND)).isTrue();
    }

    @Test
    void errorsRoutedOverLoopbackSkipThePeerButStillSpendGlobalCredit() {
        IcmpRateLimiter l = limiter(new Settings(1000, 0x1818, 1000, 50));
        int sent = 0;
        for (int i = 0; i < 200; i++) if (l.allowError(3, 3, A, false, true, true, SECOND)) sent++;
        assertThat(sent).as("no peer limit, but the 50 credits run out within the millisecond").isBetween(25, 199);
    }

    @Test
    void aNoRouteErrorCostsTheSenderTwoTokens() {
        IcmpRateLimiter l = limiter(Settings.DEFAULTS);
        long t = 10 * SECOND;
        List<Boolean> sent = new ArrayList<>();
        for (long at : new long[] {t, t + 300 * MS, t + 600 * MS, t + 2600 * MS}) {
            sent.add(l.allowRouteError(A, at) && unreachable(l, A, at));
        }
        // ip_error: 5 -> 4 then icmp_send 4 -> 3; 3.3 -> 2.3 -> 1.3; 1.6 -> 0.6 < 1: refused; 2 s later 2.6 tokens
        assertThat(sent).containsExactly(true, true, false, true);
    }

    @Test
    void theSameSeedGivesTheSameDraws() {
        List<Boolean> first = new ArrayList<>();
        List<Boolean> second = new ArrayList<>();
        for (List<Boolean> run : List.of(first, second)) {
            IcmpRateLimiter l = limiter(new Settings(0, 0x1818, 1000, 50));
            for (int i = 0; i < 100; i++) run.add(unreachable(l, A, SECOND));
        }
        assertThat(first).isEqualTo(second).contains(false);
    }
}
