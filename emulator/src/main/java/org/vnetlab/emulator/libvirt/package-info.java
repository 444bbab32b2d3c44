/**
 * libvirt's virtual networks: the network XML model ({@link org.vnetlab.emulator.libvirt.NetworkDefinition}) and
 * its parser. Sub-packages hold what libvirt derives from a definition: the schema check ({@code schema}), the
 * dnsmasq configuration ({@code dnsmasq}) and the firewall commands ({@code firewall}).
 */
package org.vnetlab.emulator.libvirt;
