/**
 * A host's whole netfilter when iptables-legacy, iptables-nft and native nftables tables coexist:
 * {@link org.vnetlab.emulator.nftables.firewall.HostFirewall} registers them all on one engine in the kernel's
 * order and explains the set-up in a {@link org.vnetlab.emulator.nftables.firewall.FirewallReport}.
 */
package org.vnetlab.emulator.nftables.firewall;
