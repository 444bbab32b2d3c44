package org.vnetlab.emulator.hostconf.iface;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.vnetlab.protocols.MacAddress;

/**
 * One network interface as {@code ip addr} shows it.
 *
 * @param index      kernel ifindex; absent in {@code ip -br} output
 * @param name       interface name
 * @param linkPeer   what follows {@code @} in the name: the other end or lower device ({@code eth0g},
 *                   {@code if5} when it lives in another namespace, {@code NONE})
 * @param flags      the {@code <...>} flags in printed order (UP, LOWER_UP, NO-CARRIER, …)
 * @param mtu        {@code mtu}; absent in {@code ip -br}
 * @param qdisc      {@code qdisc}
 * @param master     the bridge (or bond) the interface is enslaved to ({@code master virbr0})
 * @param state      operational state
 * @param mode       link mode ({@code ip link} prints {@code mode DEFAULT})
 * @param group      device group
 * @param qlen       transmit queue length
 * @param linkType   {@code ether}, {@code loopback}, {@code none}, … ({@code link/TYPE}); absent when not shown
 * @param linkAddress link-layer address as printed (a MAC for ether and loopback)
 * @param linkBroadcast link-layer broadcast ({@code brd})
 * @param linkExtras  what follows on the link line ({@code link-netnsid 0}, {@code permaddr …}), verbatim
 * @param altnames   alternative names ({@code altname})
 * @param ipv4       IPv4 addresses in printed order (primary before its secondaries)
 * @param ipv6Lines  IPv6 address lines and their lifetime lines, verbatim: kept for printing, not emulated
 */
public record InterfaceConfig(OptionalInt index, String name, Optional<String> linkPeer, List<String> flags,
                              OptionalInt mtu, Optional<String> qdisc, Optional<String> master, OperState state,
                              Optional<String> mode, Optional<String> group, OptionalInt qlen, Optional<String> linkType,
                              Optional<String> linkAddress, Optional<String> linkBroadcast, List<String> linkExtras,
                              List<String> altnames, List<InterfaceAddress> ipv4, List<String> ipv6Lines) {
    public InterfaceConfig {
        flags = List.copyOf(flags);
        linkExtras = List.copyOf(linkExtras);
        altnames = List.copyOf(altnames);
        ipv4 = List.copyOf(ipv4);
        ipv6Lines = List.copyOf(ipv6Lines);
    }

    /** The MAC address of an Ethernet-like (or loopback) interface. */
    public Optional<MacAddress> mac() {
        if (linkAddress.isEmpty()) return Optional.empty();
        if (linkType.isPresent() && !linkType.get().equals("ether") && !linkType.get().equals("loopback")) return Optional.empty();
        try {
            return Optional.of(MacAddress.parse(linkAddress.get()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Administratively up ({@code UP} flag). */
    public boolean isUp() { return flags.contains("UP"); }

    /** Carrier present ({@code LOWER_UP}); a bridge without ports shows NO-CARRIER. */
    public boolean hasCarrier() { return flags.contains("LOWER_UP"); }

    /** The interface's primary addresses first, as the kernel picks source addresses. */
    public Optional<InterfaceAddress> primaryAddress() {
        return ipv4.stream().filter(a -> !a.secondary()).findFirst();
    }

    /** The name and {@code @peer} as printed. */
    public String printedName() { return linkPeer.map(p -> name + "@" + p).orElse(name); }
}
