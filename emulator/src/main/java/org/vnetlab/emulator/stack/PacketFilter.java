package org.vnetlab.emulator.stack;

import org.vnetlab.emulator.netfilter.Hook;

/**
 * What the stack calls at the kernel's five netfilter hooks (NF_HOOK in ip_rcv, ip_local_deliver,
 * ip_forward, __ip_local_out and ip_output). The default lets everything through; the netfilter engine
 * plugs in through {@code org.vnetlab.emulator.stack.netfilter.NetfilterPacketFilter}.
 *
 * <p>The filter may rewrite the datagram in place (NAT keeps its length); the stack re-reads addresses after
 * each hook and re-routes a locally generated packet whose destination changed in OUTPUT, as
 * ip_route_me_harder does.
 */
public interface PacketFilter {

    /** Runs the hook's base chains; anything but ACCEPT ends the packet. */
    FilterVerdict hook(Hook hook, FilterPacket packet);

    /**
     * The stack dropped the packet outside netfilter (no route, TTL expiry, neighbour failure, MTU): the
     * engine frees what it attached to it (an unconfirmed conntrack entry), as kfree_skb does.
     */
    default void packetLost(FilterPacket packet) { }

    /**
     * An ICMP error the stack generates about {@code original} (icmp_send's nf_ct_attach): the reply is
     * related to the original's connection before it meets OUTPUT.
     */
    default void attachRelated(FilterPacket reply, FilterPacket original) { }

    /** The packet's story ended: delivered, forwarded, sent, or dropped by the stack for {@code detail}. */
    default void finished(FilterPacket packet, PacketFate fate, String detail) { }

    /** Accepts everything: a stack without netfilter (a guest, a router with no rules). */
    PacketFilter ACCEPT_ALL = (hook, packet) -> FilterVerdict.ACCEPT;
}
