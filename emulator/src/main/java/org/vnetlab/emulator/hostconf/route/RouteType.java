package org.vnetlab.emulator.hostconf.route;

import java.util.Optional;

/**
 * The kernel's route types (RTN_*) that IPv4 uses, with the name iproute2 prints. {@code nat} and
 * {@code xresolve} are left out: the kernel refuses to add them for IPv4.
 */
public enum RouteType {
    /** A gateway or directly connected route; iproute2 prints no type word for it (except with -d). */
    UNICAST("unicast"),
    /** An address of this host: deliver locally (table local). */
    LOCAL("local"),
    /** A broadcast address of an attached network (table local). */
    BROADCAST("broadcast"),
    MULTICAST("multicast"),
    ANYCAST("anycast"),
    /** Discard silently. */
    BLACKHOLE("blackhole"),
    /** Discard with ICMP host unreachable; the sender's connect() fails with EHOSTUNREACH. */
    UNREACHABLE("unreachable"),
    /** Discard with ICMP communication administratively prohibited (EACCES locally). */
    PROHIBIT("prohibit"),
    /** Stop looking in this table and go on with the next policy rule. */
    THROW("throw");

    private final String word;

    RouteType(String word) { this.word = word; }

    public String word() { return word; }

    public static Optional<RouteType> byWord(String w) {
        for (RouteType t : values()) if (t.word.equals(w)) return Optional.of(t);
        return Optional.empty();
    }

    /** True for types that end the lookup with an error instead of a next hop. */
    public boolean isReject() { return this == BLACKHOLE || this == UNREACHABLE || this == PROHIBIT; }
}
