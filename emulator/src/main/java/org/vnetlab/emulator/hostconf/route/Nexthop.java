package org.vnetlab.emulator.hostconf.route;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.protocols.Ipv4Address;

/**
 * One path of a route: gateway (absent for a connected route), output device, multipath weight and flags.
 */
public record Nexthop(Optional<Ipv4Address> gateway, Optional<String> dev, int weight, Set<NexthopFlag> flags) {
    public Nexthop {
        if (weight < 1 || weight > 256) throw new IllegalArgumentException("weight " + weight + " not in 1..256");
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }

    public static Nexthop via(Ipv4Address gateway, String dev) {
        return new Nexthop(Optional.of(gateway), Optional.of(dev), 1, Set.of());
    }

    public static Nexthop dev(String dev) {
        return new Nexthop(Optional.empty(), Optional.of(dev), 1, Set.of());
    }

    public boolean has(NexthopFlag f) { return flags.contains(f); }

    /** Mutable collector used by the parsers. */
    static final class Builder {
        Optional<Ipv4Address> gateway = Optional.empty();
        Optional<String> dev = Optional.empty();
        int weight = 1;
        final EnumSet<NexthopFlag> flags = EnumSet.noneOf(NexthopFlag.class);

        Nexthop build() { return new Nexthop(gateway, dev, weight, flags); }
    }

    /** Flags in iproute2's printing order (the enum's order). */
    public EnumSet<NexthopFlag> orderedFlags() {
        return flags.isEmpty() ? EnumSet.noneOf(NexthopFlag.class) : EnumSet.copyOf(flags);
    }
}
