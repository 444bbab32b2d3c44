package org.vnetlab.emulator.libvirt.dnsmasq;

/**
 * What libvirt found out about the host's dnsmasq ({@code dnsmasq --version} and {@code --help}), which changes
 * the configuration it writes.
 *
 * @param bindDynamic {@code --bind-dynamic} exists: listen on the bridge by interface; otherwise
 *     {@code bind-interfaces} plus one {@code listen-address} per address
 * @param bindToDevice dnsmasq was patched to use SO_BINDTODEVICE, so public addresses are safe without bind-dynamic
 * @param raParam {@code --ra-param} exists (isolated networks then advertise a zero router lifetime)
 * @param ipv6 version 2.64 or newer: router advertisements and DHCPv6 by dnsmasq itself
 */
public record DnsmasqCaps(boolean bindDynamic, boolean bindToDevice, boolean raParam, boolean ipv6) {

    /** A current dnsmasq (what the article's host ran: 2.90). */
    public static final DnsmasqCaps FULL = new DnsmasqCaps(true, false, true, true);

    /** dnsmasq 2.48, as libvirt's test suite calls "restricted": no bind-dynamic, no IPv6 services. */
    public static final DnsmasqCaps RESTRICTED = new DnsmasqCaps(false, false, false, false);
}
