package org.vnetlab.emulator.hostconf.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.vnetlab.emulator.hostconf.text.NotedLine;
import org.vnetlab.emulator.hostconf.text.ShellPrompt;
import org.vnetlab.emulator.hostconf.text.SourceText;
import org.vnetlab.emulator.hostconf.text.Token;
import org.vnetlab.emulator.hostconf.text.Tokens;
import org.vnetlab.emulator.hostconf.text.Words;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;

/**
 * Reads what iproute2 prints for {@code ip route}, {@code ip route show table main|all},
 * {@code ip -4 route show table all} and {@code ip -d route}: one route per line, multipath routes with
 * tab-indented {@code nexthop} lines. IPv6 routes (which {@code show table all} mixes in) are noted and
 * skipped: vnetlab emulates IPv4 only. Anything else it does not know is an error.
 */
public final class IpRouteParser {
    private final SourceText src;
    private final List<Route> routes = new ArrayList<>();
    private final List<NotedLine> noted = new ArrayList<>();
    private Pending pending;
    private boolean skippingIpv6Nexthops;

    private IpRouteParser(SourceText src) { this.src = src; }

    public static RoutingTable parse(String file, String content) throws InputException {
        return new IpRouteParser(SourceText.of(file, content)).run();
    }

    /** A route line still collecting its {@code nexthop} lines. */
    private record Pending(RouteBuilder builder, List<Nexthop> nexthops, Token start) {}

    private RoutingTable run() throws InputException {
        for (int n = 1; n <= src.lineCount(); n++) {
            String line = src.line(n);
            if (SourceText.isBlank(line)) continue; // blank lines (a trailing newline in a paste) carry nothing
            if (ShellPrompt.isCommandEcho(line, "ip")) {
                noted.add(new NotedLine(n, line, "shell prompt with the command"));
                continue;
            }
            Tokens t = src.tokens(n);
            boolean continuation = line.charAt(0) == ' ' || line.charAt(0) == '\t';
            if (continuation) {
                continuationLine(n, line, t);
            } else {
                finishPending();
                skippingIpv6Nexthops = false;
                routeLine(n, line, t);
            }
        }
        finishPending();
        return RoutingTable.of(routes, noted, List.of());
    }

    private void continuationLine(int n, String line, Tokens t) throws InputException {
        Token first = t.peek();
        if (first.is("nexthop")) {
            if (skippingIpv6Nexthops) {
                noted.add(new NotedLine(n, line, "next hop of an IPv6 route (IPv6 is not emulated)"));
                return;
            }
            if (pending == null) {
                throw src.error(first, "nexthop line without a multipath route before it",
                        "a multipath route is a line with the prefix alone, then one tab-indented nexthop line per path");
            }
            t.next();
            pending.nexthops().add(nexthop(t));
            return;
        }
        if (first.is("nh_info")) {
            // ip -d route repeats the nexthop object a route points to (nhid); the route line already says it
            noted.add(new NotedLine(n, line, "details of the nexthop object (ip -d)"));
            return;
        }
        if (first.is("cache")) {
            throw src.error(first, "this is 'ip route get' output, not a routing table",
                    "paste the output of 'ip route' (or 'ip -4 route show table all')");
        }
        throw src.error(first, "unexpected indented line in ip route output");
    }

    private void finishPending() throws InputException {
        if (pending == null) return;
        Pending p = pending;
        pending = null;
        if (p.nexthops().isEmpty()) {
            throw src.error(p.start(), p.builder().type.word() + " route without 'dev', 'via' or nexthop lines",
                    "ip route prints a device for every unicast route; was the line cut?");
        }
        p.builder().nexthops.addAll(p.nexthops());
        routes.add(p.builder().build(src, p.start()));
    }

