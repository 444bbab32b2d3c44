package org.vnetlab.emulator.stack;

import java.util.HashMap;
import java.util.Map;
import org.vnetlab.emulator.sim.SeededRandom;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpType;

/**
 * The rate limits on what a host sends about other hosts, on the virtual clock in jiffies of 1 ms (HZ=1000):
 * <ul>
 *   <li>per destination (inet_peer): icmp_ratelimit tokens for ICMP errors of the types in icmp_ratemask
 *       (inet_peer_xrlim_allow: tokens grow by elapsed jiffies up to 6 x the limit, each message costs the
 *       limit; a new peer starts full, so a burst of 6 goes out, then one per icmp_ratelimit); ip_error's
 *       own bucket (cost 1 s, burst 5 s) in front of it for unreachable routes; the redirect back-off
 *       (ip_rt_send_redirect: 9 redirects at most, spaced 20 ms &lt;&lt; n, reset after 20 s of silence).
 *       The kernel keeps all three in one inet_peer, so they share its tokens, as here;</li>
 *   <li>host-wide (icmp_global_allow): icmp_msgs_per_sec credits refilled at most every 20 ms, at most
 *       icmp_msgs_burst; each message takes 0, 1 or 2 credits at random (the kernel's prandom_u32_max(3)),
 *       drawn here from the stack's seeded stream.</li>
 * </ul>
 * Loopback is exempt from both, as in icmpv4_xrlim_allow and __icmp_send. Fragmentation-needed is never
 * limited (PMTU discovery depends on it).
 */
final class RateLimits {
    private static final long HZ = 1000;
    private static final int XRLIM_BURST_FACTOR = 6;
    private static final long ERROR_COST = HZ;
    private static final long ERROR_BURST = 5 * HZ;
    private static final int REDIRECT_NUMBER = 9;
    private static final long REDIRECT_LOAD = HZ / 50;
    private static final long REDIRECT_SILENCE = REDIRECT_LOAD << (REDIRECT_NUMBER + 1);

    private static final class Peer {
        long rateTokens;
        long rateLast;
        int redirects;
    }

    private final Map<Ipv4Address, Peer> peers = new HashMap<>();
    private final SeededRandom random;
    private long globalCredit;
    private long globalStamp = -HZ; // as if the host had been up a while: the first error may go out at once

    RateLimits(SeededRandom random) {
        this.random = random;
    }

    private Peer peer(Ipv4Address address, long now) {
        return peers.computeIfAbsent(address, a -> {
            Peer p = new Peer();
            p.rateLast = now - 60 * HZ; // "chosen high enough that the first calculation of tokens is at its maximum"
            return p;
        });
    }

    static long jiffies(long nanos) { return nanos / 1_000_000L; }

    /** Whether this ICMP type/code is subject to the limits at all (icmpv4_mask_allow inverted). */
    static boolean limited(int type, int code, int ratemask) {
        if (type > 18) return false;
        if (type == IcmpType.DESTINATION_UNREACHABLE && code == IcmpCode.FRAGMENTATION_NEEDED) return false;
        return ((1 << type) & ratemask) != 0;
    }

    /** icmp_global_allow. */
    boolean globalAllow(long nanos, int msgsPerSec, int burst) {
        long now = jiffies(nanos);
        long incr = 0;
        long delta = Math.min(now - globalStamp, HZ);
        if (delta >= HZ / 50) {
            incr = msgsPerSec * delta / HZ;
            if (incr > 0) globalStamp = now;
        }
        long credit = Math.min(globalCredit + incr, burst);
        boolean ok = false;
        if (credit > 0) {
            credit = Math.max(credit - random.nextInt(3), 0);
            ok = true;
        }
        globalCredit = credit;
        return ok;
    }

    /** inet_peer_xrlim_allow towards {@code destination}. */
    boolean peerAllow(Ipv4Address destination, long nanos, long timeoutMillis) {
        long now = jiffies(nanos);
        Peer p = peer(destination, now);
        long token = p.rateTokens;
        long delta = now - p.rateLast;
        if (delta != 0) {
            p.rateLast = now;
            token += delta;
            if (token > XRLIM_BURST_FACTOR * timeoutMillis) token = XRLIM_BURST_FACTOR * timeoutMillis;
        }
        boolean ok = false;
        if (token >= timeoutMillis) {
            token -= timeoutMillis;
            ok = true;
        }
        p.rateTokens = token;
        return ok;
    }

    /** ip_error's bucket for {@code source}, the sender of a packet that hit an unreachable route. */
    boolean routeErrorAllow(Ipv4Address source, long nanos) {
        long now = jiffies(nanos);
        Peer p = peer(source, now);
        p.rateTokens += now - p.rateLast;
        if (p.rateTokens > ERROR_BURST) p.rateTokens = ERROR_BURST;
        p.rateLast = now;
        if (p.rateTokens >= ERROR_COST) {
            p.rateTokens -= ERROR_COST;
            return true;
        }
        return false;
    }

    /** ip_rt_send_redirect's back-off for {@code source}: true when a redirect goes out now. */
    boolean redirectAllow(Ipv4Address source, long nanos) {
        long now = jiffies(nanos);
        Peer p = peer(source, now);
        if (now > p.rateLast + REDIRECT_SILENCE) {
            p.rateTokens = 0;
            p.redirects = 0;
        }
        if (p.redirects >= REDIRECT_NUMBER) {
            p.rateLast = now;
            return false;
        }
        if (p.redirects == 0 || now > p.rateLast + (REDIRECT_LOAD << p.redirects)) {
            p.rateLast = now;
            p.redirects++;
            return true;
        }
        return false;
    }
}
