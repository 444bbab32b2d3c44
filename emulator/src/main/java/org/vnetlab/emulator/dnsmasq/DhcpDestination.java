package org.vnetlab.emulator.dnsmasq;

import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/** Where dnsmasq sends a DHCP reply (dhcp.c, after dhcp_reply): one of three ways. */
public sealed interface DhcpDestination {
    int CLIENT_PORT = 68;

    /** To 255.255.255.255:68 out of the served interface: the client set the broadcast flag, or a NAK. */
    record Broadcast() implements DhcpDestination {}

    /**
     * To {@code address}:68 in a frame addressed to {@code mac}, without ARP: dnsmasq puts the client's MAC
     * in the ARP table (SIOCSARP) first, because the client cannot answer ARP for an address it does not
     * have yet.
     */
    record ClientHardware(MacAddress mac, Ipv4Address address) implements DhcpDestination {}

    /** To {@code address}:{@code port} through ordinary routing and ARP: a client that has an address (ciaddr). */
    record Unicast(Ipv4Address address, int port) implements DhcpDestination {}
}
