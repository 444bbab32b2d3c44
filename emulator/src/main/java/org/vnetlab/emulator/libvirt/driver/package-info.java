/**
 * libvirt's network driver on one host, as {@code libvirtd}/{@code virtnetworkd} runs it and {@code virsh}
 * shows it: defined (persistent) and active (live) networks, {@code net-start} building the bridge, the
 * address, the firewall rules, IP forwarding and dnsmasq in libvirt's order, {@code net-destroy} undoing them,
 * the daemon's restart behaviour (firewall reload, taps reattached), and virsh's exact output texts
 * ({@link org.vnetlab.emulator.libvirt.driver.Virsh}). Facts follow libvirt's {@code bridge_driver.c},
 * {@code bridge_driver_linux.c}, {@code network_conf.c} and {@code tools/virsh-network.c} (libvirt 10.x).
 */
package org.vnetlab.emulator.libvirt.driver;
