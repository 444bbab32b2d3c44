package org.vnetlab.emulator.netfilter.hook;

import java.util.Optional;
import org.vnetlab.emulator.netfilter.AddressType;
import org.vnetlab.protocols.Ipv4Address;

/**
 * What rules and targets need to know about the host, provided by the IP stack: address types (addrtype),
 * an interface's address (MASQUERADE, REDIRECT) and the source address the host would use towards a
 * destination (ICMP errors and REJECT replies).
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

    /** net.ipv4.icmp_ratelimit, icmp_ratemask, icmp_msgs_per_sec, icmp_msgs_burst. */
    default IcmpRateLimit.Settings icmpRateLimits() { return IcmpRateLimit.Settings.DEFAULTS; }
}
