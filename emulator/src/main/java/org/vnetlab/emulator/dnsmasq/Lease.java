package org.vnetlab.emulator.dnsmasq;

import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * One DHCPv4 lease as dnsmasq keeps it (lease.c {@code struct dhcp_lease}).
 *
 * @param expires virtual second (since the lab started) at which the lease ends; {@link #NEVER} for an
 *                infinite lease. dnsmasq counts whole seconds of its wall clock; so do we, on the lab's.
 * @param hostname the client's name, without domain
 * @param domain the domain that made {@code hostname.domain} its full name, if dnsmasq has one
 * @param authoritativeName the name came from configuration (a dhcp-host), not from the client
 * @param changed sequence number of the last change that ran dnsmasq's lease-change script (libvirt's
 *                leaseshelper): orders libvirt's status file
 */
public record Lease(Ipv4Address address, MacAddress mac, Optional<ClientId> clientId, Optional<String> hostname,
        Optional<String> domain, long expires, boolean authoritativeName, long changed) {
    public static final long NEVER = Long.MAX_VALUE;

    public boolean isInfinite() { return expires == NEVER; }

    public Optional<String> fqdn() {
        return hostname.flatMap(h -> domain.map(d -> h + "." + d));
    }

    public boolean expiredAt(long nowSeconds) { return !isInfinite() && nowSeconds >= expires; }

    Lease withExpires(long e) { return new Lease(address, mac, clientId, hostname, domain, e, authoritativeName, changed); }

    Lease withClient(MacAddress m, Optional<ClientId> id) {
        return new Lease(address, m, id, hostname, domain, expires, authoritativeName, changed);
    }

    Lease withName(Optional<String> name, Optional<String> dom, boolean auth) {
        return new Lease(address, mac, clientId, name, dom, expires, auth, changed);
    }

    Lease withChanged(long seq) { return new Lease(address, mac, clientId, hostname, domain, expires, authoritativeName, seq); }
}
