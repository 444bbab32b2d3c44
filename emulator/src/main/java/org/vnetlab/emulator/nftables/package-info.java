/**
 * nftables as data: a ruleset of tables (family, chains, named sets and verdict maps) whose rules are lists of
 * canonical statements ({@link org.vnetlab.emulator.nftables.Stmt}), the commands that change it
 * ({@link org.vnetlab.emulator.nftables.NftCommand}, applied all-or-nothing by
 * {@link org.vnetlab.emulator.nftables.NftRuleset#apply}), {@code nft list} output
 * ({@link org.vnetlab.emulator.nftables.NftPrinter}) and the counters the engine keeps beside the model
 * ({@link org.vnetlab.emulator.nftables.NftCounters}). Reading nft's language is {@code nftables.syntax}'s job.
 */
package org.vnetlab.emulator.nftables;
