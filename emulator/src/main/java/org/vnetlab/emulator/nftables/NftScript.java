package org.vnetlab.emulator.nftables;

import java.util.List;
import org.vnetlab.emulator.input.InputException;

/**
 * The commands of one {@code nft -f} file or one {@code nft} command line, applied as one transaction: all of
 * them or, at the first error, none (as the kernel commits or aborts nft's batch).
 */
public record NftScript(String file, List<NftCommand> commands) {
    public NftScript {
        commands = List.copyOf(commands);
    }

    public NftRuleset applyTo(NftRuleset ruleset) throws InputException { return ruleset.apply(this); }
}
