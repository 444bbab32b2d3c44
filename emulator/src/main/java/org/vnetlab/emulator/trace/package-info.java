/**
 * Per-packet traces: an id, the immutable list of steps a packet went through in netfilter and the stack
 * (hooks, chains, every rule evaluated and whether it matched, verdicts, policies, conntrack results, NAT
 * bindings, routing) and the final disposition. Rendered like a more complete {@code nft monitor trace}.
 */
package org.vnetlab.emulator.trace;
