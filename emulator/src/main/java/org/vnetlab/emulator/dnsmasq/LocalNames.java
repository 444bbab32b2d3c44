package org.vnetlab.emulator.dnsmasq;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The names dnsmasq answers itself, with TTL 0 (local-ttl's default): hosts-file entries (addn-hosts and,
 * unless no-hosts, the host's /etc/hosts) and the names of current DHCP leases. With {@code expand-hosts} a
 * dotless hosts name also answers as NAME.DOMAIN; a lease's name answers plain and, when a domain is set, as
 * NAME.DOMAIN. A lease never takes a name a hosts file already gives.
 */
final class LocalNames {
    private final List<HostRecord> hosts;
    private final Optional<String> domain;
    private final boolean expandHosts;
    private final LeaseDatabase leases;

    LocalNames(List<HostRecord> hosts, Optional<String> domain, boolean expandHosts, LeaseDatabase leases) {
        this.hosts = List.copyOf(hosts);
        this.domain = domain;
        this.expandHosts = expandHosts;
        this.leases = leases;
    }

    /** Addresses for a name (A records), hosts files first, then leases unexpired at {@code nowSeconds}. */
    List<Ipv4Address> addresses(String name, long nowSeconds) {
        String key = Hostnames.key(name);
        Set<Ipv4Address> out = new LinkedHashSet<>();
        for (HostRecord r : hosts) {
            for (String n : r.names()) if (hostKeys(n).contains(key)) out.add(r.address());
        }
        if (out.isEmpty()) {
            for (Lease l : leases.leases()) {
                if (l.expiredAt(nowSeconds) || l.hostname().isEmpty()) continue;
                if (leaseKeys(l).contains(key)) out.add(l.address());
            }
        }
        return List.copyOf(out);
    }

    /** The name for an address (PTR): a hosts file's canonical name, else a lease's. */
    Optional<String> name(Ipv4Address address, long nowSeconds) {
        for (HostRecord r : hosts) {
            if (!r.address().equals(address)) continue;
            String canonical = r.names().get(0);
            return Optional.of(expand(canonical));
        }
        for (Lease l : leases.leases()) {
            if (l.expiredAt(nowSeconds) || !l.address().equals(address) || l.hostname().isEmpty()) continue;
            return Optional.of(l.fqdn().orElse(l.hostname().get()));
        }
        return Optional.empty();
    }

    /** check_for_local_domain: the name is ours, whatever the record type asked for. */
    boolean knows(String name, long nowSeconds) {
        return !addresses(name, nowSeconds).isEmpty();
    }

    int hostNameCount() {
        int n = 0;
        for (HostRecord r : hosts) n += r.names().size();
        return n;
    }

    private String expand(String name) {
        return expandHosts && domain.isPresent() && !name.contains(".") ? name + "." + domain.get() : name;
    }

    private List<String> hostKeys(String name) {
        List<String> keys = new ArrayList<>(2);
        keys.add(Hostnames.key(name));
        if (expandHosts && domain.isPresent() && !name.contains(".")) keys.add(Hostnames.key(name + "." + domain.get()));
        return keys;
    }

    private List<String> leaseKeys(Lease l) {
        List<String> keys = new ArrayList<>(2);
        String h = l.hostname().get();
        if (isHostsName(h)) return keys;
        keys.add(Hostnames.key(h));
        l.fqdn().ifPresent(f -> keys.add(Hostnames.key(f)));
        return keys;
    }

    private boolean isHostsName(String name) {
        String key = Hostnames.key(name);
        for (HostRecord r : hosts) for (String n : r.names()) if (hostKeys(n).contains(key)) return true;
        return false;
    }
}