    private void routeLine(int n, String line, Tokens t) throws InputException {
        Token start = t.peek();
        RouteBuilder b = new RouteBuilder();
        Token first = t.next();
        Optional<RouteType> type = RouteType.byWord(first.text());
        Token dst = first;
        if (type.isPresent()) {
            b.type = type.get();
            dst = t.expect("destination");
        } else if (first.is("nat") || first.is("xresolve")) {
            throw src.error(first, "route type '" + first.text() + "' is not supported for IPv4 by Linux");
        }
        if (dst.is("Error:") || dst.is("RTNETLINK")) {
            throw src.error(dst, "an error message from ip, not a route", "paste what 'ip route' printed on success");
        }
        if (dst.text().contains(":")) {
            noted.add(new NotedLine(n, line, "IPv6 route (IPv6 is not emulated)"));
            skippingIpv6Nexthops = true;
            return;
        }
        b.destination = prefix(dst);
        Nexthop.Builder nh = new Nexthop.Builder();
        boolean sawNexthop = false;
        boolean sawTable = false;
        while (t.hasNext()) {
            Token k = t.next();
            switch (k.text()) {
                case "tos": case "dsfield":
                    b.tos = tos(t.expect("TOS value"));
                    break;
                case "table":
                    b.table = name(t.expect("table"), "table");
                    sawTable = true;
                    break;
                case "nhid":
                    b.nexthopId = OptionalInt.of(Words.intNumber(src, t.expect("nexthop id"), "nexthop id", 1, Integer.MAX_VALUE));
                    break;
                case "via": {
                    Token g = t.expect("gateway");
                    if (g.is("inet6")) throw src.error(g, "an IPv4 route via an IPv6 gateway (RFC 5549) is not supported");
                    if (g.text().contains(":") && b.destination.isDefault()) {
                        // "default via fe80::1": iproute2 writes an IPv6 default route's prefix as "default" too
                        noted.add(new NotedLine(n, line, "IPv6 route (IPv6 is not emulated)"));
                        skippingIpv6Nexthops = true;
                        return;
                    }
                    if (g.is("inet")) g = t.expect("gateway");
                    nh.gateway = Optional.of(Words.ipv4(src, g, "gateway"));
                    sawNexthop = true;
                    break;
                }
                case "dev":
                    nh.dev = Optional.of(t.expect("device").text());
                    sawNexthop = true;
                    break;
                case "proto":
                    b.protocol = Optional.of(name(t.expect("protocol"), "protocol"));
                    break;
                case "scope": {
                    Token s = t.expect("scope");
                    try {
                        b.scope = RouteScope.parse(s.text());
                    } catch (IllegalArgumentException e) {
                        throw src.error(s, "unknown scope", "global, site, link, host, nowhere or a number");
                    }
                    break;
                }
                case "src":
                    b.prefsrc = Optional.of(Words.ipv4(src, t.expect("source address"), "source address"));
                    break;
                case "metric": case "priority": case "preference":
                    b.metric = Words.number(src, t.expect("metric"), "metric", 0, 0xffff_ffffL);
                    break;
                case "pref":
                    // router preference exists for IPv6 routes only
                    noted.add(new NotedLine(n, line, "IPv6 route (IPv6 is not emulated)"));
                    skippingIpv6Nexthops = true;
                    return;
                case "uid":
                    throw src.error(k, "this is 'ip route get' output, not a routing table",
                            "paste the output of 'ip route' (or 'ip -4 route show table all')");
                case "encap":
                    throw src.error(k, "lightweight tunnel encapsulation is not supported");
                case "from":
                    throw src.error(k, "source-specific routes exist for IPv6 only");
                case "lock": {
                    Token m = t.expect("metric name");
                    if (!RouteAttribute.METRICS.contains(m.text())) throw src.error(m, "only route metrics can be locked");
                    b.attributes.add(new RouteAttribute(m.text(), t.expect(m.text() + " value").text(), true));
                    break;
                }
                default:
                    if (RouteAttribute.METRICS.contains(k.text()) || RouteAttribute.OTHERS.contains(k.text())) {
                        boolean locked = false;
                        if (RouteAttribute.METRICS.contains(k.text()) && t.peekIs("lock")) {
                            t.next();
                            locked = true;
                        }
                        b.attributes.add(new RouteAttribute(k.text(), t.expect(k.text() + " value").text(), locked));
                        break;
                    }
                    Optional<NexthopFlag> f = NexthopFlag.byWord(k.text());
                    if (f.isPresent()) {
                        nh.flags.add(f.get());
                        break;
                    }
                    throw src.error(k, "unknown word in a route", "vnetlab reads what 'ip route' prints; options of "
                            + "'ip route add' or newer iproute2 attributes may not be known");
            }
        }
        b.protocol = b.protocol.isPresent() ? b.protocol : Optional.of("boot"); // iproute2 omits "proto boot"
        if (!sawTable && (b.type == RouteType.LOCAL || b.type == RouteType.BROADCAST || b.type == RouteType.ANYCAST)) {
            // 'ip route show table local' omits "table local"; these types live there unless a table is named
            b.table = Route.LOCAL;
        }
        boolean reject = b.type.isReject() || b.type == RouteType.THROW;
        if (sawNexthop || !nh.flags.isEmpty()) {
            if (reject && nh.gateway.isPresent()) throw src.error(start, b.type.word() + " route with a gateway");
            if (!reject || nh.dev.isPresent()) b.nexthops.add(nh.build());
            routes.add(b.build(src, start));
        } else if (reject) {
            routes.add(b.build(src, start));
        } else {
            pending = new Pending(b, new ArrayList<>(), start);
        }
    }

