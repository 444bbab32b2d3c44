package org.vnetlab.emulator.dnsmasq;

import java.util.List;
import org.vnetlab.protocols.Ipv4Address;

/**
 * What dnsmasq reads from the host beyond its own configuration: the nameservers of /etc/resolv.conf (its
 * upstreams unless {@code no-resolv}) and /etc/hosts (answered locally unless {@code no-hosts}).
 */
public record HostFiles(String resolvConfPath, List<Ipv4Address> nameservers, List<HostRecord> etcHosts) {
    public static final String RESOLV_CONF = "/etc/resolv.conf";

    public HostFiles {
        nameservers = List.copyOf(nameservers);
        etcHosts = List.copyOf(etcHosts);
    }

    public static HostFiles of(List<Ipv4Address> nameservers) {
        return new HostFiles(RESOLV_CONF, nameservers, List.of());
    }
}
