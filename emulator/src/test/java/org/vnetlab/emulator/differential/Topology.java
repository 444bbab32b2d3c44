package org.vnetlab.emulator.differential;

import java.util.Optional;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * The oracle's rig (src/oracle/README.md, "Topology") as plain facts: three broadcast segments and the
 * interfaces on them. The host's side is the emulator; everything else is a {@link FarEndNode}.
 */
final class Topology {
    private Topology() {}

    /** A broadcast domain: the guest's bridge, the LAN switch, the router-internet cable. */
    enum Segment { BRIDGE, LAN, WAN }

    /** One interface with its primary address. */
    record Iface(String node, String name, Ipv4Address address, int prefix, Segment segment, MacAddress mac) {
        boolean onLink(Ipv4Address a) { return a.inPrefix(address, prefix); }
    }

    /** A route: destination prefix, optional gateway, output interface (ip route add ... via ... dev ...). */
    record Route(Ipv4Address prefix, int length, Optional<Ipv4Address> via, Iface dev) {
        boolean covers(Ipv4Address a) { return a.inPrefix(prefix, length); }
    }

    static Ipv4Address ip(String s) { return Ipv4Address.parse(s); }

    static final Iface GUEST_ETH0 = new Iface("guest", "eth0", ip("192.168.122.55"), 24, Segment.BRIDGE,
            MacAddress.parse("52:54:00:aa:bb:01"));
    static final Iface HOST_VIRBR0 = new Iface("host", "virbr0", ip("192.168.122.1"), 24, Segment.BRIDGE,
            MacAddress.parse("52:54:00:73:62:06"));
    static final Iface HOST_ENP3S0 = new Iface("host", "enp3s0", ip("192.168.0.10"), 24, Segment.LAN,
            MacAddress.parse("00:d8:61:0a:0b:10"));
    static final Iface ROUTER_LAN0 = new Iface("router", "lan0", ip("192.168.0.1"), 24, Segment.LAN,
            MacAddress.parse("00:11:32:00:00:01"));
    static final Iface ROUTER_WAN0 = new Iface("router", "wan0", ip("203.0.113.2"), 24, Segment.WAN,
            MacAddress.parse("00:11:32:00:01:02"));
    static final Iface INET_WAN0 = new Iface("inet", "wan0", ip("203.0.113.1"), 24, Segment.WAN,
            MacAddress.parse("00:11:32:00:01:01"));
    static final Iface LANHOST_ETH0 = new Iface("lanhost", "eth0", ip("192.168.0.20"), 24, Segment.LAN,
            MacAddress.parse("00:11:32:00:00:20"));

    /** The oracle's {@code route host} line that replaces the host's default route when a scenario has none. */
    static final String NO_DEFAULT_ROUTE_PREFIX = "10.99.0.0/16";
    static final String NO_DEFAULT_ROUTE = NO_DEFAULT_ROUTE_PREFIX + " via 192.168.0.1";

    /**
     * The host as the engine sees it (virbr0, enp3s0, lo: the article's host), with the harness's default route
     * via 192.168.0.1 or, without it, only {@link #NO_DEFAULT_ROUTE}.
     */
    static ArticleHost host(boolean defaultRoute) {
        return defaultRoute ? new ArticleHost() : ArticleHost.withoutDefaultRoute(NO_DEFAULT_ROUTE_PREFIX);
    }

    /** The host's interface named {@code name}. */
    static Optional<Iface> hostIface(String name) {
        return switch (name) {
            case "virbr0" -> Optional.of(HOST_VIRBR0);
            case "enp3s0" -> Optional.of(HOST_ENP3S0);
            default -> Optional.empty();
        };
    }

    static Route route(String cidr, String via, Iface dev) {
        String[] p = cidr.split("/");
        return new Route(ip(p[0]), Integer.parseInt(p[1]), Optional.ofNullable(via).map(Topology::ip), dev);
    }
}
