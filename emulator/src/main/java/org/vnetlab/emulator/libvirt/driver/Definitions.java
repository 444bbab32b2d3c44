package org.vnetlab.emulator.libvirt.driver;

import java.util.Optional;
import java.util.OptionalLong;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.protocols.MacAddress;

/** The values libvirt fills into a definition it accepts: a UUID, the bridge's name and MAC. */
final class Definitions {
    private Definitions() {}

    static NetworkDefinition withUuid(NetworkDefinition d, String uuid) {
        return new NetworkDefinition(d.name(), Optional.of(uuid), d.connections(), d.ipv6NoGateway(), d.forward(),
                d.bridge(), d.mac(), d.mtu(), d.portIsolated(), d.domain(), d.dns(), d.ips(), d.routes(),
                d.dnsmasqOptions(), d.unmodelled());
    }

    static NetworkDefinition withMac(NetworkDefinition d, MacAddress mac) {
        return new NetworkDefinition(d.name(), d.uuid(), d.connections(), d.ipv6NoGateway(), d.forward(), d.bridge(),
                Optional.of(mac), d.mtu(), d.portIsolated(), d.domain(), d.dns(), d.ips(), d.routes(),
                d.dnsmasqOptions(), d.unmodelled());
    }

    static NetworkDefinition withBridgeName(NetworkDefinition d, String name) {
        NetworkDefinition.Bridge b = d.bridge().orElse(new NetworkDefinition.Bridge(Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalLong.empty(), Optional.empty()));
        NetworkDefinition.Bridge named = new NetworkDefinition.Bridge(Optional.of(name), b.zone(), b.stp(), b.delay(),
                b.macTableManager());
        return new NetworkDefinition(d.name(), d.uuid(), d.connections(), d.ipv6NoGateway(), d.forward(),
                Optional.of(named), d.mac(), d.mtu(), d.portIsolated(), d.domain(), d.dns(), d.ips(), d.routes(),
                d.dnsmasqOptions(), d.unmodelled());
    }
}
