package org.vnetlab.scenarios.diagnose;

import java.util.List;

/** A whole diagnosis: the probes in battery order, the lint findings, and every assumption made. */
public record Report(List<ProbeResult> probes, List<Finding> findings, List<String> assumptions) {
    public Report {
        probes = List.copyOf(probes);
        findings = List.copyOf(findings);
        assumptions = List.copyOf(assumptions);
    }

    /** Every probe behaved as a healthy network of this forward mode would: the exit code is 0. */
    public boolean healthy() { return probes.stream().allMatch(ProbeResult::isHealthy); }
}
