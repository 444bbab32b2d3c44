package org.vnetlab.emulator.hostconf.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.hostconf.Fixtures;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.RouteScope;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

class IpAddrParserTest {
    private static HostInterfaces parse(String text) throws InputException {
        return IpAddrParser.parse("ip-addr.txt", text);
    }

    @Test
    void readsTheArticlesVirbr0() throws InputException {
        HostInterfaces h = parse(Fixtures.articleBlock("7: virbr0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000"));
        InterfaceConfig v = h.byName("virbr0").orElseThrow();
        assertThat(v.index()).hasValue(7);
        assertThat(v.flags()).containsExactly("BROADCAST", "MULTICAST", "UP", "LOWER_UP");
        assertThat(v.isUp()).isTrue();
        assertThat(v.hasCarrier()).isTrue();
        assertThat(v.mtu()).hasValue(1500);
        assertThat(v.qdisc()).contains("noqueue");
        assertThat(v.state()).isEqualTo(OperState.UP);
        assertThat(v.group()).contains("default");
        assertThat(v.qlen()).hasValue(1000);
        assertThat(v.mac()).contains(MacAddress.parse("52:54:00:73:62:06"));
        assertThat(v.linkBroadcast()).contains("ff:ff:ff:ff:ff:ff");
        InterfaceAddress a = v.ipv4().get(0);
        assertThat(a.address()).isEqualTo(Ipv4Address.parse("192.168.122.1"));
        assertThat(a.prefixLength()).isEqualTo(24);
        assertThat(a.network()).isEqualTo(Ipv4Prefix.parse("192.168.122.0/24"));
        assertThat(a.broadcast()).contains(Ipv4Address.parse("192.168.122.255"));
        assertThat(a.scope()).contains(RouteScope.GLOBAL);
        assertThat(a.label()).contains("virbr0");
        assertThat(a.lifetimes()).isEmpty();
    }

    @Test
    void printsTheArticlesBlockBackExactly() throws InputException {
        String text = Fixtures.read("iface/article-ip-addr-virbr0.txt");
        assertThat(IpAddrPrinter.ipAddr(parse(text))).isEqualTo(text);
    }

    @Test
    void readsEveryShapeOfARealDump() throws InputException {
        HostInterfaces h = parse(Fixtures.read("iface/lab-ip-addr.txt"));
        assertThat(h.names()).containsExactly("lo", "virbr0", "eth0g", "vnet0", "upl0", "enp3s0", "tun0");
        InterfaceConfig lo = h.byName("lo").orElseThrow();
        assertThat(lo.linkType()).contains("loopback");
        assertThat(lo.ipv4().get(0).scope()).contains(RouteScope.HOST);
        assertThat(lo.ipv6Lines()).hasSize(2);

        InterfaceConfig vnet = h.byName("vnet0").orElseThrow();
        assertThat(vnet.linkPeer()).contains("eth0g");
        assertThat(vnet.master()).contains("virbr0");
        assertThat(h.portsOf("virbr0")).extracting(InterfaceConfig::name).containsExactly("vnet0");

        InterfaceConfig up = h.byName("enp0s31f6").orElseThrow();
        assertThat(up.name()).isEqualTo("enp3s0");
        assertThat(up.altnames()).containsExactly("enp0s31f6");
        assertThat(up.ipv4()).extracting(InterfaceAddress::brief)
                .containsExactly("192.168.0.10/24", "10.9.0.1/16", "192.168.0.11/24", "192.168.0.12/24", "192.168.0.20/24");
        assertThat(up.ipv4().get(1).label()).contains("enp3s0:1");
        assertThat(up.ipv4().get(2).secondary()).isTrue();
        assertThat(up.ipv4().get(3).flags()).containsExactly("secondary", "dynamic");
        assertThat(up.ipv4().get(3).lifetimes().orElseThrow().valid()).isEqualTo(OptionalLong.of(85632));
        assertThat(up.ipv4().get(4).noPrefixRoute()).isTrue();
        assertThat(up.primaryAddress().orElseThrow().address()).isEqualTo(Ipv4Address.parse("192.168.0.10"));
        assertThat(h.owning(Ipv4Address.parse("192.168.0.11"))).contains(up);

        InterfaceConfig tun = h.byName("tun0").orElseThrow();
        assertThat(tun.linkType()).contains("none");
        assertThat(tun.mac()).isEmpty();
        InterfaceAddress p2p = tun.ipv4().get(0);
        assertThat(p2p.peer()).contains(Ipv4Address.parse("10.8.0.2"));
        assertThat(p2p.prefixLength()).isEqualTo(32);
        assertThat(p2p.network()).isEqualTo(Ipv4Prefix.parse("10.8.0.2/32"));
        assertThat(tun.hasCarrier()).isFalse();
        assertThat(tun.state()).isEqualTo(OperState.DOWN);
    }

