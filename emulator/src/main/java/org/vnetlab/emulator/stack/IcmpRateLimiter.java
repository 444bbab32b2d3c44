package org.vnetlab.emulator.stack;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.vnetlab.emulator.sim.SeededRandom;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpType;

/**
 * The limits one network namespace puts on what it sends about other hosts, as Linux 6.18 keeps them: the
 * only such state of a host, shared by every path that reaches icmp_send — the stack's own errors (port
 * unreachable, TTL exceeded, no route) and netfilter's REJECT (nf_send_unreach calls the same icmp_send).
 *
 * <ul>
 *   <li><b>icmpv4_global_allow</b> (net/ipv4/icmp.c; per namespace, no longer host-wide): only types in {@code icmp_ratemask}
 *       are limited, never fragmentation-needed; nor anything about a packet that came in on loopback. The
 *       credit is refilled only when it is empty (at most {@code icmp_msgs_per_sec} × a second's worth, not
 *       more often than every HZ/50, capped at {@code icmp_msgs_burst}); the check spends nothing.</li>
 *   <li><b>icmpv4_xrlim_allow</b>: errors routed out over loopback pass; otherwise the destination's inet_peer
 *       bucket (inet_peer_xrlim_allow: tokens grow by the jiffies elapsed, capped at 6 × the limit only when
 *       time moved; a new peer starts as if idle for 60 s, a full burst up to a 10 s limit). Even with
 *       {@code icmp_ratelimit} 0 the peer is consulted: every error passes but its tokens are capped to 0,
 *       which starves ip_error's bucket on the same peer (6.18, seen in the kernel oracle; later kernels skip
 *       the peer then). Only an error this lets go spends 0, 1 or 2 global credits at random
 *       (icmp_global_consume), drawn from the host's seeded stream; the credit may go negative.</li>
 *   <li><b>ip_error</b> (net/ipv4/route.c): before a no-route error, the sender's same inet_peer pays
 *       route/error_cost (HZ) from a bucket capped at error_burst (5 HZ), so such errors cost two tokens.</li>
 *   <li><b>ip_rt_send_redirect</b>: the sender's peer allows 9 redirects, spaced HZ/50 &lt;&lt; n apart, reset after
 *       (HZ/50) &lt;&lt; 10 jiffies without a redirected packet (which also zeroes the peer's tokens).</li>
 * </ul>
 *
 * <p>Time is kernel jiffies of the emulated clock at HZ = 1000, the value the rest of the engine counts in
 * (conntrack timeouts, xt_limit) and the one Fedora and RHEL kernels, libvirt's usual hosts, are built with
 * (Debian builds 250: timings then round to 4 ms, the limits themselves are the same in seconds).
 * Jiffies are the clock floored to whole milliseconds; the global stamp is a u32 as in struct netns_ipv4,
 * starting a second in the past so the first refill is a full one, as on any host up for a while.
 */
public final class IcmpRateLimiter {
    public static final long HZ = 1000;
    private static final long NANOS_PER_JIFFY = 1_000_000_000L / HZ;
    private static final long XRLIM_BURST_FACTOR = 6;
    private static final long ERROR_COST = HZ;
    private static final long ERROR_BURST = 5 * HZ;
    private static final int REDIRECT_NUMBER = 9;
    private static final long REDIRECT_LOAD = HZ / 50;
    private static final long REDIRECT_SILENCE = REDIRECT_LOAD << (REDIRECT_NUMBER + 1);

    /** net.ipv4.icmp_ratelimit (milliseconds, as sysctl shows it), icmp_ratemask, icmp_msgs_per_sec, icmp_msgs_burst. */
    public record Settings(int ratelimitMillis, int ratemask, int msgsPerSec, int msgsBurst) {
        /** Linux 6.18's defaults for a new namespace. */
        public static final Settings DEFAULTS = new Settings(1000, 0x1818, 1000, 50);
    }

    /** What icmpv4_global_allow decided: refused, let go without limits (apply_ratelimit false), or let go to the peer check. */
    public enum GlobalCheck { REFUSED, EXEMPT, PASSED }

    /** struct inet_peer's rate fields, in jiffies. */
    private static final class Peer {
        long rateTokens;
        long rateLast;
        int redirects;
    }

    private final SeededRandom random;
    private final Supplier<Settings> settings;
    private final Map<Ipv4Address, Peer> peers = new HashMap<>();
    private int globalCredit;
    private int globalStamp = (int) -HZ;

