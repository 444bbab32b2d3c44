/**
 * nftables evaluation on the shared netfilter engine: {@link org.vnetlab.emulator.nftables.eval.NftEngine}
 * registers nft base chains at their hooks and priorities (nat chains through the NAT core) and runs them as
 * nft_do_chain does, with conntrack, NAT, reject replies, logging, counters and traces shared with iptables.
 */
package org.vnetlab.emulator.nftables.eval;
