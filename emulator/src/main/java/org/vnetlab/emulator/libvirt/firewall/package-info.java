/**
 * The firewall commands libvirt runs for a virtual network, for both of its backends: iptables
 * ({@link org.vnetlab.emulator.libvirt.firewall.IptablesFirewall}) and nftables
 * ({@link org.vnetlab.emulator.libvirt.firewall.NftablesFirewall}), as plain argument lists, with the
 * text form of libvirt's own command log ({@link org.vnetlab.emulator.libvirt.firewall.LibvirtCommandLog}).
 */
package org.vnetlab.emulator.libvirt.firewall;
