package org.vnetlab.emulator.nftables;

import java.util.Optional;
import org.vnetlab.emulator.netfilter.hook.HostNetwork;
import org.vnetlab.emulator.netfilter.hook.PathRunner;
import org.vnetlab.emulator.netfilter.AddressType;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The article's host as the captures' README describes it: virbr0 192.168.122.1/24, enp3s0
 * 192.168.0.10/24, default via 192.168.0.1; routing and address facts for the engine.
 */
final class TestHost implements HostNetwork, PathRunner.Routing {
    static final Ipv4Address VIRBR0 = Ipv4Address.parse("192.168.122.1");
    static final Ipv4Address ENP3S0 = Ipv4Address.parse("192.168.0.10");
    static final Ipv4Address GATEWAY = Ipv4Address.parse("192.168.0.1");

    @Override
    public AddressType addressType(Ipv4Address a, Optional<String> onInterface) {
        if (a.equals(VIRBR0) || a.equals(ENP3S0) || a.isLoopback()) return AddressType.LOCAL;
        if (a.isBroadcast() || a.equals(Ipv4Address.parse("192.168.122.255")) || a.equals(Ipv4Address.parse("192.168.0.255"))) {
            return AddressType.BROADCAST;
        }
        if (a.isMulticast()) return AddressType.MULTICAST;
        return AddressType.UNICAST;
    }

    @Override
    public Optional<Ipv4Address> interfaceAddress(String dev, Ipv4Address nextHop) {
        return switch (dev) {
            case "virbr0" -> Optional.of(VIRBR0);
            case "enp3s0" -> Optional.of(ENP3S0);
            default -> Optional.empty();
        };
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
        if (dst.inPrefix(Ipv4Address.parse("192.168.122.0"), 24)) return new PathRunner.Route.Out("virbr0", dst);
        if (dst.inPrefix(Ipv4Address.parse("192.168.0.0"), 24)) return new PathRunner.Route.Out("enp3s0", dst);
        return new PathRunner.Route.Out("enp3s0", GATEWAY);
    }
}
