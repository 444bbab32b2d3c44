package org.vnetlab.scenarios.run;

import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/**
 * What a diagnosis needs to know about the host it probes: the libvirt network's name and forward mode
 * ({@code nat}, {@code route}, {@code open}, {@code isolated}, ...), the bridge's address and prefix, and the
 * host's own default gateway and uplink.
 */
public record HostFacts(String network, String forwardMode, String bridge, Ipv4Address bridgeAddress, int prefixLength,
                        Optional<Ipv4Address> uplinkGateway, Optional<String> uplinkInterface) {

    /** An address of the network's range a probe can take when DHCP fails: the last usable one. */
    public Ipv4Address staticFallback() {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        int broadcast = (bridgeAddress.bits() & mask) | ~mask;
        int candidate = broadcast - 1;
        if (candidate == bridgeAddress.bits()) candidate--;
        return new Ipv4Address(candidate);
    }
}
