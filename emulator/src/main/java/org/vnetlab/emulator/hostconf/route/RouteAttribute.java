package org.vnetlab.emulator.hostconf.route;

import java.util.Set;

/**
 * A route attribute iproute2 prints after the flags and vnetlab keeps without acting on it, except
 * {@code mtu}: the per-route metrics (mtu, advmss, rtt, window, initcwnd, …, optionally {@code lock}ed),
 * {@code expires}, {@code realm}/{@code realms}. Kept verbatim so a printed table matches the original.
 */
public record RouteAttribute(String name, String value, boolean locked) {
    /** RTAX_* metric names iproute2 prints, in its order. */
    public static final Set<String> METRICS = Set.of("mtu", "window", "rtt", "rttvar", "ssthresh", "cwnd", "advmss",
            "reordering", "hoplimit", "initcwnd", "features", "rto_min", "initrwnd", "quickack", "congctl",
            "fastopen_no_cookie");
    /** Other one-value attributes that do not take part in the lookup. */
    public static final Set<String> OTHERS = Set.of("expires", "realm", "realms", "error");

    public RouteAttribute {
        if (!METRICS.contains(name) && !OTHERS.contains(name)) throw new IllegalArgumentException("unknown route attribute " + name);
        if (locked && !METRICS.contains(name)) throw new IllegalArgumentException(name + " cannot be locked");
    }

    @Override
    public String toString() { return name + (locked ? " lock " : " ") + value; }
}
