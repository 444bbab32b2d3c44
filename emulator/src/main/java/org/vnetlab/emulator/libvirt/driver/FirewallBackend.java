package org.vnetlab.emulator.libvirt.driver;

/** {@code firewall_backend} of {@code /etc/libvirt/network.conf} (libvirt 10.4+; iptables before). */
public enum FirewallBackend {
    IPTABLES, NFTABLES
}
