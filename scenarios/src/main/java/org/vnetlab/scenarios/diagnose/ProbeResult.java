package org.vnetlab.scenarios.diagnose;

import java.util.Optional;
import java.util.Set;
import org.vnetlab.scenarios.expect.Observation;

/**
 * One probe's result: how it ended, the ICMP error if one came back, the decisive rule, a one-line detail
 * (addresses, NAT, answers), the plain-English meaning, and whether this is what a healthy network of the
 * host's forward mode does.
 */
public record ProbeResult(ProbeId id, Outcome outcome, Optional<Observation.Icmp> icmp, Optional<Decisive> decisive,
                          String detail, String meaning, Set<Outcome> healthy) {
    public ProbeResult {
        healthy = Set.copyOf(healthy);
    }

    public boolean isHealthy() { return healthy.contains(outcome); }
}
