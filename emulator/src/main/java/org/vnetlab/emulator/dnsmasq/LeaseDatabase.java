package org.vnetlab.emulator.dnsmasq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * dnsmasq's lease list (lease.c): the one mutable piece of the DHCP server's state. Newest lease first, as
 * dnsmasq links them; at most {@code leaseMax} leases (dhcp-lease-max), after which allocation fails.
 */
public final class LeaseDatabase {
    private final int leaseMax;
    private final List<Lease> leases = new ArrayList<>();
    private long changeSequence;

    public LeaseDatabase(int leaseMax) {
        if (leaseMax < 0) throw new IllegalArgumentException("negative lease max");
        this.leaseMax = leaseMax;
    }

    public int leaseMax() { return leaseMax; }

    /** The leases, newest first (dnsmasq's order, and its lease file's). */
    public List<Lease> leases() { return List.copyOf(leases); }

    public int size() { return leases.size(); }

    /**
     * lease_find_by_client: a lease with this client id; failing that, one for this MAC where either side has
     * no client id.
     */
    public Optional<Lease> findByClient(MacAddress mac, Optional<ClientId> clientId) {
        if (clientId.isPresent()) {
            for (Lease l : leases) if (l.clientId().equals(clientId)) return Optional.of(l);
        }
        for (Lease l : leases) {
            if ((l.clientId().isEmpty() || clientId.isEmpty()) && l.mac().equals(mac)) return Optional.of(l);
        }
        return Optional.empty();
    }

    public Optional<Lease> findByAddress(Ipv4Address address) {
        for (Lease l : leases) if (l.address().equals(address)) return Optional.of(l);
        return Optional.empty();
    }

    /** lease4_allocate: a new lease at the head of the list, or empty when dhcp-lease-max leases exist. */
    Optional<Lease> allocate(Ipv4Address address, MacAddress mac, long expires) {
        if (leases.size() >= leaseMax) return Optional.empty();
        Lease l = new Lease(address, mac, Optional.empty(), Optional.empty(), Optional.empty(), expires, false, 0);
        leases.add(0, l);
        return Optional.of(l);
    }

    /** Replaces the lease for the same address, keeping its place in the list. */
    Lease update(Lease lease) {
        for (int i = 0; i < leases.size(); i++) {
            if (leases.get(i).address().equals(lease.address())) {
                leases.set(i, lease);
                return lease;
            }
        }
        throw new IllegalStateException("no lease for " + lease.address());
    }

    /** Marks a lease as reported to the lease-change script now (an add or old event). */
    Lease touch(Lease lease) {
        return update(lease.withChanged(++changeSequence));
    }

    boolean remove(Lease lease) {
        return leases.removeIf(l -> l.address().equals(lease.address()));
    }

    /** lease_prune(NULL, now): drops every lease whose time is up; returns them. */
    List<Lease> prune(long nowSeconds) {
        List<Lease> gone = new ArrayList<>();
        for (Lease l : leases) if (l.expiredAt(nowSeconds)) gone.add(l);
        leases.removeAll(gone);
        return gone;
    }

    /** The earliest expiry among finite leases. */
    Optional<Long> nextExpiry() {
        return leases.stream().filter(l -> !l.isInfinite()).map(Lease::expires).min(Comparator.naturalOrder());
    }
}
