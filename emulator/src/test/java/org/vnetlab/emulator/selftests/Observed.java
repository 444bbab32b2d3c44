package org.vnetlab.emulator.selftests;

import java.util.List;
import java.util.Map;
import org.vnetlab.emulator.oracle.OracleResult;
import org.vnetlab.emulator.oracle.ProbeResult;
import org.vnetlab.emulator.oracle.RuleCounters;

/**
 * One run of a scenario as the checks see it, whether the Linux kernel ran it (through the oracle harness)
 * or vnetlab did (on the {@link Rig}): per probe its result, and the counters and conntrack table of each
 * namespace with a ruleset after it. The selftests' assertions are written once against this and applied to
 * both.
 */
interface Observed {
    /** "kernel" or "vnetlab", for messages. */
    String who();

    ProbeResult probe(String id);

    RuleCounters countersAfter(String id, String namespace);

    Map<String, Long> counterDeltas(String id, String namespace);

    List<String> conntrackAfter(String id, String namespace);

    static Observed kernel(OracleResult r) {
        return new Observed() {
            public String who() { return "kernel"; }

            public ProbeResult probe(String id) { return r.probe(id); }

            public RuleCounters countersAfter(String id, String ns) { return ns.equals("host") ? r.countersAfter(id) : r.countersAfter(id, ns); }

            public Map<String, Long> counterDeltas(String id, String ns) { return ns.equals("host") ? r.counterDeltas(id) : r.counterDeltas(id, ns); }

            public List<String> conntrackAfter(String id, String ns) { return ns.equals("host") ? r.conntrackAfter(id) : r.conntrackAfter(id, ns); }

            @Override
            public String toString() { return "kernel run in " + r.dir(); }
        };
    }

    static Observed vnetlab(EmulatedRun r) {
        return new Observed() {
            public String who() { return "vnetlab"; }

            public ProbeResult probe(String id) { return r.probe(id); }

            public RuleCounters countersAfter(String id, String ns) { return r.countersAfter(id, ns); }

            public Map<String, Long> counterDeltas(String id, String ns) { return r.counterDeltas(id, ns); }

            public List<String> conntrackAfter(String id, String ns) { return r.conntrackAfter(id, ns); }

            @Override
            public String toString() { return "vnetlab run"; }
        };
    }
}
