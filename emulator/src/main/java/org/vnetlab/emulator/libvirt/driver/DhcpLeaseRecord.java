package org.vnetlab.emulator.libvirt.driver;

import java.util.Objects;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * One entry of libvirt's lease status file ({@code /var/lib/libvirt/dnsmasq/virbr0.status}), which
 * {@code libvirt_leaseshelper} keeps from dnsmasq's lease events and {@code net-dhcp-leases} reads. The file
 * outlives dnsmasq: {@code net-destroy} leaves it, and the next dnsmasq is handed its unexpired leases back at
 * start-up (the helper's {@code init} action), so a guest keeps its address across a restart.
 *
 * @param expiryTime seconds since the Unix epoch when the lease ends; 0 for an infinite lease
 * @param clientId DHCP option 61 as dnsmasq prints it ({@code 01:52:54:00:3b:7d:11}), when the client sent one
 */
public record DhcpLeaseRecord(long expiryTime, MacAddress mac, Ipv4Address ip, Optional<String> hostname,
        Optional<String> clientId) {
    public DhcpLeaseRecord {
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(clientId, "clientId");
    }

    /** The helper drops a lease whose time is up; an infinite lease (expiry 0) never is. */
    public boolean expiredAt(long epochSeconds) {
        return expiryTime > 0 && expiryTime < epochSeconds;
    }
}
