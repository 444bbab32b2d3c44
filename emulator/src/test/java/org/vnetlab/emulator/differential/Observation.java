package org.vnetlab.emulator.differential;

import java.util.List;
import java.util.Map;
import org.vnetlab.emulator.oracle.OracleResult;
import org.vnetlab.emulator.oracle.ProbeResult;

/** What one run (the kernel's or the emulator's) shows per probe, in the oracle's terms. */
interface Observation {
    /** The probe's result line (outcome, details, inet_seen). */
    ProbeResult probe(String id);

    /** Rules and policies whose packet counters moved during the probe ({@code nat:LIBVIRT_PRT #5} → +1). */
    Map<String, Long> counterDeltas(String id);

    /** The host's {@code conntrack -L} lines right after the probe. */
    List<String> conntrackAfter(String id);

    static Observation of(OracleResult kernel) {
        return new Observation() {
            public ProbeResult probe(String id) { return kernel.probe(id); }

            public Map<String, Long> counterDeltas(String id) { return kernel.counterDeltas(id); }

            public List<String> conntrackAfter(String id) { return kernel.conntrackAfter(id); }
        };
    }
}
