package org.vnetlab.emulator.hostconf.guest;

import java.util.List;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/** What a guest believes about its network, whatever OS printed it. */
public sealed interface GuestNetConfig permits WindowsIpconfig, LinuxGuest {
    /** IPv4 addresses on connected adapters (loopback excluded). */
    List<GuestAddress> ipv4Addresses();

    /** The IPv4 default gateway the guest uses, if it has one. */
    Optional<Ipv4Address> defaultGateway();

    /** DNS servers in the guest's order (IPv6 ones included as text). */
    List<String> dnsServers();
}
