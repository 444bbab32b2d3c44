package org.vnetlab.emulator.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * What the emulated kernels would print to dmesg, in order, with virtual timestamps: "virbr0: port 1(vnet0)
 * entered forwarding state". A ring like the kernel's: once full, the oldest lines go.
 *
 * <p>{@link #ratelimited} follows the kernel's {@code net_ratelimit()} (10 messages per 5 s per node, then
 * "N callbacks suppressed"), so a storm of warnings stays readable.
 *
 * <p>This is the one kernel log of a scenario: the bridge, STP and the netfilter engine (LOG target,
 * MASQUERADE, conntrack) all write here. Components driven by the lab's clock log at "now"; the netfilter
 * engine, which is called with each packet's time, passes that time explicitly.
 */
public final class KernelLog {
    /** printk levels, in the kernel's order: {@code ordinal()} is the syslog level (LOG --log-level). */
    public enum Level {
        EMERG, ALERT, CRIT, ERR, WARNING, NOTICE, INFO, DEBUG;

        /** The level of syslog number 0-7 (emerg .. debug). */
        public static Level ofSyslog(int level) {
            if (level < 0 || level > 7) throw new IllegalArgumentException("syslog level 0-7: " + level);
            return values()[level];
        }
    }

    /** One line: when, on which node (host, guest, router), how severe, and the text. */
    public record Entry(long nanos, String node, Level level, String text) {
        public Entry {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String toString() {
            return SimTime.dmesg(nanos) + " " + text;
        }
    }

    static final int DEFAULT_CAPACITY = 10_000;
    private static final long RATELIMIT_INTERVAL = SimTime.seconds(5);
    private static final int RATELIMIT_BURST = 10;

    private final LongSupplier clock;
    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final Map<String, RateState> rate = new HashMap<>();
    private long overwritten;

    private static final class RateState {
        long begin;
        int printed;
        int missed;
        boolean started;
    }

    /** A log whose clock-less calls are stamped with {@code clock} (a lab passes its scheduler's time). */
    public KernelLog(LongSupplier clock, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        this.clock = clock;
        this.capacity = capacity;
    }

    /** A log outside any lab (engine unit tests): every line must carry its time explicitly. */
    public static KernelLog standalone() {
        return new KernelLog(() -> {
            throw new IllegalStateException("a standalone kernel log has no clock: pass the time");
        }, DEFAULT_CAPACITY);
    }

    public void log(String node, Level level, String text) { log(clock.getAsLong(), node, level, text); }

    /** A line stamped with {@code nanos} (the time of the packet that caused it). */
    public void log(long nanos, String node, Level level, String text) {
        if (entries.size() == capacity) {
            entries.removeFirst();
            overwritten++;
        }
        entries.addLast(new Entry(nanos, node, level, text));
    }

    public void info(String node, String text) { log(node, Level.INFO, text); }

    public void notice(String node, String text) { log(node, Level.NOTICE, text); }

    public void warn(String node, String text) { log(node, Level.WARNING, text); }

    /** Logs unless this node exceeded its burst in the current interval; returns whether it logged. */
    public boolean ratelimited(String node, Level level, String text) {
        return ratelimited(clock.getAsLong(), node, level, text);
    }

    /** {@link #ratelimited(String, Level, String)} at an explicit time. */
    public boolean ratelimited(long now, String node, Level level, String text) {
        RateState s = rate.computeIfAbsent(node, n -> new RateState());
        if (!s.started || now - s.begin >= RATELIMIT_INTERVAL) {
            if (s.missed > 0) log(now, node, Level.WARNING, "net_ratelimit: " + s.missed + " callbacks suppressed");
            s.started = true;
            s.begin = now;
            s.printed = 0;
            s.missed = 0;
        }
        if (s.printed < RATELIMIT_BURST) {
            s.printed++;
            log(now, node, level, text);
            return true;
        }
        s.missed++;
        return false;
    }

    public List<Entry> entries() { return List.copyOf(entries); }

    /** A node's lines' texts, oldest first. */
    public List<String> texts(String node) {
        List<String> out = new ArrayList<>();
        for (Entry e : entries) if (e.node().equals(node)) out.add(e.text());
        return out;
    }

    public List<Entry> entries(String node) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) if (e.node().equals(node)) out.add(e);
        return out;
    }

    /** Lines lost because the ring was full. */
    public long overwritten() { return overwritten; }

    /** A node's log as dmesg prints it. */
    public String dmesg(String node) {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) if (e.node().equals(node)) sb.append(e).append('\n');
        return sb.toString();
    }
}
