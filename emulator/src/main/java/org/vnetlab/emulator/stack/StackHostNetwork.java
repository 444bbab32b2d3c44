package org.vnetlab.emulator.stack;

import java.util.Optional;
import org.vnetlab.emulator.hostconf.route.RouteScope;
import org.vnetlab.emulator.netfilter.AddressType;
import org.vnetlab.emulator.netfilter.hook.HostNetwork;
import org.vnetlab.protocols.Ipv4Address;

/** netfilter's questions about the host, answered from the stack's addresses and routes. */
final class StackHostNetwork implements HostNetwork {
    private final IpStack stack;

    StackHostNetwork(IpStack stack) { this.stack = stack; }

    /** inet_addr_type / inet_dev_addr_type: the local table's view (LOCAL, BROADCAST), MULTICAST, else UNICAST. */
    @Override
    public AddressType addressType(Ipv4Address address, Optional<String> onInterface) {
        if (address.isBroadcast()) return AddressType.BROADCAST;
        if (address.isMulticast()) return AddressType.MULTICAST;
        for (StackInterface i : stack.interfaces()) {
            if (onInterface.isPresent() && !onInterface.get().equals(i.name())) continue;
            if (!i.device().isUp()) continue;
            for (Ipv4Assignment a : i.addresses()) {
                if (a.address().equals(address) || (i.isLoopback() && a.network().contains(address))) return AddressType.LOCAL;
                if (a.broadcast().isPresent() && a.broadcast().get().equals(address)) return AddressType.BROADCAST;
            }
        }
        return AddressType.UNICAST;
    }

    /** MASQUERADE's inet_select_addr(out, nexthop, RT_SCOPE_UNIVERSE). */
    @Override
    public Optional<Ipv4Address> interfaceAddress(String outInterface, Ipv4Address nextHop) {
        return stack.iface(outInterface).flatMap(i -> i.selectAddress(Optional.of(nextHop), RouteScope.GLOBAL.value()));
    }

    @Override
    public Optional<Ipv4Address> sourceAddressTowards(Ipv4Address destination) {
        RouteResult r = stack.route(destination, Optional.empty(), true);
        return r instanceof RouteResult.Path p ? stack.selectSource(p) : Optional.empty();
    }

    /** fib_lookup for an output flow; a local route's next hop is the interface holding the address, as in table local. */
    @Override
    public Optional<FibRoute> fibLookup(Ipv4Address destination) {
        RouteResult r = stack.route(destination, Optional.empty(), true);
        if (!(r instanceof RouteResult.Path p)) return Optional.empty();
        AddressType type = switch (p.kind()) {
            case LOCAL -> AddressType.LOCAL;
            case BROADCAST -> AddressType.BROADCAST;
            case MULTICAST -> AddressType.MULTICAST;
            case UNICAST -> AddressType.UNICAST;
        };
        if (type != AddressType.LOCAL) return Optional.of(new FibRoute(type, java.util.Set.of(p.dev().name())));
        java.util.Set<String> holders = new java.util.TreeSet<>();
        for (StackInterface i : stack.interfaces()) {
            if (i.hasAddress(destination) || (i.isLoopback() && destination.isLoopback())) holders.add(i.name());
        }
        return Optional.of(new FibRoute(type, holders));
    }

    @Override
    public int routeMtu(Ipv4Address destination) {
        RouteResult r = stack.route(destination, Optional.empty(), true);
        return r instanceof RouteResult.Path p ? p.mtu() : 1500;
    }

    @Override
    public int defaultTtl() { return stack.settings().defaultTtl(); }

    /** The stack's own limiter: REJECT's errors and the stack's errors share one budget, as in the kernel. */
    @Override
    public boolean allowIcmpError(int type, int code, Ipv4Address destination, boolean inOnLoopback, long nowNanos) {
        return stack.icmpErrorAllowed(type, code, destination, inOnLoopback);
    }

    @Override
    public boolean allowRouteError(Ipv4Address source, long nowNanos) { return stack.routeErrorAllowed(source); }
}
