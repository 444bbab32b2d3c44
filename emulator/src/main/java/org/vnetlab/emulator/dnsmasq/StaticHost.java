package org.vnetlab.emulator.dnsmasq;

import java.util.List;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * One dhcp-host entry (a line of libvirt's {@code dhcp-hostsfile}, from {@code <host mac= ip= name=/>}): the
 * client it matches (MAC addresses, client id, or its name) and what it gets (a fixed address, a name, a
 * lease time). A fixed address is never handed to anyone else.
 */
public record StaticHost(List<MacAddress> macs, Optional<ClientId> clientId, Optional<Ipv4Address> address,
        Optional<String> hostname, Optional<LeaseTime> leaseTime) {
    public StaticHost {
        macs = List.copyOf(macs);
        if (macs.isEmpty() && clientId.isEmpty() && hostname.isEmpty()) {
            throw new IllegalArgumentException("a dhcp-host needs a MAC address, a client id or a name to match");
        }
    }

    public static StaticHost of(MacAddress mac, Ipv4Address address, String hostname) {
        return new StaticHost(List.of(mac), Optional.empty(), Optional.of(address), Optional.of(hostname), Optional.empty());
    }

    public boolean hasMac(MacAddress mac) { return macs.contains(mac); }
}
