/**
 * nftables as data: a ruleset of tables (family, chains, named sets and verdict maps) whose rules are lists of
 * canonical statements ({@link org.vnetlab.emulator.nftables.Stmt}), the commands that change it
 * ({@link org.vnetlab.emulator.nftables.NftCommand}, applied all-or-nothing by
 * {@link org.vnetlab.emulator.nftables.NftRuleset#apply}), {@code nft list} output
 * ({@link org.vnetlab.emulator.nftables.NftPrinter}) and the counters the engine keeps beside the model
 * ({@link org.vnetlab.emulator.nftables.NftCounters}). Reading nft's language is {@code nftables.syntax}'s job,
 * running rules on packets {@code nftables.eval}'s, composing them with iptables {@code nftables.firewall}'s.
 *
 * <p>For libvirt's nftables backend (net-start / net-destroy): run each {@code FirewallCommand} of tool NFT
 * with {@code NftCommandLine.run(ruleset, counters, command.args(), files)}; its {@code Result} has the new
 * ruleset, the exit code (1 for libvirt's {@code nft list table} of a missing table), stdout ({@code -ae}
 * echoes end in {@code # handle N}) and the rules added with their handles (for
 * {@code NftablesFirewall.AddedRule} and {@code removal}). Hand the ruleset to
 * {@code NftEngine.update} so packets see it.
 */
package org.vnetlab.emulator.nftables;
