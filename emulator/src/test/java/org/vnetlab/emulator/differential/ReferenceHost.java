package org.vnetlab.emulator.differential;

import java.util.Optional;
import org.vnetlab.emulator.differential.Topology.Iface;
import org.vnetlab.emulator.netfilter.AddressType;
import org.vnetlab.emulator.netfilter.hook.HostNetwork;
import org.vnetlab.emulator.netfilter.hook.PathRunner;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The oracle's host as the engine sees it: virbr0 192.168.122.1/24, enp3s0 192.168.0.10/24, lo, and the
 * harness's default route via 192.168.0.1 (src/oracle/README.md, "Topology") — or, without it, only
 * {@link #NO_DEFAULT_ROUTE}'s 10.99.0.0/16 via 192.168.0.1.
 */
final class ReferenceHost implements HostNetwork, PathRunner.Routing {
    static final Ipv4Address GATEWAY = Topology.ip("192.168.0.1");
    /** The oracle's {@code route host} line that replaces the default route when a scenario has none. */
    static final String NO_DEFAULT_ROUTE = "10.99.0.0/16 via 192.168.0.1";

    private final boolean defaultRoute;

    ReferenceHost(boolean defaultRoute) { this.defaultRoute = defaultRoute; }

    Optional<Iface> iface(String name) {
        return switch (name) {
            case "virbr0" -> Optional.of(Topology.HOST_VIRBR0);
            case "enp3s0" -> Optional.of(Topology.HOST_ENP3S0);
            default -> Optional.empty();
        };
    }

    /** The host's local routing table (ip route show table local), for inet_dev_addr_type. */
    private record LocalRoute(Ipv4Address prefix, int length, AddressType type, String dev) {}

    private static final java.util.List<LocalRoute> LOCAL_TABLE = java.util.List.of(
            new LocalRoute(Topology.ip("127.255.255.255"), 32, AddressType.BROADCAST, "lo"),
            new LocalRoute(Topology.ip("127.0.0.0"), 8, AddressType.LOCAL, "lo"),
            new LocalRoute(Topology.HOST_VIRBR0.address(), 32, AddressType.LOCAL, "virbr0"),
            new LocalRoute(Topology.ip("192.168.122.255"), 32, AddressType.BROADCAST, "virbr0"),
            new LocalRoute(Topology.HOST_ENP3S0.address(), 32, AddressType.LOCAL, "enp3s0"),
            new LocalRoute(Topology.ip("192.168.0.255"), 32, AddressType.BROADCAST, "enp3s0"));

    /**
     * __inet_dev_addr_type: 0.x.x.x and 255.255.255.255 are broadcast, 224/4 multicast; otherwise the type of
     * the local table's route for the address — but with a device given only when the route is on that
     * device (192.168.0.10 is LOCAL, yet UNICAST when looked up on virbr0); no route means UNICAST.
     */
    @Override
    public AddressType addressType(Ipv4Address a, Optional<String> onInterface) {
        if ((a.bits() >>> 24) == 0 || a.isBroadcast()) return AddressType.BROADCAST;
        if (a.isMulticast()) return AddressType.MULTICAST;
        for (LocalRoute r : LOCAL_TABLE) {
            if (a.inPrefix(r.prefix(), r.length())) {
                return onInterface.isEmpty() || onInterface.get().equals(r.dev()) ? r.type() : AddressType.UNICAST;
            }
        }
        return AddressType.UNICAST;
    }

    @Override
    public Optional<Ipv4Address> interfaceAddress(String dev, Ipv4Address nextHop) {
        return iface(dev).map(Iface::address);
    }

    @Override
    public Optional<Ipv4Address> sourceAddressTowards(Ipv4Address destination) {
        PathRunner.Route r = route(destination, Optional.empty());
        if (r instanceof PathRunner.Route.Out o) return interfaceAddress(o.device(), o.nextHop());
        if (r instanceof PathRunner.Route.Local) return Optional.of(destination);
        return Optional.empty();
    }

    @Override
    public PathRunner.Route route(Ipv4Address dst, Optional<String> in) {
        if (addressType(dst, Optional.empty()) == AddressType.LOCAL) return new PathRunner.Route.Local();
        if (Topology.HOST_VIRBR0.onLink(dst)) return new PathRunner.Route.Out("virbr0", dst);
        if (Topology.HOST_ENP3S0.onLink(dst)) return new PathRunner.Route.Out("enp3s0", dst);
        if (defaultRoute || dst.inPrefix(Topology.ip("10.99.0.0"), 16)) return new PathRunner.Route.Out("enp3s0", GATEWAY);
        return new PathRunner.Route.Unreachable();
    }
}
