/**
 * The stack's netfilter plug: {@link org.vnetlab.emulator.stack.netfilter.NetfilterPacketFilter} runs the
 * engine of {@code org.vnetlab.emulator.netfilter.hook} at the stack's hooks, and
 * {@link org.vnetlab.emulator.stack.netfilter.BridgeNetfilter} gives a bridge br_netfilter's view of it.
 */
package org.vnetlab.emulator.stack.netfilter;
