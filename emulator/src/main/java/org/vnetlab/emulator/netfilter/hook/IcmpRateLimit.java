package org.vnetlab.emulator.netfilter.hook;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The limits Linux puts on the ICMP errors a host sends (net/ipv4/icmp.c, net/ipv4/route.c), per network
 * namespace, on the emulated clock in jiffies (HZ = 1000, like the rest of the engine):
 * <ul>
 *   <li>only types in {@code icmp_ratemask} (0x1818: destination unreachable, source quench, time exceeded,
 *       parameter problem) are limited, and never "fragmentation needed" (PMTU discovery);</li>
 *   <li>global: {@code icmp_msgs_per_sec} (1000) with a burst of {@code icmp_msgs_burst} (50); each error sent
 *       consumes a random 0–2 credits (icmp_global_consume) — drawn from the seeded random here;</li>
 *   <li>per destination (the inet_peer of the address the error goes to): a token bucket of
 *       {@code icmp_ratelimit} (1 s) per error with a burst of 6 (XRLIM_BURST_FACTOR); a new peer starts full;
 *       errors routed over loopback, or about packets that came in on loopback, are not limited;</li>
 *   <li>a "no route" error (ip_error) first spends {@code route/error_cost} (1 s) from the SAME peer bucket,
 *       capped at {@code error_burst} (5 s), so back-to-back unreachables cost that destination two tokens each:
 *       three within a second leave the third unsent.</li>
 * </ul>
 */
public final class IcmpRateLimit {
    static final long HZ = 1000;
    private static final int XRLIM_BURST_FACTOR = 6;
    private static final long ERROR_COST = HZ, ERROR_BURST = 5 * HZ;

    /** net.ipv4 sysctls of ICMP rate limiting (icmp_ratelimit in ms, as sysctl prints it). */
    public record Settings(int ratelimitMillis, int ratemask, int msgsPerSec, int msgsBurst) {
        public static final Settings DEFAULTS = new Settings(1000, 0x1818, 1000, 50);
    }

    /** struct inet_peer's rate_tokens and rate_last, in jiffies. */
    private static final class Peer {
        long tokens;
        long last;

        Peer(long now) {
            this.tokens = 0;
            this.last = now - 60 * HZ; // inet_getpeer: "chosen enough high so that the first calculation is at its maximum"
        }
    }

    private final Settings settings;
    private final Map<Ipv4Address, Peer> peers = new HashMap<>();
    private final SplittableRandom random;
    private long globalCredit;
    private long globalStamp = Long.MIN_VALUE;

    public IcmpRateLimit(Settings settings, long seed) {
        this.settings = settings;
        this.random = new SplittableRandom(seed ^ 0x1c3b_9a1eL);
    }

    private static long jiffies(long nanos) { return Math.floorDiv(nanos, 1_000_000_000L / HZ); }

    private Peer peer(Ipv4Address a, long now) { return peers.computeIfAbsent(a, k -> new Peer(now)); }

    /**
     * icmp_send's checks for an error of {@code type}/{@code code} to {@code destination}: whether it may be
     * sent now. {@code inOnLoopback}: the offending packet came in on lo; {@code outOnLoopback}: the error
     * is routed over lo (to a local address).
     */
    public boolean allowError(int type, int code, Ipv4Address destination, boolean inOnLoopback, boolean outOnLoopback,
                              long nowNanos) {
        long now = jiffies(nowNanos);
        boolean limited = type <= 18 && !(type == 3 && code == 4) && ((1 << type) & settings.ratemask()) != 0;
        if (!limited || inOnLoopback) return true;
        if (!globalAllow(now)) return false;
        boolean ok = true;
        long timeout = settings.ratelimitMillis() * HZ / 1000;
        if (timeout != 0 && !outOnLoopback) {
            Peer p = peer(destination, now);
            long token = p.tokens + (now - p.last);
            p.last = now;
            if (token > XRLIM_BURST_FACTOR * timeout) token = XRLIM_BURST_FACTOR * timeout;
            if (token >= timeout) {
                token -= timeout;
            } else {
                ok = false;
            }
            p.tokens = token;
        }
        if (ok) globalCredit -= random.nextInt(3);
        return ok;
    }

    /** ip_error's own limit before it sends a "no route" error to {@code source}. */
    public boolean allowRouteError(Ipv4Address source, long nowNanos) {
        long now = jiffies(nowNanos);
        Peer p = peer(source, now);
        p.tokens += now - p.last;
        if (p.tokens > ERROR_BURST) p.tokens = ERROR_BURST;
        p.last = now;
        if (p.tokens >= ERROR_COST) {
            p.tokens -= ERROR_COST;
            return true;
        }
        return false;
    }

    /** icmp_global_allow: credits refill at msgs_per_sec (at most a second's worth), capped at msgs_burst. */
    private boolean globalAllow(long now) {
        if (globalCredit > 0) return true;
        if (globalStamp == Long.MIN_VALUE) globalStamp = now - HZ; // the namespace's stamp is long past
        long delta = Math.min(now - globalStamp, HZ);
        if (delta < HZ / 50) return false;
        long incr = settings.msgsPerSec() * delta / HZ;
        if (incr == 0) return false;
        globalStamp = now;
        globalCredit = Math.min(globalCredit + incr, settings.msgsBurst());
        return true;
    }
}
