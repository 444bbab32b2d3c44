package org.vnetlab.emulator.oracle;

import java.util.Map;

/**
 * Whether the kernel oracle can run on this machine, from {@code vnetlab-oracle check}.
 *
 * @param runnable true when everything needed is there (root, namespaces, iptables, conntrack, dnsmasq, python3)
 * @param reason   why not, when not runnable (empty otherwise)
 * @param facts    every {@code key=value} the check printed: tool versions, {@code iptables_backend},
 *                 {@code bridge_nf} (whether br_netfilter's per-namespace sysctls exist), ...
 */
public record OracleAvailability(boolean runnable, String reason, Map<String, String> facts) {
    public OracleAvailability {
        facts = Map.copyOf(facts);
    }

    /** True when br_netfilter is in the kernel, so bridged traffic can be sent through iptables. */
    public boolean bridgeNetfilter() {
        return facts.getOrDefault("bridge_nf", "").startsWith("available");
    }
}
