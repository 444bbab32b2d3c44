package org.vnetlab.emulator.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * The virtual clock and event queue of one lab. Events are ordered by (time, sequence number): events due at
 * the same nanosecond run in the order they were scheduled, and the clock never goes back. Everything that
 * happens later — a frame arriving after a link's latency, a retransmission, an STP state change — is a
 * {@link Timer} expiry.
 *
 * <p>Running is explicit and single-threaded: {@link #runUntilIdle()}, {@link #runFor(long)} or
 * {@link #runUntil(BooleanSupplier, long)}. Each run executes at most {@code maxEventsPerRun} events and
 * then throws {@link SimulationLimitException}, so a frame loop ends in a message instead of a hang.
 */
public final class Scheduler {
    public static final long DEFAULT_MAX_EVENTS_PER_RUN = 1_000_000L;
    private static final int RECENT = 4096;

    static final class Event {
        final long time;
        final long seq;
        final Timer timer;
        boolean cancelled;

        Event(long time, long seq, Timer timer) {
            this.time = time;
            this.seq = seq;
            this.timer = timer;
        }
    }

    private static final Comparator<Event> ORDER =
            Comparator.<Event>comparingLong(e -> e.time).thenComparingLong(e -> e.seq);

    private final PriorityQueue<Event> queue = new PriorityQueue<>(ORDER);
    private final long maxEventsPerRun;
    private final String[] recent = new String[RECENT];
    private long now;
    private long sequence;
    private long executed;
    private int liveForeground;
    private int live;
    private int cancelledInQueue;
    private boolean running;

    Scheduler(long maxEventsPerRun) {
        if (maxEventsPerRun <= 0) throw new IllegalArgumentException("maxEventsPerRun must be positive");
        this.maxEventsPerRun = maxEventsPerRun;
    }

    /** Current virtual time in nanoseconds. */
    public long now() { return now; }

    public long maxEventsPerRun() { return maxEventsPerRun; }

    /** Events executed since the lab started. */
    public long executedEvents() { return executed; }

    /** Pending (armed, not cancelled) events, daemon ones included. */
    public int pendingEvents() { return live; }

    /** True when no non-daemon event is pending: what {@link #runUntilIdle()} waits for. */
    public boolean isIdle() { return liveForeground == 0; }

    /** A one-shot timer, not yet armed, that keeps {@link #runUntilIdle()} running while pending. */
    public Timer timer(String label, Runnable action) { return new Timer(this, label, action, false, 0); }

    /** A one-shot housekeeping timer, not yet armed, that does not keep {@link #runUntilIdle()} running. */
    public Timer daemonTimer(String label, Runnable action) { return new Timer(this, label, action, true, 0); }

    /** Runs {@code action} once, {@code delayNanos} from now; the returned timer can cancel it. */
    public Timer schedule(long delayNanos, String label, Runnable action) {
        Timer t = timer(label, action);
        t.start(delayNanos);
        return t;
    }

    /**
     * Runs {@code action} every {@code periodNanos}, first after {@code firstDelayNanos}, until the returned
     * timer is cancelled. Periodic timers are daemons: a run until idle would otherwise never end.
     */
    public Timer every(long firstDelayNanos, long periodNanos, String label, Runnable action) {
        if (periodNanos <= 0) throw new IllegalArgumentException("period must be positive: " + periodNanos);
        Timer t = new Timer(this, label, action, true, periodNanos);
        t.start(firstDelayNanos);
        return t;
    }

    /** Runs events until no non-daemon event is pending; daemon events due before then run in order too. */
    public void runUntilIdle() {
        run(Long.MAX_VALUE, null, true);
    }

    /** Runs every event due within {@code durationNanos}, then sets the clock to the end of that span. */
    public void runFor(long durationNanos) {
        if (durationNanos < 0) throw new IllegalArgumentException("negative duration " + durationNanos);
        long deadline = Math.addExact(now, durationNanos);
        run(deadline, null, false);
        now = deadline;
    }

    /**
     * Runs events until {@code condition} holds (checked before each event) or {@code maxNanos} of virtual
     * time pass. Returns true with the clock at the event that made the condition true, or false with the
     * clock at the deadline.
     */
    public boolean runUntil(BooleanSupplier condition, long maxNanos) {
        if (maxNanos < 0) throw new IllegalArgumentException("negative duration " + maxNanos);
        long deadline = Math.addExact(now, maxNanos);
        boolean met = run(deadline, condition, false);
        if (!met) now = deadline;
        return met;
    }

    Event enqueue(Timer timer, long time) {
        if (time < now) {
            throw new IllegalArgumentException("cannot schedule '" + timer.label() + "' at " + SimTime.format(time)
                    + ": virtual time is already " + SimTime.format(now));
        }
        Event e = new Event(time, sequence++, timer);
        queue.add(e);
        live++;
        if (!timer.isDaemon()) liveForeground++;
        return e;
    }

    void cancel(Event e) {
        if (e.cancelled) return;
        e.cancelled = true;
        live--;
        if (!e.timer.isDaemon()) liveForeground--;
        cancelledInQueue++;
        // Re-armed timers leave cancelled entries behind; sweep them once they dominate the queue.
        if (cancelledInQueue > 1024 && cancelledInQueue > queue.size() / 2) {
            queue.removeIf(x -> x.cancelled);
            cancelledInQueue = 0;
        }
    }

    private Event peekLive() {
        Event e;
        while ((e = queue.peek()) != null && e.cancelled) {
            queue.poll();
            cancelledInQueue--;
        }
        return e;
    }

    private boolean run(long deadline, BooleanSupplier condition, boolean untilIdle) {
        if (running) throw new IllegalStateException("the scheduler is already running: an event tried to run it");
        running = true;
        long start = now;
        long count = 0;
        try {
            while (true) {
                if (condition != null && condition.getAsBoolean()) return true;
                if (untilIdle && liveForeground == 0) return false;
                Event e = peekLive();
                if (e == null || e.time > deadline) return false;
                if (count == maxEventsPerRun) throw limitReached(start, untilIdle);
                queue.poll();
                count++;
                live--;
                if (!e.timer.isDaemon()) liveForeground--;
                now = e.time;
                recent[(int) (executed % RECENT)] = e.timer.label();
                executed++;
                e.timer.fire(e);
            }
        } finally {
            running = false;
        }
    }

    private SimulationLimitException limitReached(long start, boolean untilIdle) {
        Map<String, Integer> counts = new HashMap<>();
        int n = (int) Math.min(executed, RECENT);
        for (int i = 0; i < n; i++) counts.merge(recent[i], 1, Integer::sum);
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> busiest = new ArrayList<>();
        for (Map.Entry<String, Integer> en : sorted.subList(0, Math.min(5, sorted.size()))) {
            busiest.add(String.format(Locale.ROOT, "%s (%,d)", en.getKey(), en.getValue()));
        }
        String span = now == start
                ? "virtual time stuck at " + SimTime.format(now)
                : "virtual time " + SimTime.format(start) + " to " + SimTime.format(now);
        String message = String.format(Locale.ROOT,
                "simulation limit reached: %,d events in one %s without %s (%s); likely cause: a bridge loop or "
                        + "broadcast storm (frames circulating forever), or a non-daemon timer that never stops; "
                        + "busiest sources among the last %,d events: %s",
                maxEventsPerRun, untilIdle ? "run until idle" : "run", untilIdle ? "reaching idle" : "finishing",
                span, n, String.join(", ", busiest));
        return new SimulationLimitException(message, maxEventsPerRun, start, now, busiest);
    }
}
