package org.vnetlab.emulator.netfilter.hook;

import java.util.Optional;
import org.vnetlab.emulator.netfilter.AddressType;
import org.vnetlab.protocols.Ipv4Address;

/**
 * What rules and targets need to know about the host, provided by the IP stack: address types (addrtype),
 * an interface's address (MASQUERADE, REDIRECT) and the source address the host would use towards a
 * destination (ICMP errors and REJECT replies), and the limits on the ICMP errors it sends.
 */
public interface HostNetwork {

    /**
     * The route type of {@code address} (inet_addr_type / inet_dev_addr_type): LOCAL for the host's own
     * addresses, BROADCAST for broadcast addresses, MULTICAST, UNICAST otherwise (UNREACHABLE etc. when the
     * routing table says so). With {@code onInterface}, only that interface's view counts.
     */
    AddressType addressType(Ipv4Address address, Optional<String> onInterface);

    /**
     * The address MASQUERADE takes on {@code outInterface} for a packet whose next hop is {@code nextHop}
     * (inet_select_addr: the primary address in the next hop's subnet, else the first primary address).
     */
    Optional<Ipv4Address> interfaceAddress(String outInterface, Ipv4Address nextHop);

    /** The source address the host's own packets to {@code destination} get (the route's preferred source). */
    Optional<Ipv4Address> sourceAddressTowards(Ipv4Address destination);

    /** The MTU of the route to {@code destination} (caps the quote of an ICMP error). */
    default int routeMtu(Ipv4Address destination) { return 1500; }

    /**
     * A route as fib_lookup finds it for an output flow to {@code destination} (what {@code -m rpfilter} asks
     * about a packet's source): its type and the interfaces of its next hops (for a local route, the
     * interfaces holding the address); empty when the table has no route.
     */
    default Optional<FibRoute> fibLookup(Ipv4Address destination) {
        throw new UnsupportedOperationException("this host answers no route lookups (needed by -m rpfilter)");
    }

    /** One route lookup's answer. */
    record FibRoute(AddressType type, java.util.Set<String> interfaces) {
        public FibRoute { interfaces = java.util.Set.copyOf(interfaces); }
    }

    /** net.ipv4.ip_default_ttl. */
    default int defaultTtl() { return 64; }

    /**
     * icmp_send's rate limits for an ICMP error of {@code type}/{@code code} to {@code destination}
     * (icmpv4_global_allow, the route back, icmpv4_xrlim_allow; {@code inOnLoopback}: the offending packet came in
     * on lo): whether it may be sent now, spending the budget if so. The host keeps one budget per network
     * namespace, shared by REJECT's errors and the stack's own; false also when there is no route back.
     */
    default boolean allowIcmpError(int type, int code, Ipv4Address destination, boolean inOnLoopback, long nowNanos) {
        throw new UnsupportedOperationException("this host sends no ICMP errors (needed by REJECT and the forwarding path)");
    }

    /** ip_error's own per-sender budget, spent before a "no route" error goes to icmp_send. */
    default boolean allowRouteError(Ipv4Address source, long nowNanos) {
        throw new UnsupportedOperationException("this host sends no ICMP errors (needed by the forwarding path)");
    }
}
