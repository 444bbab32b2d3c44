package org.vnetlab.emulator.hostconf.route;

import java.util.Optional;

/** Next-hop flags (RTNH_F_* and route offload flags) as iproute2 prints them after a route. */
public enum NexthopFlag {
    /** The next hop's device is gone or down; the lookup skips this path. */
    DEAD("dead"),
    /** Gateway used as if it were on the link, without a covering connected route. */
    ONLINK("onlink"),
    PERVASIVE("pervasive"),
    OFFLOAD("offload"),
    TRAP("trap"),
    NOTIFY("notify"),
    /**
     * The device has no carrier. Still used by the lookup unless
     * {@code net.ipv4.conf.*.ignore_routes_with_linkdown} is set (default 0).
     */
    LINKDOWN("linkdown"),
    UNRESOLVED("unresolved"),
    RT_OFFLOAD("rt_offload"),
    RT_TRAP("rt_trap"),
    RT_OFFLOAD_FAILED("rt_offload_failed");

    private final String word;

    NexthopFlag(String word) { this.word = word; }

    public String word() { return word; }

    public static Optional<NexthopFlag> byWord(String w) {
        for (NexthopFlag f : values()) if (f.word.equals(w)) return Optional.of(f);
        return Optional.empty();
    }
}
