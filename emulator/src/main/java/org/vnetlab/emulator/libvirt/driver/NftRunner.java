package org.vnetlab.emulator.libvirt.driver;

import java.util.List;
import org.vnetlab.emulator.input.InputException;

/**
 * How libvirt's nftables backend reaches the host's nftables: by running {@code nft} with an argument vector, as
 * {@code virFirewallCmdNftablesApply} runs {@code /usr/sbin/nft}. A failing command changes nothing and raises
 * nft's own error.
 */
@FunctionalInterface
public interface NftRunner {
    /** Runs {@code nft ARGS...}; returns what it printed (listings, {@code -ae} echoes with handles). */
    String run(List<String> args) throws InputException;
}
