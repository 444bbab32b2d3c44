package org.vnetlab.emulator.hostconf.route;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.vnetlab.protocols.Ipv4Address;

/**
 * One IPv4 route as the kernel holds it.
 *
 * @param type       unicast, local, broadcast, blackhole, unreachable, prohibit, throw, …
 * @param destination the prefix it covers
 * @param tos        TOS/DSCP selector, 0 for "any" (almost always)
 * @param table      {@code main}, {@code local}, {@code default} or another table's name or number
 * @param protocol   who installed it ({@code kernel}, {@code boot}, {@code dhcp}, {@code static}, …); absent when the
 *                   source format does not say (route -n)
 * @param scope      distance to the destination; {@link RouteScope#LINK} for connected routes
 * @param prefsrc    preferred source address for locally generated packets ({@code src})
 * @param metric     priority: among equal prefixes the lowest wins (u32)
 * @param nexthops   one path, or several for a multipath route; empty for blackhole/unreachable/prohibit/throw
 * @param nexthopId  {@code nhid}, when the route uses a nexthop object
 * @param attributes metrics (mtu, advmss, …) and other printed attributes, in printed order
 */
public record Route(RouteType type, Ipv4Prefix destination, int tos, String table, Optional<String> protocol,
                    RouteScope scope, Optional<Ipv4Address> prefsrc, long metric, List<Nexthop> nexthops,
                    OptionalInt nexthopId, List<RouteAttribute> attributes) {
    public static final String MAIN = "main";
    public static final String LOCAL = "local";
    public static final String DEFAULT_TABLE = "default";

    public Route {
        if (tos < 0 || tos > 255) throw new IllegalArgumentException("tos " + tos + " not in 0..255");
        if (metric < 0 || metric > 0xffff_ffffL) throw new IllegalArgumentException("metric " + metric + " not a u32");
        nexthops = List.copyOf(nexthops);
        attributes = List.copyOf(attributes);
        if (type.isReject() || type == RouteType.THROW) {
            if (!nexthops.isEmpty() && nexthops.stream().anyMatch(n -> n.gateway().isPresent())) {
                throw new IllegalArgumentException(type.word() + " route cannot have a gateway");
            }
        } else if (nexthops.isEmpty()) {
            throw new IllegalArgumentException(type.word() + " route needs a device or gateway");
        }
    }

    /** A plain unicast route in table main, as {@code ip route add} would make it with protocol boot. */
    public static Route unicast(Ipv4Prefix dst, Nexthop nh, long metric) {
        RouteScope scope = nh.gateway().isPresent() ? RouteScope.GLOBAL : RouteScope.LINK;
        return new Route(RouteType.UNICAST, dst, 0, MAIN, Optional.of("boot"), scope, Optional.empty(), metric,
                List.of(nh), OptionalInt.empty(), List.of());
    }

    /** The first (for a single-path route: the only) next hop. */
    public Optional<Nexthop> nexthop() { return nexthops.isEmpty() ? Optional.empty() : Optional.of(nexthops.get(0)); }

    public Optional<Ipv4Address> gateway() { return nexthop().flatMap(Nexthop::gateway); }

    public Optional<String> dev() { return nexthop().flatMap(Nexthop::dev); }

    public boolean isMultipath() { return nexthops.size() > 1; }

    /** Flags of a single-path route (onlink, linkdown, dead, …); empty for multipath routes, whose paths carry them. */
    public Set<NexthopFlag> flags() {
        return nexthops.size() == 1 ? nexthops.get(0).flags() : Set.of();
    }

    public boolean isDead() {
        return !nexthops.isEmpty() && nexthops.stream().allMatch(n -> n.has(NexthopFlag.DEAD));
    }

    /** The route's path MTU metric, when set. */
    public OptionalInt mtu() {
        for (RouteAttribute a : attributes) {
            if (a.name().equals("mtu")) return OptionalInt.of(Integer.parseInt(a.value()));
        }
        return OptionalInt.empty();
    }

    /**
     * The {@code route -n} Flags column: U (up), G (gateway), H (host /32), ! (reject). The kernel reports
     * unreachable and prohibit as rejects; blackhole and throw show as plain U without a device.
     */
    public String routeNFlags() {
        StringBuilder sb = new StringBuilder();
        if (type == RouteType.UNREACHABLE || type == RouteType.PROHIBIT) return "!";
        sb.append('U');
        if (gateway().isPresent()) sb.append('G');
        if (destination.length() == 32) sb.append('H');
        return sb.toString();
    }

    /** Same route with another metric, for the {@code ip route} table operations. */
    public Route withMetric(long m) {
        return new Route(type, destination, tos, table, protocol, scope, prefsrc, m, nexthops, nexthopId, attributes);
    }

    EnumSet<NexthopFlag> orderedFlags() {
        return nexthops.size() == 1 ? nexthops.get(0).orderedFlags() : EnumSet.noneOf(NexthopFlag.class);
    }
}
