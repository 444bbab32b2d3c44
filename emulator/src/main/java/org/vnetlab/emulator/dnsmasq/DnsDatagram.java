package org.vnetlab.emulator.dnsmasq;

import org.vnetlab.protocols.Ipv4Address;

/** A DNS message over UDP between a client and dnsmasq's port 53, with the addresses on the packet. */
public record DnsDatagram(byte[] payload, Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort) {
    public DnsDatagram {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() { return payload.clone(); }
}
