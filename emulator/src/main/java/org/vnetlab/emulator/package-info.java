/** The emulated network: simulation core, links, bridge, host stack, netfilter, conntrack, services. */
package org.vnetlab.emulator;
