package org.vnetlab.emulator.dnsmasq;

import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.dhcp.DhcpMessage;

/**
 * A DHCP message dnsmasq sends from {@code source}:67. dnsmasq's DHCP socket sets IP_TOS to CS6 (0xc0) and
 * IP_MTU_DISCOVER to "don't" (no DF bit); the TTL is the kernel's default, 64.
 */
public record DhcpReply(byte[] payload, Ipv4Address source, DhcpDestination destination) {
    public static final int SERVER_PORT = 67;
    public static final int TOS = 0xc0;
    public static final boolean DONT_FRAGMENT = false;

    public DhcpReply {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() { return payload.clone(); }

    public DhcpMessage message() {
        try {
            return DhcpMessage.parse(payload);
        } catch (ParseException e) {
            throw new IllegalStateException("we built a message we cannot read back", e);
        }
    }
}
