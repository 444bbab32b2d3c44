/**
 * dnsmasq as libvirt drives it: the configuration, hosts file and additional-hosts file libvirt writes for a
 * network ({@link org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfig}), and a reader of that configuration
 * subset into immutable options ({@link org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions}) for the emulated
 * dnsmasq to run from.
 */
package org.vnetlab.emulator.libvirt.dnsmasq;
