package org.vnetlab.emulator.hostconf.guest;

import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.protocols.Ipv4Address;

/** An IPv4 address a guest has on one of its adapters. */
public record GuestAddress(String adapter, Ipv4Address address, int prefixLength) {
    public Ipv4Prefix network() { return Ipv4Prefix.containing(address, prefixLength); }
}
