package org.vnetlab.emulator.trace;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the steps of one packet's trace while it is processed; {@link #finish} freezes it. A builder made
 * with {@link #off} records nothing: callers check {@link #recording} before building a step's text, so a
 * packet nobody will read the trace of costs no formatting.
 */
public final class TraceBuilder {
    private final long id;
    private final boolean recording;
    private final List<TraceStep> steps;

    public TraceBuilder(long id) { this(id, true); }

    private TraceBuilder(long id, boolean recording) {
        this.id = id;
        this.recording = recording;
        this.steps = recording ? new ArrayList<>() : List.of();
    }

    /** A builder that drops every step (tracing off). */
    public static TraceBuilder off(long id) { return new TraceBuilder(id, false); }

    public long id() { return id; }

    /** Whether steps are kept; false for {@link #off} builders. */
    public boolean recording() { return recording; }

    public TraceBuilder add(TraceStep step) {
        if (recording) steps.add(step);
        return this;
    }

    public List<TraceStep> steps() { return List.copyOf(steps); }

    public Trace finish(Disposition disposition, String reason) { return new Trace(id, steps, disposition, reason); }
}
