package org.vnetlab.emulator.dnsmasq;

import org.vnetlab.protocols.Ipv4Address;

/**
 * The interface dnsmasq serves, as the kernel reports it to dnsmasq: name and primary IPv4 address with its
 * prefix (libvirt's virbr0, 192.168.122.1/24). Not part of dnsmasq's configuration: dnsmasq asks the kernel.
 */
public record ServedInterface(String name, Ipv4Address address, int prefixLength) {
    public ServedInterface {
        if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("bad prefix length " + prefixLength);
    }

    public Ipv4Address netmask() {
        return new Ipv4Address(prefixLength == 0 ? 0 : -1 << (32 - prefixLength));
    }

    public Ipv4Address broadcast() {
        return new Ipv4Address(address.bits() | ~netmask().bits());
    }
}
