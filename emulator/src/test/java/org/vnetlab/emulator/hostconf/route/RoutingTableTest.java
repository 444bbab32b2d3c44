package org.vnetlab.emulator.hostconf.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.hostconf.Fixtures;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;

class RoutingTableTest {
    private static Ipv4Address ip(String s) { return Ipv4Address.parse(s); }

    /**
     * The kernel's own answers ({@code ip route get}) in the namespace the dump came from: every lookup
     * must agree with them.
     */
    @Test
    void lookupAgreesWithTheKernelOnEveryDestinationOfTheLabTable() throws InputException {
        RoutingTable t = IpRouteParser.parse("lab", Fixtures.read("route/lab-ip-route-all.txt"));
        int checked = 0;
        for (String line : Fixtures.read("route/lab-route-get.txt").split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] parts = line.split(" \\| ");
            Ipv4Address dst = ip(parts[0]);
            assertThat(routeGet(dst, t.lookup(dst))).as(parts[0]).isEqualTo(parts[1]);
            checked++;
        }
        assertThat(checked).isEqualTo(23);
    }

    /** What {@code ip route get} prints for a lookup result (local deliveries show on lo). */
    private static String routeGet(Ipv4Address dst, Optional<Route> r) {
        if (r.isEmpty()) return "RTNETLINK answers: Network is unreachable";
        Route route = r.get();
        switch (route.type()) {
            case BLACKHOLE: return "RTNETLINK answers: Invalid argument";
            case UNREACHABLE: return "RTNETLINK answers: No route to host";
            case PROHIBIT: return "RTNETLINK answers: Permission denied";
            case LOCAL: return "local " + dst + " dev lo";
            case BROADCAST: return "broadcast " + dst + " dev " + route.dev().orElseThrow();
            default:
                return dst + route.gateway().map(g -> " via " + g).orElse("") + " dev " + route.dev().orElseThrow();
        }
    }

    @Test
    void theArticlesDuplicateDefaultsResolveToMetricZero() throws InputException {
        RoutingTable t = RouteNParser.parse("route-n.txt", Fixtures.read("route/article-route-n.txt"));
        Route r = t.lookup(ip("8.8.8.8")).orElseThrow();
        assertThat(r.metric()).isZero();
        assertThat(r.gateway()).contains(ip("192.168.0.1"));
        assertThat(t.lookup(ip("192.168.122.177")).orElseThrow().dev()).contains("virbr0");
        assertThat(t.lookup(ip("192.168.0.1")).orElseThrow().gateway()).isEmpty();
    }

    @Test
    void lowerMetricWinsEvenWhenListedLater() throws InputException {
        RoutingTable t = IpRouteParser.parse("t", "default via 10.0.0.1 dev a metric 600\ndefault via 10.0.1.1 dev b metric 100\n");
        assertThat(t.lookup(ip("1.1.1.1")).orElseThrow().dev()).contains("b");
    }

    @Test
    void longerPrefixBeatsLowerMetric() throws InputException {
        RoutingTable t = IpRouteParser.parse("t", "10.0.0.0/8 dev a metric 1\n10.1.0.0/16 dev b metric 500\n");
        assertThat(t.lookup(ip("10.1.2.3")).orElseThrow().dev()).contains("b");
        assertThat(t.lookup(ip("10.2.2.3")).orElseThrow().dev()).contains("a");
    }

    @Test
    void deadRoutesAreSkippedAndTheNextShorterPrefixIsTried() throws InputException {
        RoutingTable t = IpRouteParser.parse("t", "default via 10.0.0.1 dev a\n10.1.0.0/16 via 10.0.0.9 dev b dead linkdown\n");
        assertThat(t.lookup(ip("10.1.2.3")).orElseThrow().dev()).contains("a");
    }

    @Test
    void tosRouteOnlyMatchesItsTos() throws InputException {
        RoutingTable t = IpRouteParser.parse("t", "blackhole 10.0.0.0/8 tos 0x10\n10.0.0.0/8 dev a\n");
        assertThat(t.lookup(ip("10.0.0.1")).orElseThrow().type()).isEqualTo(RouteType.UNICAST);
        assertThat(t.lookup(ip("10.0.0.1"), 0x10).orElseThrow().type()).isEqualTo(RouteType.BLACKHOLE);
    }

    @Test
    void noRouteIsEmpty() {
        assertThat(RoutingTable.empty().lookup(ip("8.8.8.8"))).isEmpty();
    }

    @Test
    void addRefusesEqualPrefixAndMetricLikeTheKernel() throws Exception {
        RoutingTable t = IpRouteParser.parse("t", "10.50.0.0/16 via 192.168.0.2 dev enp3s0 \n");
        Route other = Route.unicast(Ipv4Prefix.parse("10.50.0.0/16"), Nexthop.via(ip("192.168.0.3"), "enp3s0"), 0);
        assertThatThrownBy(() -> t.add(other)).isInstanceOf(RouteExistsException.class)
                .hasMessage("RTNETLINK answers: File exists");
        RoutingTable appended = t.append(other);
        assertThat(appended.routes()).hasSize(2);
        assertThat(appended.lookup(ip("10.50.1.1")).orElseThrow().gateway()).contains(ip("192.168.0.2"));
        assertThatThrownBy(() -> appended.append(other)).isInstanceOf(RouteExistsException.class);
        RoutingTable withMetric = appended.add(other.withMetric(3));
        assertThat(RoutePrinter.ipRoute(withMetric)).isEqualTo("""
                10.50.0.0/16 via 192.168.0.2 dev enp3s0 \n\
                10.50.0.0/16 via 192.168.0.3 dev enp3s0 \n\
                10.50.0.0/16 via 192.168.0.3 dev enp3s0 metric 3 \n""");
    }

    @Test
    void addInsertsInTheKernelsDumpOrder() throws Exception {
        RoutingTable t = IpRouteParser.parse("t", "default via 10.0.0.1 dev a \n10.9.0.0/16 dev a scope link \n");
        RoutingTable added = t.add(Route.unicast(Ipv4Prefix.parse("10.1.0.0/16"), Nexthop.dev("b"), 0))
                .add(Route.unicast(Ipv4Prefix.parse("192.168.0.0/24"), Nexthop.dev("c"), 0));
        assertThat(added.routes()).extracting(r -> r.destination().toString())
                .containsExactly("0.0.0.0/0", "10.1.0.0/16", "10.9.0.0/16", "192.168.0.0/24");
    }

    @Test
    void withoutRemovesOneRoute() throws InputException {
        RoutingTable t = IpRouteParser.parse("t", "default via 10.0.0.1 dev a\n");
        assertThat(t.without(t.routes().get(0)).routes()).isEmpty();
    }
}
