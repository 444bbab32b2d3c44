package org.vnetlab.emulator.hostconf.route;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.vnetlab.emulator.hostconf.text.NotedLine;
import org.vnetlab.emulator.hostconf.text.ShellPrompt;
import org.vnetlab.emulator.hostconf.text.SourceText;
import org.vnetlab.emulator.hostconf.text.Token;
import org.vnetlab.emulator.hostconf.text.Tokens;
import org.vnetlab.emulator.hostconf.text.Words;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;

/**
 * Reads net-tools' {@code route -n} table (columns Destination Gateway Genmask Flags Metric Ref Use Iface)
 * and {@code netstat -rn} / {@code route -ne} (… Flags MSS Window irtt Iface). Both come from
 * /proc/net/route: table main only, no protocol, no source address. Where the format cannot tell two kinds
 * of route apart the table carries a warning.
 */
public final class RouteNParser {
    private static final List<String> ROUTE_N = List.of("Destination", "Gateway", "Genmask", "Flags", "Metric", "Ref", "Use", "Iface");
    private static final List<String> NETSTAT = List.of("Destination", "Gateway", "Genmask", "Flags", "MSS", "Window", "irtt", "Iface");

    private RouteNParser() {}

    public static RoutingTable parse(String file, String content) throws InputException {
        SourceText src = SourceText.of(file, content);
        List<Route> routes = new ArrayList<>();
        List<NotedLine> noted = new ArrayList<>();
        Set<String> warnings = new LinkedHashSet<>();
        boolean sawTitle = false;
        Boolean netstat = null;
        for (int n = 1; n <= src.lineCount(); n++) {
            String line = src.line(n);
            if (SourceText.isBlank(line)) continue; // trailing empty lines of a paste
            if (ShellPrompt.isCommandEcho(line, "route", "netstat")) {
                noted.add(new NotedLine(n, line, "shell prompt with the command"));
                continue;
            }
            Tokens t = src.tokens(n);
            if (line.strip().equals("Kernel IP routing table")) {
                if (sawTitle || netstat != null) throw src.error(n, 1, line.strip(), "second routing table in one file");
                sawTitle = true;
                continue;
            }
            if (t.peek().is("Destination")) {
                List<String> cols = t.all().stream().map(Token::text).toList();
                if (netstat != null) throw src.error(t.peek(), "second column header in one file");
                if (cols.equals(ROUTE_N)) netstat = false;
                else if (cols.equals(NETSTAT)) netstat = true;
                else throw src.error(t.peek(), "unknown route table layout: " + String.join(" ", cols),
                        "vnetlab reads 'route -n' and 'netstat -rn' (or 'route -ne'); not 'route -ee'");
                continue;
            }
            if (line.startsWith("Kernel IPv6 routing table")) {
                throw src.error(n, 1, "IPv6", "IPv6 routing table: IPv6 is not emulated", "paste 'route -n' without -A inet6");
            }
            if (netstat == null) {
                throw src.error(t.peek(), "route row before the column header",
                        "paste the whole output of 'route -n', including the 'Destination  Gateway ...' line");
            }
            routes.add(row(src, t, netstat, warnings));
        }
        if (netstat == null) {
            throw src.error(Math.max(1, src.lineCount()), 1, null, "no 'Destination Gateway Genmask ...' header: not route -n output");
        }
        if (netstat) {
            warnings.add("netstat -rn has no Metric column: metrics read as 0, so among several routes to one "
                    + "prefix the listed order decides, which may differ from the kernel's choice");
        }
        return RoutingTable.of(routes, noted, new ArrayList<>(warnings));
    }

    private static Route row(SourceText src, Tokens t, boolean netstat, Set<String> warnings) throws InputException {
        if (t.size() != 8) {
            Token at = t.size() > 8 ? t.get(8) : t.get(t.size() - 1);
            throw src.error(at, "a route row has 8 columns, this one " + t.size());
        }
        Token dstT = t.get(0), gwT = t.get(1), maskT = t.get(2), flagsT = t.get(3), metricT = t.get(4), ifT = t.get(7);
        String flags = flagsT.text();
        for (char c : flags.toCharArray()) {
            if ("UGH!".indexOf(c) < 0) {
                throw src.error(flagsT, "route flag '" + c + "' is not supported",
                        "D/M (redirect), R (reinstate), C (cache) and A (addrconf) routes do not exist in modern IPv4 tables");
            }
        }
        boolean reject = flags.contains("!");
        if (!reject && !flags.contains("U")) throw src.error(flagsT, "route without the U (up) flag");

        Ipv4Address dst = dstT.is("default") ? Ipv4Address.ANY : address(src, dstT, "destination");
        Ipv4Address mask = Words.ipv4(src, maskT, "netmask");
        int len = Ipv4Prefix.maskLength(mask);
        if (len < 0) throw src.error(maskT, "netmask is not contiguous");
        if ((dst.bits() & ~mask.bits()) != 0) throw src.error(dstT, "destination has bits set outside its netmask " + mask);
        Ipv4Prefix prefix = new Ipv4Prefix(dst, len);
        if (flags.contains("H") != (len == 32)) {
            throw src.error(flagsT, flags.contains("H") ? "H flag on a route that is not /32" : "/32 route without the H flag");
        }

        Optional<Ipv4Address> gw = Optional.empty();
        if (reject) {
            if (!gwT.is("-") || !ifT.is("-")) throw src.error(flagsT, "reject route ('!') with a gateway or device column");
        } else if (!gwT.is("*") && !gwT.is("0.0.0.0")) {
            gw = Optional.of(address(src, gwT, "gateway"));
        }
        if (flags.contains("G") != gw.isPresent()) {
            throw src.error(flagsT, flags.contains("G") ? "G flag without a gateway" : "gateway " + gwT.text() + " without the G flag");
        }
        long metric = 0;
        if (!netstat) metric = Words.number(src, metricT, "metric", 0, 0xffff_ffffL);

        RouteType type = RouteType.UNICAST;
        List<Nexthop> nexthops = new ArrayList<>();
        if (reject) {
            type = RouteType.UNREACHABLE;
            warnings.add("route -n prints unreachable and prohibit routes alike ('!'); they are read as unreachable");
        } else if (ifT.is("*")) {
            if (gw.isPresent()) throw src.error(ifT, "gateway route without a device");
            type = RouteType.BLACKHOLE;
            warnings.add("route -n prints blackhole and throw routes alike (U, no device); they are read as blackhole");
        } else {
            nexthops.add(new Nexthop(gw, Optional.of(ifT.text()), 1, Set.of()));
        }
        RouteScope scope = type == RouteType.UNICAST && gw.isEmpty() ? RouteScope.LINK : RouteScope.GLOBAL;
        return new Route(type, prefix, 0, Route.MAIN, Optional.empty(), scope, Optional.empty(), metric, nexthops,
                OptionalInt.empty(), List.of());
    }

    private static Ipv4Address address(SourceText src, Token t, String what) throws InputException {
        if (!t.text().isEmpty() && !Character.isDigit(t.text().charAt(0)) && !t.text().contains(":")) {
            throw src.error(t, "host name in the " + what + " column", "run 'route -n': vnetlab does not resolve names");
        }
        return Words.ipv4(src, t, what);
    }
}
