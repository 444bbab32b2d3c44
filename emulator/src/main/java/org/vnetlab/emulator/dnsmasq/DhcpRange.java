package org.vnetlab.emulator.dnsmasq;

import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/**
 * One {@code dhcp-range=START,END[,NETMASK][,LEASE]} line: the dynamic pool. Without a netmask dnsmasq takes
 * the serving interface's; without a lease time, one hour.
 */
public record DhcpRange(Ipv4Address start, Ipv4Address end, Optional<Ipv4Address> netmask, LeaseTime leaseTime) {
    public DhcpRange {
        if (Integer.compareUnsigned(start.bits(), end.bits()) > 0) {
            throw new IllegalArgumentException("dhcp-range start " + start + " is after its end " + end);
        }
        if (netmask.isPresent() && !isContiguous(netmask.get())) {
            throw new IllegalArgumentException("not a netmask: " + netmask.get());
        }
    }

    public static DhcpRange of(String start, String end, String netmask, LeaseTime leaseTime) {
        return new DhcpRange(Ipv4Address.parse(start), Ipv4Address.parse(end), Optional.of(Ipv4Address.parse(netmask)), leaseTime);
    }

    /** Addresses in the pool, both ends included. */
    public long size() { return end.unsigned() - start.unsigned() + 1; }

    public boolean contains(Ipv4Address a) {
        return Integer.compareUnsigned(a.bits(), start.bits()) >= 0 && Integer.compareUnsigned(a.bits(), end.bits()) <= 0;
    }

    static boolean isContiguous(Ipv4Address mask) {
        int inverted = ~mask.bits();
        return (inverted & (inverted + 1)) == 0;
    }
}
