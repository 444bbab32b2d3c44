package org.vnetlab.emulator.testing;

import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.netfilter.AddressType;
import org.vnetlab.emulator.netfilter.hook.HostNetwork;
import org.vnetlab.emulator.netfilter.hook.PathRunner;
import org.vnetlab.emulator.sim.SeededRandom;
import org.vnetlab.emulator.stack.IcmpRateLimiter;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The article's host as the captures' README describes it, which is also the oracle harness's host
 * (src/oracle/README.md, "Topology"): virbr0 192.168.122.1/24, enp3s0 192.168.0.10/24, lo, and the default
 * route via 192.168.0.1 — or, {@link #withoutDefaultRoute}, only the routes named. Routing and address facts
 * for the netfilter engine, and the host's one set of ICMP error limits ({@link IcmpRateLimiter}, default
 * sysctls), which REJECT and anything else answering for the host share.
 */
public final class ArticleHost implements HostNetwork, PathRunner.Routing {
    public static final Ipv4Address VIRBR0 = Ipv4Address.parse("192.168.122.1");
    public static final Ipv4Address ENP3S0 = Ipv4Address.parse("192.168.0.10");
    public static final Ipv4Address GATEWAY = Ipv4Address.parse("192.168.0.1");

    /** One route of the local table ({@code ip route show table local}). */
    private record LocalRoute(Ipv4Address prefix, int length, AddressType type, String dev) {}

    private static final List<LocalRoute> LOCAL_TABLE = List.of(
            new LocalRoute(Ipv4Address.parse("127.255.255.255"), 32, AddressType.BROADCAST, "lo"),
            new LocalRoute(Ipv4Address.parse("127.0.0.0"), 8, AddressType.LOCAL, "lo"),
            new LocalRoute(VIRBR0, 32, AddressType.LOCAL, "virbr0"),
            new LocalRoute(Ipv4Address.parse("192.168.122.255"), 32, AddressType.BROADCAST, "virbr0"),
            new LocalRoute(ENP3S0, 32, AddressType.LOCAL, "enp3s0"),
            new LocalRoute(Ipv4Address.parse("192.168.0.255"), 32, AddressType.BROADCAST, "enp3s0"));

    /** A destination prefix routed via {@link #GATEWAY}. */
    private record ViaGateway(Ipv4Address prefix, int length) {}

    private final List<ViaGateway> viaGateway;
    private final IcmpRateLimiter icmpLimits = new IcmpRateLimiter(new SeededRandom(0x1c3b_9a1eL));

    /** With the default route via 192.168.0.1. */
    public ArticleHost() { this(List.of(new ViaGateway(Ipv4Address.ANY, 0))); }

    private ArticleHost(List<ViaGateway> viaGateway) { this.viaGateway = viaGateway; }

    /**
     * Without the default route: besides the two connected networks, only {@code viaGateway}'s prefixes
     * ("10.99.0.0/16") are routed via 192.168.0.1; every other destination is unreachable.
     */
    public static ArticleHost withoutDefaultRoute(String... viaGateway) {
        return new ArticleHost(List.of(viaGateway).stream().map(cidr -> {
            String[] p = cidr.split("/");
            return new ViaGateway(Ipv4Address.parse(p[0]), Integer.parseInt(p[1]));
        }).toList());
    }

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

    /** icmp_send's limits; the error leaves over lo when it goes to one of the host's addresses. */
    @Override
    public boolean allowIcmpError(int type, int code, Ipv4Address destination, boolean inOnLoopback, long nowNanos) {
        return icmpLimits.allowError(type, code, destination, inOnLoopback, sourceAddressTowards(destination).isPresent(),
                addressType(destination, Optional.empty()) == AddressType.LOCAL, nowNanos);
    }

    @Override
    public boolean allowRouteError(Ipv4Address source, long nowNanos) { return icmpLimits.allowRouteError(source, nowNanos); }

    @Override
    public PathRunner.Route route(Ipv4Address dst, Optional<String> in) {
        if (addressType(dst, Optional.empty()) == AddressType.LOCAL) return new PathRunner.Route.Local();
        if (dst.inPrefix(VIRBR0, 24)) return new PathRunner.Route.Out("virbr0", dst);
        if (dst.inPrefix(ENP3S0, 24)) return new PathRunner.Route.Out("enp3s0", dst);
        for (ViaGateway r : viaGateway) {
            if (dst.inPrefix(r.prefix(), r.length())) return new PathRunner.Route.Out("enp3s0", GATEWAY);
        }
        return new PathRunner.Route.Unreachable();
    }
}
