package org.vnetlab.emulator.conntrack;

import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/**
 * What a NAT target asks for (struct nf_nat_range2): an address range to map into (NF_NAT_RANGE_MAP_IPS when
 * present), a port / ICMP-id range (NF_NAT_RANGE_PROTO_SPECIFIED when present) and the random flags.
 */
public record NatRequest(Optional<Ipv4Address> minAddress, Optional<Ipv4Address> maxAddress, Optional<Integer> minKey,
                         Optional<Integer> maxKey, boolean random, boolean randomFully, boolean persistent) {

    public NatRequest {
        if (minAddress.isPresent() != maxAddress.isPresent()) throw new IllegalArgumentException("address range needs both ends");
        if (minKey.isPresent() != maxKey.isPresent()) throw new IllegalArgumentException("port range needs both ends");
    }

    public static NatRequest toAddress(Ipv4Address a) {
        Optional<Ipv4Address> only = Optional.of(a);
        return new NatRequest(only, only, Optional.empty(), Optional.empty(), false, false, false);
    }

    public NatRequest withPorts(int min, int max) {
        return new NatRequest(minAddress, maxAddress, Optional.of(Math.min(min, max)), Optional.of(Math.max(min, max)),
                random, randomFully, persistent);
    }

    public NatRequest withRandom(boolean random, boolean randomFully, boolean persistent) {
        return new NatRequest(minAddress, maxAddress, minKey, maxKey, random, randomFully, persistent);
    }

    boolean mapsAddresses() { return minAddress.isPresent(); }

    boolean protoSpecified() { return minKey.isPresent(); }

    boolean anyRandom() { return random || randomFully; }
}
