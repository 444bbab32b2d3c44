package org.vnetlab.emulator.stack;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.hostconf.route.RouteScope;
import org.vnetlab.emulator.hostconf.route.RouteType;
import org.vnetlab.emulator.hostconf.route.RoutingTable;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The forwarding information base of one stack: the kernel's local table, derived from the interfaces'
 * addresses (each address is local; each {@code brd} a broadcast; on {@code lo} the whole prefix is local),
 * looked up first; then tables main and default from the {@link RoutingTable}: longest prefix, then lowest
 * metric, first in list order among equals; routes whose device is down are skipped (the kernel marks their
 * next hops dead), routes without carrier are still used (ignore_routes_with_linkdown=0).
 */
final class Fib {
    private static final Comparator<Route> ORDER = Comparator
            .comparingInt((Route r) -> -r.destination().length())
            .thenComparingInt(r -> -r.tos())
            .thenComparingLong(Route::metric);

    private Fib() { }

    static RouteResult lookup(Collection<StackInterface> interfaces, StackInterface loopback, RoutingTable table,
                              Ipv4Address dst, Optional<StackInterface> oif, boolean output) {
        for (StackInterface i : interfaces) {
            if (!i.device().isUp()) continue;
            for (Ipv4Assignment a : i.addresses()) {
                boolean local = a.address().equals(dst) || (i.isLoopback() && a.network().contains(dst));
                if (local) {
                    return new RouteResult.Path(RouteResult.Kind.LOCAL, output ? loopback : i, dst, false,
                            Optional.of(a.address().equals(dst) ? dst : a.address()), RouteScope.HOST.value(),
                            loopback.device().mtu());
                }
                if (a.broadcast().isPresent() && a.broadcast().get().equals(dst) && !i.isLoopback()) {
                    if (oif.isPresent() && oif.get() != i) continue;
                    return new RouteResult.Path(RouteResult.Kind.BROADCAST, i, dst, false, Optional.of(a.address()),
                            RouteScope.LINK.value(), i.device().mtu());
                }
            }
        }
        if (oif.isPresent() && (dst.isBroadcast() || dst.isMulticast())) {
            StackInterface i = oif.get();
            return new RouteResult.Path(dst.isBroadcast() ? RouteResult.Kind.BROADCAST : RouteResult.Kind.MULTICAST, i,
                    dst, false, Optional.empty(), RouteScope.LINK.value(), i.device().mtu());
        }
        List<Route> candidates = new ArrayList<>();
        for (Route r : table.routes()) {
            if (!(r.table().equals(Route.MAIN) || r.table().equals(Route.DEFAULT_TABLE))) continue;
            if (!r.destination().contains(dst)) continue;
            if (r.tos() != 0) continue;
            if (r.isDead()) continue;
            if (!r.type().isReject() && r.type() != RouteType.THROW) {
                Optional<StackInterface> dev = deviceOf(interfaces, loopback, table, r);
                if (dev.isEmpty() || !dev.get().device().isUp()) continue;
                if (oif.isPresent() && dev.get() != oif.get()) continue;
            } else if (oif.isPresent()) {
                continue;
            }
            candidates.add(r);
        }
        // main before default: the policy rules' order, then the kernel's route order within a table
        candidates.sort(Comparator.comparing((Route r) -> r.table().equals(Route.MAIN) ? 0 : 1).thenComparing(ORDER));
        for (Route r : candidates) {
            switch (r.type()) {
                case THROW -> { continue; }
                case BLACKHOLE -> { return new RouteResult.Failure(Errno.EINVAL, "blackhole route " + r.destination()); }
                case UNREACHABLE -> { return new RouteResult.Failure(Errno.EHOSTUNREACH, "unreachable route " + r.destination()); }
                case PROHIBIT -> { return new RouteResult.Failure(Errno.EACCES, "prohibit route " + r.destination()); }
                default -> { }
            }
            StackInterface dev = deviceOf(interfaces, loopback, table, r).orElseThrow();
            if (r.type() == RouteType.LOCAL) {
                return new RouteResult.Path(RouteResult.Kind.LOCAL, output ? loopback : dev, dst, false,
                        r.prefsrc().or(() -> Optional.of(dst)), RouteScope.HOST.value(), loopback.device().mtu());
            }
            Optional<Ipv4Address> gw = r.gateway();
            RouteResult.Kind kind = r.type() == RouteType.BROADCAST || dst.isBroadcast() ? RouteResult.Kind.BROADCAST
                    : dst.isMulticast() ? RouteResult.Kind.MULTICAST : RouteResult.Kind.UNICAST;
            int mtu = r.mtu().orElse(dev.device().mtu());
            return new RouteResult.Path(kind, dev, gw.orElse(dst), gw.isPresent(), r.prefsrc(), r.scope().value(), mtu);
        }
        if (oif.isPresent() && output) {
            // ip_route_output with an oif and no route: "assume the destination is on link"
            StackInterface i = oif.get();
            return new RouteResult.Path(RouteResult.Kind.UNICAST, i, dst, false, Optional.empty(), RouteScope.LINK.value(),
                    i.device().mtu());
        }
        return new RouteResult.Failure(Errno.ENETUNREACH, "no route to " + dst);
    }

    /** The route's device; for a gateway route printed without one, the interface of the gateway's connected route. */
    private static Optional<StackInterface> deviceOf(Collection<StackInterface> interfaces, StackInterface loopback,
                                                     RoutingTable table, Route r) {
        Optional<String> name = r.dev();
        if (name.isPresent()) {
            for (StackInterface i : interfaces) if (i.name().equals(name.get())) return Optional.of(i);
            return Optional.empty();
        }
        if (r.gateway().isEmpty()) return Optional.empty();
        for (StackInterface i : interfaces) {
            for (Ipv4Assignment a : i.addresses()) if (!i.isLoopback() && a.sameSubnet(r.gateway().get())) return Optional.of(i);
        }
        return Optional.empty();
    }

    /**
     * The source address of a locally generated packet on {@code path}: the route's src, the destination for
     * a local route, else inet_select_addr on the output device towards the next hop, else any global
     * address of another interface.
     */
    static Optional<Ipv4Address> selectSource(Collection<StackInterface> interfaces, RouteResult.Path path) {
        if (path.prefsrc().isPresent()) return path.prefsrc();
        if (path.kind() == RouteResult.Kind.LOCAL) return Optional.of(path.nextHop());
        int scope = path.kind() == RouteResult.Kind.UNICAST ? path.scope() : RouteScope.LINK.value();
        Optional<Ipv4Address> own = path.dev().selectAddress(Optional.of(path.nextHop()), scope);
        if (own.isPresent()) return own;
        for (StackInterface i : interfaces) {
            if (i == path.dev()) continue;
            for (Ipv4Assignment a : i.primaryAddresses()) {
                int s = a.scope().value();
                if (s != RouteScope.LINK.value() && s != RouteScope.HOST.value() && s <= scope) return Optional.of(a.address());
            }
        }
        return Optional.empty();
    }
}