    /** A namespace whose sysctls are read from {@code settings} at each check, as the kernel reads them. */
    public IcmpRateLimiter(SeededRandom random, Supplier<Settings> settings) {
        this.random = Objects.requireNonNull(random, "random");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A namespace with the default sysctls. */
    public IcmpRateLimiter(SeededRandom random) { this(random, () -> Settings.DEFAULTS); }

    static long jiffies(long nanos) { return Math.floorDiv(nanos, NANOS_PER_JIFFY); }

    /** msecs_to_jiffies (rounds up when HZ does not divide 1000). */
    private static long msToJiffies(long ms) { return (ms * HZ + 999) / 1000; }

    /** Whether this type/code is subject to the limits at all (icmpv4_mask_allow inverted). */
    public static boolean limited(int type, int code, int ratemask) {
        if (type > 18) return false; // NR_ICMP_TYPES
        if (type == IcmpType.DESTINATION_UNREACHABLE && code == IcmpCode.FRAGMENTATION_NEEDED) return false;
        return ((1 << type) & ratemask) != 0;
    }

    /**
     * __icmp_send's first check, before the route back is looked up: icmpv4_global_allow, skipped for an
     * offending packet that came in on loopback ({@code inOnLoopback}).
     */
    public GlobalCheck globalAllow(int type, int code, boolean inOnLoopback, long nowNanos) {
        if (inOnLoopback || !limited(type, code, settings.get().ratemask())) return GlobalCheck.EXEMPT;
        return globalCreditAllows(nowNanos) ? GlobalCheck.PASSED : GlobalCheck.REFUSED;
    }

    /** icmp_global_allow: true while credit is left; when it is empty, a refill if enough time has passed. */
    private boolean globalCreditAllows(long nowNanos) {
        if (globalCredit > 0) return true;
        int now = (int) jiffies(nowNanos);
        long delta = Math.min(Integer.toUnsignedLong(now - globalStamp), HZ);
        if (delta < HZ / 50) return false;
        long incr = settings.get().msgsPerSec() * delta / HZ;
        if (incr == 0) return false;
        globalStamp = now;
        globalCredit = (int) Math.min(globalCredit + incr, settings.get().msgsBurst());
        return true;
    }

    /**
     * icmpv4_xrlim_allow, after the route back to {@code destination} was found ({@code outOnLoopback}: it
     * leaves over loopback): the peer's bucket, then the global credits an error that goes out spends.
     */
    public boolean peerAllow(GlobalCheck global, Ipv4Address destination, boolean outOnLoopback, long nowNanos) {
        if (global == GlobalCheck.REFUSED) throw new IllegalArgumentException("the global check refused this error already");
        if (global == GlobalCheck.EXEMPT) return true;
        long timeout = msToJiffies(settings.get().ratelimitMillis());
        boolean ok = outOnLoopback || xrlim(destination, timeout, jiffies(nowNanos));
        if (ok) globalCredit -= random.nextInt(3); // get_random_u32_below(3)
        return ok;
    }

    /**
     * Both checks for a host modelled without a routing table of its own ({@code routeBack} false: no route to
     * {@code destination}, so after the global check nothing is sent).
     */
    public boolean allowError(int type, int code, Ipv4Address destination, boolean inOnLoopback, boolean routeBack,
                              boolean outOnLoopback, long nowNanos) {
        GlobalCheck g = globalAllow(type, code, inOnLoopback, nowNanos);
        if (g == GlobalCheck.REFUSED || !routeBack) return false;
        return peerAllow(g, destination, outOnLoopback, nowNanos);
    }

    private Peer peer(Ipv4Address address, long now) {
        return peers.computeIfAbsent(address, a -> {
            Peer p = new Peer();
            p.rateLast = now - 60 * HZ; // inet_getpeer: "chosen enough high so that the first calculation of tokens is at its maximum"
            return p;
        });
    }

    /** inet_peer_xrlim_allow. */
    private boolean xrlim(Ipv4Address destination, long timeout, long now) {
        Peer p = peer(destination, now);
        long token = p.rateTokens;
        long delta = now - p.rateLast;
        if (delta != 0) {
            p.rateLast = now;
            token += delta;
            if (token > XRLIM_BURST_FACTOR * timeout) token = XRLIM_BURST_FACTOR * timeout;
        }
        boolean ok = false;
        if (token >= timeout) {
            token -= timeout;
            ok = true;
        }
        p.rateTokens = token;
        return ok;
    }

    /** ip_error's bucket for {@code source}, the sender of a packet that hit an unreachable route. */
    public boolean allowRouteError(Ipv4Address source, long nowNanos) {
        long now = jiffies(nowNanos);
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
    public boolean allowRedirect(Ipv4Address source, long nowNanos) {
        long now = jiffies(nowNanos);
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
