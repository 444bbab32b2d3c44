/**
 * The host's upstream router: a forwarding Linux stack between the LAN and the internet, optionally
 * masquerading, with named {@link org.vnetlab.emulator.router.RouterFault}s that scenarios switch on and off.
 */
package org.vnetlab.emulator.router;
