/**
 * nft's language in: {@link org.vnetlab.emulator.nftables.syntax.NftParser} reads {@code nft list ruleset} output,
 * {@code nft -f} files and nft command lines into commands; {@link org.vnetlab.emulator.nftables.syntax.NftCommandLine}
 * runs an {@code nft} invocation (options, echo, listings) against a ruleset.
 */
package org.vnetlab.emulator.nftables.syntax;
