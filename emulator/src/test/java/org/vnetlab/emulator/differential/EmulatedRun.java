package org.vnetlab.emulator.differential;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.vnetlab.emulator.oracle.ProbeResult;

/** The emulator's run of a scenario: per probe its result, counter deltas and conntrack table, and a log. */
final class EmulatedRun implements Observation {
    record ProbeRecord(ProbeResult result, ProbeClient.Flow flow, Map<String, Long> deltas, List<String> conntrack) {}

    private final Map<String, ProbeRecord> probes = new LinkedHashMap<>();
    private final List<String> log;

    EmulatedRun(Map<String, ProbeRecord> probes, List<String> log) {
        this.probes.putAll(probes);
        this.log = List.copyOf(log);
    }

    private ProbeRecord record(String id) {
        ProbeRecord r = probes.get(id);
        if (r == null) throw new NoSuchElementException("the emulator ran no probe " + id);
        return r;
    }

    @Override
    public ProbeResult probe(String id) { return record(id).result(); }

    @Override
    public Map<String, Long> counterDeltas(String id) { return record(id).deltas(); }

    @Override
    public List<String> conntrackAfter(String id) { return record(id).conntrack(); }

    /** The flow probe {@code id} opened (the same in the kernel's rig: same addresses, ports and ids). */
    ProbeClient.Flow flow(String id) { return record(id).flow(); }

    /** Packets the rig lost (no route, no neighbour, dropped by the host) and why, in order. */
    List<String> log() { return log; }
}
