package org.vnetlab.emulator.sim;

import java.util.List;

/**
 * One run of the scheduler executed more events than the lab allows without finishing. In a network
 * emulator that almost always means frames circulate forever: a bridge loop without STP, a broadcast storm,
 * or a routing loop with an ever-refreshed TTL. The message names the cap, the virtual time span and the
 * busiest event sources, so the loop can be found instead of the JVM hanging.
 */
public final class SimulationLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long limit;
    private final long startNanos;
    private final long nowNanos;
    private final transient List<String> busiestSources;

    SimulationLimitException(String message, long limit, long startNanos, long nowNanos, List<String> busiestSources) {
        super(message);
        this.limit = limit;
        this.startNanos = startNanos;
        this.nowNanos = nowNanos;
        this.busiestSources = List.copyOf(busiestSources);
    }

    /** The cap on events per run that was reached. */
    public long limit() { return limit; }

    public long startNanos() { return startNanos; }

    public long nowNanos() { return nowNanos; }

    /** Labels of the timers that fired most among the last events, busiest first, with their counts. */
    public List<String> busiestSources() { return busiestSources; }
}
