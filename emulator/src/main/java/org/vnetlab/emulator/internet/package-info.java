/**
 * The emulated internet behind the router: one Linux stack owning every public host address as a /32
 * ({@link org.vnetlab.emulator.internet.Internet}), resolvers answering from a {@link org.vnetlab.emulator.internet.Zone},
 * small web servers, hosts that are down, closed ports answered as Linux answers them, and a per-host
 * distance that ages the TTL of replies.
 */
package org.vnetlab.emulator.internet;
