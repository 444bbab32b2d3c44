package org.vnetlab.emulator.hostconf.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;

class RoutingTableProperties {
    @Provide
    Arbitrary<Route> routes() {
        Arbitrary<Ipv4Prefix> prefix = Combinators.combine(Arbitraries.integers().between(0, 3).map(i -> 10 << 24 | i << 16),
                Arbitraries.integers().between(0, 32)).as((bits, len) -> Ipv4Prefix.containing(new Ipv4Address(bits), len));
        Arbitrary<Optional<Ipv4Address>> gw = Arbitraries.integers().between(1, 254)
                .map(i -> Ipv4Address.of(192, 168, 0, i)).optional(0.6);
        Arbitrary<String> dev = Arbitraries.of("enp3s0", "virbr0", "wlp2s0");
        Arbitrary<Long> metric = Arbitraries.of(0L, 0L, 50L, 100L, 600L, 4294967295L);
        Arbitrary<Optional<String>> proto = Arbitraries.of("boot", "kernel", "dhcp", "static").map(Optional::of);
        return Combinators.combine(prefix, gw, dev, metric, proto).as((p, g, d, m, pr) -> new Route(RouteType.UNICAST, p, 0,
                Route.MAIN, pr, g.isPresent() ? RouteScope.GLOBAL : RouteScope.LINK, Optional.empty(), m,
                List.of(new Nexthop(g, Optional.of(d), 1, Set.of())), OptionalInt.empty(), List.of()));
    }

    @Property(tries = 200, seed = "6243")
    void printingThenParsingGivesTheSameRoutes(@ForAll("tables") List<Route> list) throws InputException {
        RoutingTable t = RoutingTable.of(list);
        assertThat(IpRouteParser.parse("t", RoutePrinter.ipRoute(t)).routes()).isEqualTo(list);
    }

    @Property(tries = 200, seed = "6243")
    void lookupPicksTheLongestPrefixThenTheLowestMetricThenTheFirstListed(@ForAll("tables") List<Route> list,
                                                                         @ForAll("destinations") Ipv4Address dst) {
        Optional<Route> chosen = RoutingTable.of(list).lookup(dst);
        List<Route> matching = new ArrayList<>();
        for (Route r : list) if (r.destination().contains(dst)) matching.add(r);
        if (matching.isEmpty()) {
            assertThat(chosen).isEmpty();
            return;
        }
        Route c = chosen.orElseThrow();
        assertThat(c.destination().contains(dst)).isTrue();
        for (Route r : matching) {
            assertThat(r.destination().length()).isLessThanOrEqualTo(c.destination().length());
            if (r.destination().length() == c.destination().length()) {
                assertThat(r.metric()).isGreaterThanOrEqualTo(c.metric());
                if (r.metric() == c.metric()) assertThat(list.indexOf(r)).isGreaterThanOrEqualTo(list.indexOf(c));
            }
        }
    }

    @Provide
    Arbitrary<List<Route>> tables() { return routes().list().ofMaxSize(12); }

    @Provide
    Arbitrary<Ipv4Address> destinations() {
        return Arbitraries.integers().between(0, 0x3ffff).map(i -> new Ipv4Address(10 << 24 | i));
    }
}