    private Nexthop nexthop(Tokens t) throws InputException {
        Nexthop.Builder nh = new Nexthop.Builder();
        while (t.hasNext()) {
            Token k = t.next();
            switch (k.text()) {
                case "via": {
                    Token g = t.expect("gateway");
                    if (g.is("inet")) g = t.expect("gateway");
                    nh.gateway = Optional.of(Words.ipv4(src, g, "gateway"));
                    break;
                }
                case "dev":
                    nh.dev = Optional.of(t.expect("device").text());
                    break;
                case "weight":
                    nh.weight = Words.intNumber(src, t.expect("weight"), "weight", 1, 256);
                    break;
                default: {
                    Optional<NexthopFlag> f = NexthopFlag.byWord(k.text());
                    if (f.isEmpty()) throw src.error(k, "unknown word in a nexthop line");
                    nh.flags.add(f.get());
                }
            }
        }
        if (nh.dev.isEmpty() && nh.gateway.isEmpty()) throw src.error(t.get(0), "nexthop without 'via' or 'dev'");
        return nh.build();
    }

    private Ipv4Prefix prefix(Token t) throws InputException {
        try {
            return Ipv4Prefix.parse(t.text());
        } catch (IllegalArgumentException e) {
            throw src.error(t, "not an IPv4 destination (default, a.b.c.d or a.b.c.d/len): " + e.getMessage());
        }
    }

    private int tos(Token t) throws InputException {
        String s = t.text();
        try {
            int v = s.startsWith("0x") ? Integer.parseInt(s.substring(2), 16) : Integer.parseInt(s);
            if (v >= 0 && v <= 255) return v;
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw src.error(t, "TOS must be 0..255 (decimal or 0x hex)");
    }

    private String name(Token t, String what) throws InputException {
        if (!Words.isName(t.text())) throw src.error(t, "not a " + what + " name or number");
        return t.text();
    }

    /** Mutable collector for one route line; {@link #build} validates through the record's constructor. */
    static final class RouteBuilder {
        RouteType type = RouteType.UNICAST;
        Ipv4Prefix destination;
        int tos;
        String table = Route.MAIN;
        Optional<String> protocol = Optional.empty();
        RouteScope scope = RouteScope.GLOBAL;
        Optional<Ipv4Address> prefsrc = Optional.empty();
        long metric;
        final List<Nexthop> nexthops = new ArrayList<>();
        OptionalInt nexthopId = OptionalInt.empty();
        final List<RouteAttribute> attributes = new ArrayList<>();

        Route build(SourceText src, Token at) throws InputException {
            try {
                return new Route(type, destination, tos, table, protocol, scope, prefsrc, metric, nexthops, nexthopId,
                        attributes);
            } catch (IllegalArgumentException e) {
                throw src.error(at, "inconsistent route: " + e.getMessage());
            }
        }
    }
}
