/**
 * The host's interfaces and IPv4 addresses: {@code ip addr} / {@code ip address show [dev X]} /
 * {@code ip link} / {@code ip -4 addr}, and the brief forms {@code ip -br addr} / {@code ip -br link}, in and
 * out. IPv6 address lines are kept verbatim (printed back) but not modelled.
 */
package org.vnetlab.emulator.hostconf.iface;
