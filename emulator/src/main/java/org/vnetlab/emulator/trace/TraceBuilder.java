package org.vnetlab.emulator.trace;

import java.util.ArrayList;
import java.util.List;

/** Collects the steps of one packet's trace while it is processed; {@link #finish} freezes it. */
public final class TraceBuilder {
    private final long id;
    private final List<TraceStep> steps = new ArrayList<>();

    public TraceBuilder(long id) { this.id = id; }

    public long id() { return id; }

    public TraceBuilder add(TraceStep step) {
        steps.add(step);
        return this;
    }

    public List<TraceStep> steps() { return List.copyOf(steps); }

    public Trace finish(Disposition disposition, String reason) { return new Trace(id, steps, disposition, reason); }
}
