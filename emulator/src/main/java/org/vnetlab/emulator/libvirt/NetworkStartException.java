package org.vnetlab.emulator.libvirt;

/**
 * libvirt accepts the definition but would refuse to start the network ({@code virsh net-start} fails):
 * e.g. two IPv4 DHCP ranges on different {@code <ip>}s, a NAT port range whose start is not below its end,
 * or DHCPv6 with a dnsmasq too old for it. The message is libvirt's.
 */
public final class NetworkStartException extends Exception {
    private static final long serialVersionUID = 1L;

    public NetworkStartException(String message) {
        super(message);
    }
}
