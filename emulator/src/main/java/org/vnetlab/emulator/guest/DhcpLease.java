package org.vnetlab.emulator.guest;

import java.util.List;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * A bound DHCP lease as the client keeps it: what the ACK said, when it was obtained (virtual nanoseconds),
 * and the server's MAC address for the unicast RENEW and RELEASE.
 */
public record DhcpLease(Ipv4Address address, int prefixLength, Optional<Ipv4Address> router, List<Ipv4Address> dns,
                        Optional<String> domain, Ipv4Address server, MacAddress serverMac, long leaseSeconds,
                        long obtainedAtNanos) {
    public DhcpLease {
        dns = List.copyOf(dns);
    }

    public Ipv4Config config() {
        return new Ipv4Config(address, prefixLength, router, dns);
    }

    public Outcome.Lease outcome() {
        return new Outcome.Lease(address, prefixLength, router, dns, server, leaseSeconds);
    }
}