    @Test
    void printsRealDumpsBackByteForByte() throws InputException {
        for (String f : List.of("iface/lab-ip-addr.txt", "iface/lab-ip4-addr.txt", "iface/lab-ip-link.txt")) {
            String text = Fixtures.read(f);
            assertThat(IpAddrPrinter.ipAddr(parse(text))).as(f).isEqualTo(text);
        }
    }

    @Test
    void readsADesktopWithNetworkManagerDockerAndLibvirt() throws InputException {
        HostInterfaces h = parse(Fixtures.read("iface/desktop-ip-addr.txt"));
        assertThat(h.names()).containsExactly("lo", "enp3s0", "wlp2s0", "virbr0", "docker0", "vnet0", "veth1c2d3e4");
        InterfaceAddress dhcp = h.byName("enp3s0").orElseThrow().ipv4().get(0);
        assertThat(dhcp.flags()).containsExactly("dynamic", "noprefixroute");
        assertThat(h.byName("docker0").orElseThrow().qlen()).isEmpty();
        InterfaceConfig veth = h.byName("veth1c2d3e4").orElseThrow();
        assertThat(veth.linkPeer()).contains("if6");
        assertThat(veth.linkExtras()).containsExactly("link-netnsid", "0");
        assertThat(h.byName("wlp2s0").orElseThrow().linkExtras()).containsExactly("permaddr", "3c:a9:f4:44:55:66");
        assertThat(h.byName("vnet0").orElseThrow().state()).isEqualTo(OperState.UNKNOWN);
        assertThat(parse(IpAddrPrinter.ipAddr(h))).isEqualTo(h);
    }

    @Test
    void ipLinkHasNoAddressesButTheSameLinks() throws InputException {
        HostInterfaces link = parse(Fixtures.read("iface/lab-ip-link.txt"));
        HostInterfaces addr = parse(Fixtures.read("iface/lab-ip-addr.txt"));
        assertThat(link.interfaces()).allMatch(i -> i.ipv4().isEmpty() && i.mode().isPresent());
        assertThat(link.interfaces()).extracting(InterfaceConfig::mac).containsExactlyElementsOf(
                addr.interfaces().stream().map(InterfaceConfig::mac).toList());
    }

    @Test
    void addressLineBeforeAnyHeaderIsAnError() {
        assertThatThrownBy(() -> parse("    inet 192.168.122.1/24 brd 192.168.122.255 scope global virbr0\n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(5);
                    assertThat(e.token()).isEqualTo("inet");
                });
    }

    @Test
    void badAddressNamesItsColumn() {
        assertThatThrownBy(() -> parse("""
                7: virbr0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
                    link/ether 52:54:00:73:62:06 brd ff:ff:ff:ff:ff:ff
                    inet 192.168.122.1/33 brd 192.168.122.255 scope global virbr0
                """)).isInstanceOfSatisfying(InputException.class, e ->
                assertThat(e.getMessage()).isEqualTo("ip-addr.txt:3:24: prefix length out of range 0..32 near '33'"));
    }

    @Test
    void statisticsLinesAskForPlainOutput() {
        assertThatThrownBy(() -> parse("""
                1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
                    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
                    RX:  bytes packets errors dropped  missed   mcast
                """)).isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("without -s"));
                });
    }

    @Test
    void unknownHeaderWordIsAnError() {
        assertThatThrownBy(() -> parse("2: eth0: <UP> mtu 1500 turbo on state UP\n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.column()).isEqualTo(24);
                    assertThat(e.token()).isEqualTo("turbo");
                });
    }

    @Test
    void badMacIsAnError() {
        assertThatThrownBy(() -> parse("2: eth0: <UP> mtu 1500 state UP\n    link/ether 52:54:00:zz:62:06 brd ff:ff:ff:ff:ff:ff\n"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.token()).isEqualTo("52:54:00:zz:62:06"));
    }

    @Test
    void lifetimeWithoutAddressIsAnError() {
        assertThatThrownBy(() -> parse("2: eth0: <UP> mtu 1500 state UP\n       valid_lft forever preferred_lft forever\n"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.line()).isEqualTo(2));
    }
}
