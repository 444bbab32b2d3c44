package org.vnetlab.emulator.nftables;

import java.util.Optional;
import org.vnetlab.emulator.netfilter.Policy;

/**
 * What makes a chain a base chain: {@code type T hook H [device D] priority P; policy P;}. The priority is
 * kept as its number (names are resolved when parsed and chosen again when printed).
 */
public record BaseChainSpec(ChainType type, NftHook hook, int priority, Optional<String> device, Policy policy) {

    /** The chain's header line as {@code nft list} prints it (without indentation). */
    public String text(Family family) {
        return "type " + type + " hook " + hook + device.map(d -> " device \"" + d + "\"").orElse("") + " priority "
                + Priorities.format(priority, family, hook) + "; policy " + policy.name().toLowerCase() + ";";
    }
}
