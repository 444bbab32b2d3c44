/**
 * The dnsmasq libvirt runs for a network, as dnsmasq 2.90 behaves: DHCP ({@link
 * org.vnetlab.emulator.dnsmasq.DhcpServer}: dnsmasq's address hash and walk, the ping before an offer on the
 * lab clock, its option order, authority and limits) and DNS ({@link org.vnetlab.emulator.dnsmasq.DnsServer}:
 * local names with TTL 0, forwarding with dnsmasq's own IDs and ports and its failover rules), sharing one
 * {@link org.vnetlab.emulator.dnsmasq.LeaseDatabase}, the package's only mutable state besides in-flight
 * queries.
 *
 * <p>Configured from the conf libvirt writes ({@link org.vnetlab.emulator.dnsmasq.LibvirtSettings}), started
 * on a host stack with {@link org.vnetlab.emulator.dnsmasq.StackDnsmasq}, or driven through
 * {@link org.vnetlab.emulator.dnsmasq.DhcpPort}/{@link org.vnetlab.emulator.dnsmasq.DnsPort} directly.
 */
package org.vnetlab.emulator.dnsmasq;
