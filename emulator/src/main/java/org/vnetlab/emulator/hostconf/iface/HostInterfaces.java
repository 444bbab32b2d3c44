package org.vnetlab.emulator.hostconf.iface;

import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.text.NotedLine;
import org.vnetlab.protocols.Ipv4Address;

/** The host's interfaces in ifindex (dump) order, plus the lines the parser noted and skipped. */
public record HostInterfaces(List<InterfaceConfig> interfaces, List<NotedLine> noted) {
    public HostInterfaces {
        interfaces = List.copyOf(interfaces);
        noted = List.copyOf(noted);
    }

    public static HostInterfaces of(List<InterfaceConfig> interfaces) { return new HostInterfaces(interfaces, List.of()); }

    public Optional<InterfaceConfig> byName(String name) {
        for (InterfaceConfig i : interfaces) {
            if (i.name().equals(name) || i.altnames().contains(name)) return Optional.of(i);
        }
        return Optional.empty();
    }

    /** The interface that has {@code address} configured, if any. */
    public Optional<InterfaceConfig> owning(Ipv4Address address) {
        for (InterfaceConfig i : interfaces) {
            for (InterfaceAddress a : i.ipv4()) if (a.address().equals(address)) return Optional.of(i);
        }
        return Optional.empty();
    }

    /** Interfaces enslaved to {@code bridge} ({@code master bridge}). */
    public List<InterfaceConfig> portsOf(String bridge) {
        return interfaces.stream().filter(i -> i.master().filter(bridge::equals).isPresent()).toList();
    }

    public List<String> names() { return interfaces.stream().map(InterfaceConfig::name).toList(); }
}
