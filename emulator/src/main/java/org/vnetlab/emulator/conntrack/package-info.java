/**
 * Connection tracking as the Linux kernel does it (nf_conntrack): tuples per protocol, original and reply
 * directions, entries with status bits and timeouts from the emulated clock, the TCP state machine with
 * window tracking, NAT bindings and port allocation (nf_nat_core's get_unique_tuple), and {@code conntrack -E}
 * / {@code -L} text. The table is a plain component with lookups by tuple in both directions; the netfilter
 * hooks drive it.
 */
package org.vnetlab.emulator.conntrack;
