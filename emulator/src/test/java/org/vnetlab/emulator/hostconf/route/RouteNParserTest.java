package org.vnetlab.emulator.hostconf.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.hostconf.Fixtures;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;

class RouteNParserTest {
    private static RoutingTable parse(String text) throws InputException {
        return RouteNParser.parse("route-n.txt", text);
    }

    @Test
    void readsTheArticlesTableWithItsDuplicateDefaults() throws InputException {
        RoutingTable t = parse(Fixtures.articleBlock("Kernel IP routing table"));
        assertThat(t.routes()).hasSize(5);
        assertThat(t.routes()).extracting(Route::metric).containsExactly(0L, 100L, 0L, 100L, 0L);
        Route d = t.routes().get(0);
        assertThat(d.destination()).isEqualTo(Ipv4Prefix.DEFAULT);
        assertThat(d.gateway()).contains(Ipv4Address.parse("192.168.0.1"));
        assertThat(d.dev()).contains("enp3s0");
        assertThat(d.routeNFlags()).isEqualTo("UG");
        assertThat(d.protocol()).isEmpty();
        Route virbr = t.routes().get(4);
        assertThat(virbr.destination()).isEqualTo(Ipv4Prefix.parse("192.168.122.0/24"));
        assertThat(virbr.scope()).isEqualTo(RouteScope.LINK);
        assertThat(t.warnings()).isEmpty();
    }

    @Test
    void printsTheArticlesTableBackExactly() throws InputException {
        String text = Fixtures.read("route/article-route-n.txt");
        assertThat(RoutePrinter.routeN(parse(text))).isEqualTo(text);
    }

    @Test
    void printsARealRouteNOfEveryShapeBackExactly() throws InputException {
        String text = Fixtures.read("route/lab-route-n.txt");
        RoutingTable t = parse(text);
        assertThat(RoutePrinter.routeN(t)).isEqualTo(text);
        assertThat(t.warnings()).hasSize(2);
    }

    @Test
    void routeNOfAnIpRouteDumpMatchesWhatNetToolsPrinted() throws InputException {
        RoutingTable fromIp = IpRouteParser.parse("ip", Fixtures.read("route/lab-ip4-route-all.txt"));
        // route -n lists the table main; a multipath route shows its first path
        String expected = Fixtures.read("route/lab-route-n.txt");
        assertThat(RoutePrinter.routeN(fromIp)).isEqualTo(expected);
    }

    @Test
    void ipRouteAndRouteNGiveTheSameLookups() throws InputException {
        RoutingTable fromIp = IpRouteParser.parse("ip", Fixtures.read("route/article-host-ip-route.txt"));
        RoutingTable fromRouteN = parse(Fixtures.read("route/article-route-n.txt"));
        for (String dst : new String[] {"8.8.8.8", "192.168.0.77", "192.168.122.9", "10.1.1.1"}) {
            Ipv4Address a = Ipv4Address.parse(dst);
            Route x = fromIp.lookup(a).orElseThrow();
            Route y = fromRouteN.lookup(a).orElseThrow();
            assertThat(y.gateway()).as(dst).isEqualTo(x.gateway());
            assertThat(y.dev()).as(dst).isEqualTo(x.dev());
            assertThat(y.metric()).as(dst).isEqualTo(x.metric());
        }
    }

    @Test
    void readsRejectAndDevicelessRowsWithWarnings() throws InputException {
        RoutingTable t = parse(Fixtures.read("route/lab-route-n.txt"));
        Route unreachable = t.routes().stream().filter(r -> r.routeNFlags().equals("!")).findFirst().orElseThrow();
        assertThat(unreachable.type()).isEqualTo(RouteType.UNREACHABLE);
        assertThat(unreachable.metric()).isEqualTo(5);
        assertThat(t.routes()).filteredOn(r -> r.type() == RouteType.BLACKHOLE).hasSize(3);
        assertThat(t.warnings()).anyMatch(w -> w.contains("blackhole and throw"));
    }

    @Test
    void netstatLayoutReadsWithZeroMetricsAndSaysSo() throws InputException {
        RoutingTable t = parse(Fixtures.read("route/lab-netstat-rn.txt"));
        assertThat(t.routes()).hasSize(30).allMatch(r -> r.metric() == 0);
        assertThat(t.warnings()).anyMatch(w -> w.contains("no Metric column"));
    }

    @Test
    void flagsThatContradictTheColumnsAreAnError() {
        assertThatThrownBy(() -> parse("""
                Kernel IP routing table
                Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
                0.0.0.0         0.0.0.0         0.0.0.0         UG    0      0        0 enp3s0
                """)).isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo(49);
                    assertThat(e.token()).isEqualTo("UG");
                    assertThat(e.problem()).isEqualTo("G flag without a gateway");
                });
    }

    @Test
    void nonContiguousMaskIsAnError() {
        assertThatThrownBy(() -> parse("""
                Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
                10.0.0.0        0.0.0.0         255.0.255.0     U     0      0        0 eth0
                """)).isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("route-n.txt:2:33: netmask is not contiguous near '255.0.255.0'");
                });
    }

    @Test
    void hostNamesAskForRouteDashN() {
        assertThatThrownBy(() -> parse("""
                Kernel IP routing table
                Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
                default         _gateway        0.0.0.0         UG    100    0        0 enp3s0
                """)).isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.token()).isEqualTo("_gateway");
                    assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("route -n"));
                });
    }

    @Test
    void rowsWithoutHeaderAreAnError() {
        assertThatThrownBy(() -> parse("0.0.0.0         192.168.0.1     0.0.0.0         UG    0      0        0 enp3s0\n"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.line()).isEqualTo(1));
    }

    @Test
    void shortRowIsAnError() {
        assertThatThrownBy(() -> parse("""
                Destination     Gateway         Genmask         Flags Metric Ref    Use Iface
                0.0.0.0         192.168.0.1     0.0.0.0         UG    0      0        0
                """)).isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.problem()).contains("8 columns");
                });
    }
}
