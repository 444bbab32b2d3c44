package org.vnetlab.emulator.dnsmasq;

import org.vnetlab.protocols.Ipv4Address;

/**
 * What the DHCP server needs from the host's network stack: sending its replies, and the ICMP echo it sends
 * before offering a new address. Answers come back through {@link DhcpServer#receive} and
 * {@link DhcpServer#echoReply}.
 */
public interface DhcpPort {
    /** Sends a reply as described by {@link DhcpReply} (TOS 0xc0, no DF, from port 67). */
    void send(DhcpReply reply);

    /**
     * Sends dnsmasq's address probe: an ICMP echo request from {@code source} to {@code target} with this
     * identifier, sequence 0 and 20 zero bytes of data (a 28-byte {@code struct icmp}), through a raw socket
     * (so with the kernel's defaults: DF set, TOS 0, and ARP resolution of the target first).
     */
    void sendEcho(Ipv4Address source, Ipv4Address target, int identifier);
}
