package org.vnetlab.emulator.sim;

import java.util.Objects;

/**
 * A reusable timer, like the kernel's {@code timer_list}: made once by an element, then armed, re-armed
 * ({@link #start}, which is {@code mod_timer}) and cancelled ({@link #cancel}, {@code del_timer}) as often as
 * needed. When it expires the scheduler runs its action at the armed virtual time.
 *
 * <p>A <em>daemon</em> timer is housekeeping (STP hello, FDB garbage collection, cache expiry): it runs in
 * time order like any event but does not keep {@link Scheduler#runUntilIdle()} going. A periodic timer
 * re-arms itself one period after each expiry, before its action runs, so the action may cancel it.
 */
public final class Timer {
    private final Scheduler scheduler;
    private final String label;
    private final Runnable action;
    private final boolean daemon;
    private final long period;
    private Scheduler.Event pending;

    Timer(Scheduler scheduler, String label, Runnable action, boolean daemon, long period) {
        this.scheduler = scheduler;
        this.label = Objects.requireNonNull(label, "label");
        this.action = Objects.requireNonNull(action, "action");
        this.daemon = daemon;
        this.period = period;
    }

    /** Arms the timer {@code delayNanos} from now, replacing any pending expiry. */
    public void start(long delayNanos) {
        if (delayNanos < 0) throw new IllegalArgumentException("negative delay " + delayNanos + " for " + label);
        startAt(Math.addExact(scheduler.now(), delayNanos));
    }

    /** Arms the timer at an absolute virtual time, which must not be in the past. */
    public void startAt(long timeNanos) {
        cancel();
        pending = scheduler.enqueue(this, timeNanos);
    }

    /** Disarms the timer; true if it was pending. */
    public boolean cancel() {
        if (pending == null) return false;
        scheduler.cancel(pending);
        pending = null;
        return true;
    }

    public boolean isPending() { return pending != null; }

    /** Nanoseconds until expiry, 0 when not pending (what the kernel's br_timer_value reports). */
    public long remaining() { return pending == null ? 0 : pending.time - scheduler.now(); }

    public String label() { return label; }

    public boolean isDaemon() { return daemon; }

    public boolean isPeriodic() { return period > 0; }

    void fire(Scheduler.Event event) {
        if (event != pending) return; // superseded; the scheduler skips these, this is a guard
        pending = null;
        if (period > 0) pending = scheduler.enqueue(this, Math.addExact(event.time, period));
        action.run();
    }

    @Override
    public String toString() {
        return "Timer[" + label + (pending == null ? ", idle" : ", expires " + SimTime.format(pending.time)) + "]";
    }
}
