package org.vnetlab.emulator.hostconf.guest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.iface.HostInterfaces;
import org.vnetlab.emulator.hostconf.iface.InterfaceAddress;
import org.vnetlab.emulator.hostconf.iface.InterfaceConfig;
import org.vnetlab.emulator.hostconf.resolv.ResolvConf;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.hostconf.route.RouteType;
import org.vnetlab.emulator.hostconf.route.RoutingTable;
import org.vnetlab.protocols.Ipv4Address;

/** A Linux guest's {@code ip addr} and {@code ip route} (and its resolv.conf, when given). */
public record LinuxGuest(HostInterfaces interfaces, RoutingTable routes, Optional<ResolvConf> resolvConf)
        implements GuestNetConfig {
    @Override
    public List<GuestAddress> ipv4Addresses() {
        List<GuestAddress> out = new ArrayList<>();
        for (InterfaceConfig i : interfaces.interfaces()) {
            if (i.linkType().filter("loopback"::equals).isPresent() || i.name().equals("lo")) continue;
            for (InterfaceAddress a : i.ipv4()) out.add(new GuestAddress(i.name(), a.address(), a.prefixLength()));
        }
        return out;
    }

    /** The gateway of the main table's default route with the lowest metric (what a packet to the internet uses). */
    @Override
    public Optional<Ipv4Address> defaultGateway() {
        return routes.routes(Route.MAIN).stream()
                .filter(r -> r.destination().isDefault() && r.type() == RouteType.UNICAST && !r.isDead())
                .min(Comparator.comparingLong(Route::metric))
                .flatMap(Route::gateway);
    }

    @Override
    public List<String> dnsServers() {
        return resolvConf.map(ResolvConf::usedNameservers).orElse(List.of());
    }
}
