package org.vnetlab.emulator.hostconf.iface;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.RouteScope;
import org.vnetlab.protocols.Ipv4Address;

/**
 * One IPv4 address of an interface ({@code inet} line).
 *
 * @param address      the local address
 * @param prefixLength its prefix length (for a point-to-point address: the peer's)
 * @param peer         the remote end of a point-to-point address ({@code peer})
 * @param broadcast    {@code brd}; absent when none is set (the kernel then has no directed broadcast route)
 * @param scope        {@code host}, {@code link}, {@code global}; absent in {@code ip -br} output
 * @param label        the address label ({@code enp3s0}, {@code enp3s0:1}); absent in {@code ip -br} output
 * @param flags        {@code secondary}, {@code dynamic}, {@code noprefixroute}, {@code deprecated}, … as printed
 * @param metric       the prefix route's metric when set on the address ({@code metric})
 * @param lifetimes    {@code valid_lft}/{@code preferred_lft}; absent in {@code ip -br} output
 */
public record InterfaceAddress(Ipv4Address address, int prefixLength, Optional<Ipv4Address> peer,
                               Optional<Ipv4Address> broadcast, Optional<RouteScope> scope, Optional<String> label,
                               List<String> flags, OptionalLong metric, Optional<Lifetimes> lifetimes) {
    public InterfaceAddress {
        if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("prefix length " + prefixLength);
        flags = List.copyOf(flags);
    }

    /** An address as {@code ip addr add A/L brd + dev D} makes it: global scope, broadcast derived. */
    public static InterfaceAddress of(Ipv4Address address, int prefixLength, String dev) {
        Ipv4Prefix net = Ipv4Prefix.containing(address, prefixLength);
        Optional<Ipv4Address> brd = prefixLength < 31 ? Optional.of(net.broadcast()) : Optional.empty();
        return new InterfaceAddress(address, prefixLength, Optional.empty(), brd, Optional.of(RouteScope.GLOBAL),
                Optional.of(dev), List.of(), OptionalLong.empty(), Optional.of(Lifetimes.FOREVER));
    }

    /** The attached network: the prefix around the address, or around the peer for point-to-point. */
    public Ipv4Prefix network() { return Ipv4Prefix.containing(peer.orElse(address), prefixLength); }

    /** The kernel lists addresses after the first of each subnet as secondary; they depend on the primary. */
    public boolean secondary() { return flags.contains("secondary"); }

    /** Without a prefix route (NetworkManager's default): nothing is added to table main for it. */
    public boolean noPrefixRoute() { return flags.contains("noprefixroute"); }

    /** {@code 192.168.122.1/24} (or {@code 10.8.0.1 peer 10.8.0.2/32}) as {@code ip -br addr} prints it. */
    public String brief() {
        return peer.isPresent() ? address + " peer " + peer.get() + "/" + prefixLength : address + "/" + prefixLength;
    }
}
