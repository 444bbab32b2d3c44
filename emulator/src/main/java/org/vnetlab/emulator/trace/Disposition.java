package org.vnetlab.emulator.trace;

/** How a packet's journey through the host ended. */
public enum Disposition {
    /** Accepted by every hook it met so far (a single hook call). */
    ACCEPTED,
    DROPPED_BY_RULE,
    DROPPED_BY_POLICY,
    /** Dropped by conntrack itself (table full, clash at confirmation) or by NAT. */
    DROPPED_BY_CONNTRACK,
    /** Dropped by a REJECT rule, which answered with an ICMP error or TCP RST. */
    REJECTED,
    NO_ROUTE,
    DELIVERED_LOCALLY,
    FORWARDED,
    /** Sent out of the host (locally generated). */
    SENT,
    TTL_EXCEEDED,
    /** Taken by a hook: a fragment nf_defrag_ipv4 holds until its datagram is whole (its story goes on in that one). */
    STOLEN
}
