package org.vnetlab.emulator.hostconf.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.hostconf.Fixtures;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;

class IpRouteParserTest {
    private static RoutingTable parse(String text) throws InputException {
        return IpRouteParser.parse("ip-route.txt", text);
    }

    @Test
    void readsADhcpDefaultRouteWithEveryField() throws InputException {
        Route r = parse("default via 192.168.0.1 dev enp3s0 proto dhcp src 192.168.0.10 metric 100 \n").routes().get(0);
        assertThat(r.type()).isEqualTo(RouteType.UNICAST);
        assertThat(r.destination()).isEqualTo(Ipv4Prefix.DEFAULT);
        assertThat(r.gateway()).contains(Ipv4Address.parse("192.168.0.1"));
        assertThat(r.dev()).contains("enp3s0");
        assertThat(r.protocol()).contains("dhcp");
        assertThat(r.scope()).isEqualTo(RouteScope.GLOBAL);
        assertThat(r.prefsrc()).contains(Ipv4Address.parse("192.168.0.10"));
        assertThat(r.metric()).isEqualTo(100);
        assertThat(r.table()).isEqualTo("main");
    }

    @Test
    void omittedProtoIsBootAndOmittedScopeIsGlobalAsTheKernelMeansThem() throws InputException {
        Route r = parse("default via 192.168.0.1 dev enp3s0 \n").routes().get(0);
        assertThat(r.protocol()).contains("boot");
        assertThat(r.scope()).isEqualTo(RouteScope.GLOBAL);
        assertThat(r.metric()).isZero();
    }

    @Test
    void connectedRouteWithoutCarrierKeepsTheLinkdownFlag() throws InputException {
        Route r = parse("192.168.122.0/24 dev virbr0 proto kernel scope link src 192.168.122.1 linkdown \n").routes().get(0);
        assertThat(r.gateway()).isEmpty();
        assertThat(r.scope()).isEqualTo(RouteScope.LINK);
        assertThat(r.flags()).containsExactly(NexthopFlag.LINKDOWN);
    }

    @Test
    void readsEveryRouteShapeOfARealTableAllDump() throws InputException {
        RoutingTable t = parse(Fixtures.read("route/lab-ip-route-all.txt"));
        assertThat(t.routes()).hasSize(44);
        assertThat(t.noted()).hasSize(16).allMatch(n -> n.reason().contains("IPv6"));
        assertThat(t.routes("local")).hasSize(13);
        assertThat(t.routes("100")).hasSize(1);
        assertThat(t.warnings()).anyMatch(w -> w.contains("table 100"));

        Route multipath = t.routes().stream().filter(Route::isMultipath).findFirst().orElseThrow();
        assertThat(multipath.destination()).isEqualTo(Ipv4Prefix.parse("203.0.113.0/24"));
        assertThat(multipath.nexthops()).extracting(Nexthop::weight).containsExactly(1, 2);
        assertThat(multipath.nexthops()).extracting(n -> n.gateway().orElseThrow().toString())
                .containsExactly("192.168.0.2", "192.168.0.3");

        Route tos = t.routes().stream().filter(r -> r.tos() != 0).findFirst().orElseThrow();
        assertThat(tos.type()).isEqualTo(RouteType.BLACKHOLE);
        assertThat(tos.tos()).isEqualTo(0x10);

        Route metrics = byDestination(t, "10.72.0.0/16");
        assertThat(metrics.attributes()).extracting(RouteAttribute::toString).containsExactly("rtt 1ms", "advmss 1400", "initcwnd 10");
        assertThat(byDestination(t, "198.51.100.0/24").mtu()).hasValue(1400);
        assertThat(byDestination(t, "10.73.0.0/16").nexthopId()).hasValue(7);
        assertThat(byDestination(t, "172.16.5.0/24").flags()).containsExactly(NexthopFlag.ONLINK);
        assertThat(byDestination(t, "10.67.0.0/16").type()).isEqualTo(RouteType.UNREACHABLE);
        assertThat(byDestination(t, "10.67.0.0/16").metric()).isEqualTo(5);
        assertThat(byDestination(t, "10.69.0.0/16").type()).isEqualTo(RouteType.THROW);
        Route local = t.routes("local").get(0);
        assertThat(local.type()).isEqualTo(RouteType.LOCAL);
        assertThat(local.scope()).isEqualTo(RouteScope.HOST);
        assertThat(local.destination()).isEqualTo(Ipv4Prefix.parse("10.8.0.1/32"));
    }

    @Test
    void detailedOutputReadsTheSameAsThePlainOne() throws InputException {
        RoutingTable plain = parse(Fixtures.read("route/lab-ip-route.txt"));
        RoutingTable detailed = parse(Fixtures.read("route/lab-ip-d-route.txt"));
        assertThat(detailed.routes()).isEqualTo(plain.routes());
    }

