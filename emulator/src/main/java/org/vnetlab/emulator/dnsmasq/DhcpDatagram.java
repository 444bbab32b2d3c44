package org.vnetlab.emulator.dnsmasq;

import org.vnetlab.protocols.Ipv4Address;

/**
 * A UDP datagram that reached dnsmasq's DHCP socket (port 67) on the served interface: the payload and the
 * addresses the kernel reports with it (IP_PKTINFO). {@code destination} tells broadcast from unicast.
 */
public record DhcpDatagram(byte[] payload, Ipv4Address source, int sourcePort, Ipv4Address destination) {
    public DhcpDatagram {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() { return payload.clone(); }

    /** A client without an address broadcasting from port 68, as udhcpc and dhclient do. */
    public static DhcpDatagram broadcast(byte[] payload) {
        return new DhcpDatagram(payload, Ipv4Address.ANY, 68, Ipv4Address.BROADCAST);
    }
}
