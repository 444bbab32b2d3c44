package org.vnetlab.emulator.netfilter.hook;

import java.util.ArrayList;
import java.util.List;

/** The emulated kernel ring buffer: what {@code dmesg} would show (LOG target lines, conntrack warnings). */
public final class KernelLog {
    /** One line with its emulated time and syslog level (LOG --log-level; 4 = warning). */
    public record Line(long timeNanos, int level, String text) {
        /** dmesg's {@code [seconds.micros] text}. */
        public String dmesg() {
            return String.format("[%5d.%06d] %s", timeNanos / 1_000_000_000L, (timeNanos % 1_000_000_000L) / 1000, text);
        }
    }

    private final List<Line> lines = new ArrayList<>();

    public void add(long timeNanos, int level, String text) { lines.add(new Line(timeNanos, level, text)); }

    public List<Line> lines() { return List.copyOf(lines); }

    public List<String> texts() { return lines.stream().map(Line::text).toList(); }
}
