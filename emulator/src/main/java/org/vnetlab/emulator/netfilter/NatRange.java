package org.vnetlab.emulator.netfilter;

import java.util.Optional;

/**
 * The {@code --to-source}/{@code --to-destination} of SNAT/DNAT: {@code [addr[-addr]][:port[-port]]}.
 * At least one part is present (DNAT {@code --to-destination :80} keeps the address, changes the port).
 */
public record NatRange(Optional<AddressRange> addresses, Optional<PortRange> ports) {
    public NatRange {
        if (addresses.isEmpty() && ports.isEmpty()) throw new IllegalArgumentException("empty NAT range");
    }
}
