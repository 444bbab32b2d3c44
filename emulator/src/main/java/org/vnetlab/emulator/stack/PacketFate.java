package org.vnetlab.emulator.stack;

/** How a packet's way through one stack ended. */
public enum PacketFate {
    /** Handed to a socket or a protocol handler of this host. */
    DELIVERED,
    /** Sent on towards its destination out of an interface. */
    FORWARDED,
    /** Locally generated and transmitted. */
    SENT,
    /** Taken by a netfilter hook: a fragment nf_defrag_ipv4 holds until its datagram is whole. */
    STOLEN,
    /** Dropped or rejected in a netfilter hook. */
    FILTERED,
    /** No route (ENETUNREACH / ICMP net unreachable) or a reject route (blackhole, unreachable, prohibit). */
    NO_ROUTE,
    /** Not forwarded because forwarding is off on the ingress interface (ip_error, InAddrErrors). */
    FORWARDING_DISABLED,
    /** TTL ran out at forwarding (ICMP time exceeded). */
    TTL_EXCEEDED,
    /** Too big for the next hop with DF set (ICMP fragmentation needed). */
    TOO_BIG,
    /** Dropped by the reverse-path filter or as a martian address. */
    MARTIAN,
    /** ARP resolution of the next hop failed (ICMP host unreachable). */
    NEIGHBOUR_FAILED,
    /** Malformed, not for us, or otherwise discarded by the stack. */
    DISCARDED
}
