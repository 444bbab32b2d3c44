package org.vnetlab.emulator.dnsmasq;

import java.util.List;
import org.vnetlab.protocols.Ipv4Address;

/** One line of a hosts file (addn-hosts, /etc/hosts): an address and its names, canonical name first. */
public record HostRecord(Ipv4Address address, List<String> names) {
    public HostRecord {
        names = List.copyOf(names);
        if (names.isEmpty()) throw new IllegalArgumentException("a hosts line needs at least one name");
    }
}
