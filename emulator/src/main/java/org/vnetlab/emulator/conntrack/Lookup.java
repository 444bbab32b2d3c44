package org.vnetlab.emulator.conntrack;

/** What conntrack decided for a packet at its first hook (nf_conntrack_in). */
public sealed interface Lookup {

    /** The packet belongs to {@code entry} (maybe a new, unconfirmed one) in the way {@code info} says. */
    record Tracked(ConntrackEntry entry, CtInfo info, boolean created) implements Lookup {}

    /** No connection: the packet goes on with ctstate INVALID; {@code reason} is what the kernel would log. */
    record Invalid(String reason) implements Lookup {}

    /** Conntrack drops the packet (table full). */
    record Drop(String reason) implements Lookup {}
}