    @Test
    void printsARealDumpBackByteForByte() throws InputException {
        for (String f : List.of("route/lab-ip-route.txt", "route/lab-ip4-route-all.txt", "route/desktop-ip-route.txt",
                "route/article-host-ip-route.txt")) {
            String text = Fixtures.read(f);
            assertThat(RoutePrinter.ipRoute(parse(text))).as(f).isEqualTo(text.replaceFirst("\\n+\\z", "\n"));
        }
    }

    @Test
    void roundTripsThroughThePrinter() throws InputException {
        RoutingTable t = parse(Fixtures.read("route/lab-ip-route-all.txt"));
        assertThat(parse(RoutePrinter.ipRoute(t)).routes()).isEqualTo(t.routes());
    }

    @Test
    void notesThePromptLineOfAPaste() throws InputException {
        RoutingTable t = parse("user@host:~$ ip route\ndefault via 192.168.0.1 dev enp3s0 \n");
        assertThat(t.routes()).hasSize(1);
        assertThat(t.noted()).singleElement().satisfies(n -> assertThat(n.line()).isEqualTo(1));
    }

    @Test
    void unknownWordIsAnErrorNamingLineColumnAndToken() {
        assertThatThrownBy(() -> parse("default via 192.168.0.1 dev enp3s0\n10.0.0.0/8 dev eth1 frobnicate 3\n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.file()).isEqualTo("ip-route.txt");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(21);
                    assertThat(e.token()).isEqualTo("frobnicate");
                });
    }

    @Test
    void badGatewayIsAnErrorAtTheAddress() {
        assertThatThrownBy(() -> parse("default via 192.168.0.300 dev enp3s0\n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("ip-route.txt:1:13: not an IPv4 gateway near '192.168.0.300'");
                });
    }

    @Test
    void hostBitsInAPrefixAreRejectedLikeTheKernelDoes() {
        assertThatThrownBy(() -> parse("192.168.0.10/24 dev enp3s0\n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(1);
                    assertThat(e.token()).isEqualTo("192.168.0.10/24");
                });
    }

    @Test
    void missingValueAtEndOfLineNamesTheKeyword() {
        assertThatThrownBy(() -> parse("default via 192.168.0.1 dev\n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("ip-route.txt:1:28: missing device after 'dev' near 'dev'");
                });
    }

    @Test
    void routeGetOutputIsRejectedWithAHint() {
        assertThatThrownBy(() -> parse("8.8.8.8 via 192.168.0.1 dev enp3s0 src 192.168.0.10 uid 0 \n    cache \n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.token()).isEqualTo("uid");
                    assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("ip route"));
                });
    }

    @Test
    void unicastRouteWithNeitherDeviceNorNexthopsIsAnError() {
        assertThatThrownBy(() -> parse("10.0.0.0/8 proto static\n192.168.0.0/24 dev eth0\n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.token()).isEqualTo("10.0.0.0/8");
                });
    }

    @Test
    void nexthopLineWithoutAMultipathRouteIsAnError() {
        assertThatThrownBy(() -> parse("\tnexthop via 192.168.0.2 dev enp3s0 weight 1\n"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.column()).isEqualTo(2));
    }

    @Test
    void ipv6DefaultRouteIsNotedNotParsed() throws InputException {
        RoutingTable t = parse("default via fe80::1 dev enp3s0 proto ra metric 100 pref medium\n");
        assertThat(t.routes()).isEmpty();
        assertThat(t.noted()).singleElement().satisfies(n -> assertThat(n.reason()).contains("IPv6"));
    }

    @Test
    void localAndBroadcastRoutesBelongToTableLocalWhenTheDumpOmitsIt() throws InputException {
        // what 'ip route show table local' prints: no "table local" on the lines
        RoutingTable t = parse("local 192.168.122.1 dev virbr0 proto kernel scope host src 192.168.122.1 \n"
                + "broadcast 192.168.122.255 dev virbr0 proto kernel scope link src 192.168.122.1 \n");
        assertThat(t.routes()).allMatch(r -> r.table().equals("local"));
        assertThat(t.lookup(Ipv4Address.parse("192.168.122.1")).orElseThrow().type()).isEqualTo(RouteType.LOCAL);
    }

    @Test
    void emptyOutputIsAnEmptyTable() throws InputException {
        assertThat(parse("\n").routes()).isEmpty();
    }

    private static Route byDestination(RoutingTable t, String prefix) {
        Optional<Route> r = t.routes().stream().filter(x -> x.destination().equals(Ipv4Prefix.parse(prefix))).findFirst();
        return r.orElseThrow();
    }
}
