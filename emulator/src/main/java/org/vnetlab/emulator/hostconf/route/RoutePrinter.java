package org.vnetlab.emulator.hostconf.route;

import java.util.Locale;

/**
 * Prints a routing table the way iproute2 6.1 ({@code ip route show table all}: {@code table X} for tables
 * other than main, each line ending in a space as iproute2 leaves it) and net-tools ({@code route -n},
 * table main only) print it.
 */
public final class RoutePrinter {
    private RoutePrinter() {}

    public static String ipRoute(RoutingTable table) {
        StringBuilder sb = new StringBuilder();
        for (Route r : table.routes()) sb.append(ipRoute(r));
        return sb.toString();
    }

    /** One route in iproute2's order: type, prefix, tos, nhid, via, dev, table, proto, scope, src, metric, flags, metrics. */
    public static String ipRoute(Route r) {
        StringBuilder sb = new StringBuilder();
        if (r.type() != RouteType.UNICAST) sb.append(r.type().word()).append(' ');
        sb.append(r.destination().ipRouteForm()).append(' ');
        if (r.tos() != 0) sb.append("tos 0x").append(String.format(Locale.ROOT, "%02x", r.tos())).append(' ');
        r.nexthopId().ifPresent(id -> sb.append("nhid ").append(id).append(' '));
        if (!r.isMultipath()) {
            r.gateway().ifPresent(g -> sb.append("via ").append(g).append(' '));
            r.dev().ifPresent(d -> sb.append("dev ").append(d).append(' '));
        }
        if (!r.table().equals(Route.MAIN)) sb.append("table ").append(r.table()).append(' ');
        r.protocol().filter(p -> !p.equals("boot")).ifPresent(p -> sb.append("proto ").append(p).append(' '));
        if (!r.scope().equals(RouteScope.GLOBAL)) sb.append("scope ").append(r.scope()).append(' ');
        r.prefsrc().ifPresent(s -> sb.append("src ").append(s).append(' '));
        if (r.metric() != 0) sb.append("metric ").append(r.metric()).append(' ');
        for (NexthopFlag f : r.orderedFlags()) sb.append(f.word()).append(' ');
        for (RouteAttribute a : r.attributes()) sb.append(a).append(' ');
        sb.append('\n');
        if (r.isMultipath()) {
            for (Nexthop nh : r.nexthops()) {
                sb.append("\tnexthop ");
                nh.gateway().ifPresent(g -> sb.append("via ").append(g).append(' '));
                nh.dev().ifPresent(d -> sb.append("dev ").append(d).append(' '));
                sb.append("weight ").append(nh.weight()).append(' ');
                for (NexthopFlag f : nh.orderedFlags()) sb.append(f.word()).append(' ');
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** net-tools' layout: {@code %-15s %-15s %-15s %-5s %-6d %-2d %7d %s}, reject routes with dashes. */
    public static String routeN(RoutingTable table) {
        StringBuilder sb = new StringBuilder();
        sb.append("Kernel IP routing table\n");
        sb.append("Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n");
        for (Route r : table.routes(Route.MAIN)) {
            boolean reject = r.type() == RouteType.UNREACHABLE || r.type() == RouteType.PROHIBIT;
            String gw = reject ? "-" : r.gateway().map(Object::toString).orElse("0.0.0.0");
            String dev = reject ? "-" : r.dev().orElse("*");
            sb.append(String.format(Locale.ROOT, "%-15s %-15s %-15s %-5s %-6d %-2s %7d %s\n",
                    r.destination().network(), gw, r.destination().mask(), r.routeNFlags(), r.metric(),
                    reject ? "-" : "0", 0, dev));
        }
        return sb.toString();
    }
}
