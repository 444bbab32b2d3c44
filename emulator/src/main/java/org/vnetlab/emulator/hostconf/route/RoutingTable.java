package org.vnetlab.emulator.hostconf.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.emulator.hostconf.text.NotedLine;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The host's IPv4 routes (every table the dump showed), in the kernel's order, plus what the parser noted
 * (IPv6 lines skipped) and warned about (what the source format could not say).
 *
 * <p>Lookup follows the default policy rules: table {@code local} (priority 0), then {@code main} (32766),
 * then {@code default} (32767). Within a table the longest matching prefix wins; among routes to that prefix
 * the kernel keeps its list sorted by TOS (specific first) then metric (lowest first), with equal metrics in
 * insertion order ({@code ip route add} refuses an equal prefix+TOS+metric, {@code ip route append} adds after
 * it) — the first usable one wins. A {@code throw} route ends the search in that table; routes whose next
 * hops are all {@code dead} are skipped. Routes in other tables are only reachable through {@code ip rule},
 * which vnetlab does not read; a warning says so.
 */
public final class RoutingTable {
    private static final List<String> RULE_ORDER = List.of(Route.LOCAL, Route.MAIN, Route.DEFAULT_TABLE);

    private final List<Route> routes;
    private final List<NotedLine> noted;
    private final List<String> warnings;

    private RoutingTable(List<Route> routes, List<NotedLine> noted, List<String> warnings) {
        this.routes = List.copyOf(routes);
        this.noted = List.copyOf(noted);
        Set<String> w = new LinkedHashSet<>(warnings);
        for (Route r : this.routes) {
            if (!RULE_ORDER.contains(r.table())) {
                w.add("routes in table " + r.table() + " are used only through 'ip rule' policy rules, which vnetlab "
                        + "does not read; the lookup ignores them");
            }
        }
        this.warnings = List.copyOf(w);
    }

    public static RoutingTable of(List<Route> routes) { return new RoutingTable(routes, List.of(), List.of()); }

    public static RoutingTable of(List<Route> routes, List<NotedLine> noted, List<String> warnings) {
        return new RoutingTable(routes, noted, warnings);
    }

    public static RoutingTable empty() { return of(List.of()); }

    /** All routes in the kernel's dump order. */
    public List<Route> routes() { return routes; }

    /** Routes of one table ({@code main}, {@code local}, …). */
    public List<Route> routes(String table) {
        return routes.stream().filter(r -> r.table().equals(table)).toList();
    }

    /** Lines the parser understood and left out (IPv6 routes, prompts), with the reason. */
    public List<NotedLine> noted() { return noted; }

    /** What the source could not tell (route -n cannot tell blackhole from throw, …). */
    public List<String> warnings() { return warnings; }

    /** The kernel's choice for a packet to {@code dst} with TOS 0; empty means "Network is unreachable". */
    public Optional<Route> lookup(Ipv4Address dst) { return lookup(dst, 0); }

    /**
     * The kernel's choice for {@code dst} and {@code tos}. The route may be a reject type (blackhole,
     * unreachable, prohibit): the caller decides what that does to the packet. Empty means no route
     * (ENETUNREACH). Of a multipath route the caller picks the path.
     */
    public Optional<Route> lookup(Ipv4Address dst, int tos) {
        for (String table : RULE_ORDER) {
            List<Route> candidates = new ArrayList<>();
            for (Route r : routes) {
                if (r.table().equals(table) && r.destination().contains(dst)) candidates.add(r);
            }
            candidates.sort(ORDER);
            for (Route r : candidates) {
                if (r.tos() != 0 && r.tos() != tos) continue;
                if (r.isDead()) continue;
                if (r.type() == RouteType.THROW) break;
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Longest prefix first, then specific TOS, then lowest metric; stable, so list order breaks ties. */
    private static final Comparator<Route> ORDER = Comparator
            .comparingInt((Route r) -> -r.destination().length())
            .thenComparingInt(r -> -r.tos())
            .thenComparingLong(Route::metric);

    /**
     * {@code ip route add}: refuses a route whose table, prefix, TOS and metric equal an existing one's,
     * whatever its next hop. Gateway reachability (the kernel's "Nexthop has invalid gateway") is not checked.
     */
    public RoutingTable add(Route r) throws RouteExistsException {
        for (Route e : routes) {
            if (sameSlot(e, r)) throw new RouteExistsException(e);
        }
        return insert(r);
    }

    /** {@code ip route append}: a second route in the same slot is allowed unless it is identical. */
    public RoutingTable append(Route r) throws RouteExistsException {
        for (Route e : routes) {
            if (sameSlot(e, r) && e.type() == r.type() && e.nexthops().equals(r.nexthops())
                    && e.protocol().equals(r.protocol()) && e.scope().equals(r.scope()) && e.prefsrc().equals(r.prefsrc())
                    && e.attributes().equals(r.attributes())) {
                throw new RouteExistsException(e);
            }
        }
        return insert(r);
    }

    /** The table without {@code r} (the first equal route); unchanged when absent. */
    public RoutingTable without(Route r) {
        List<Route> list = new ArrayList<>(routes);
        list.remove(r);
        return new RoutingTable(list, noted, warnings);
    }

    private static boolean sameSlot(Route a, Route b) {
        return a.table().equals(b.table()) && a.destination().equals(b.destination()) && a.tos() == b.tos()
                && a.metric() == b.metric();
    }

    /**
     * Inserts where the kernel's dump would list it: among routes of the same table and prefix after those
     * that sort before or equal to it; else before the first route of the table with a larger network (same
     * network: shorter prefix), else at the end of the table's routes.
     */
    private RoutingTable insert(Route r) {
        List<Route> list = new ArrayList<>(routes);
        int at = -1;
        for (int i = 0; i < list.size(); i++) {
            Route e = list.get(i);
            if (!e.table().equals(r.table())) continue;
            if (e.destination().equals(r.destination())) {
                if (e.tos() > r.tos() || (e.tos() == r.tos() && e.metric() <= r.metric())) at = i + 1;
                else if (at < 0) at = i;
            }
        }
        if (at < 0) {
            int lastOfTable = -1;
            for (int i = 0; i < list.size(); i++) {
                Route e = list.get(i);
                if (!e.table().equals(r.table())) continue;
                lastOfTable = i;
                int c = e.destination().network().compareTo(r.destination().network());
                if (c > 0 || (c == 0 && e.destination().length() < r.destination().length())) {
                    at = i;
                    break;
                }
            }
            if (at < 0) at = lastOfTable < 0 ? list.size() : lastOfTable + 1;
        }
        list.add(at, r);
        return new RoutingTable(list, noted, warnings);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutingTable t && t.routes.equals(routes);
    }

    @Override
    public int hashCode() { return routes.hashCode(); }

    @Override
    public String toString() { return RoutePrinter.ipRoute(this); }
}
