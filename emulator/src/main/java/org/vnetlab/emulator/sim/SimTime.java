package org.vnetlab.emulator.sim;

import java.util.Locale;

/** Virtual time is a {@code long} count of nanoseconds since the lab started; these helpers name the units. */
public final class SimTime {
    public static final long NANOS_PER_MICRO = 1_000L;
    public static final long NANOS_PER_MILLI = 1_000_000L;
    public static final long NANOS_PER_SECOND = 1_000_000_000L;

    private SimTime() {}

    public static long seconds(long s) { return Math.multiplyExact(s, NANOS_PER_SECOND); }

    public static long millis(long ms) { return Math.multiplyExact(ms, NANOS_PER_MILLI); }

    public static long micros(long us) { return Math.multiplyExact(us, NANOS_PER_MICRO); }

    /** {@code 4.000000000s}: full nanosecond precision, for messages. */
    public static String format(long nanos) {
        String sign = nanos < 0 ? "-" : "";
        long abs = Math.abs(nanos);
        return String.format(Locale.ROOT, "%s%d.%09ds", sign, abs / NANOS_PER_SECOND, abs % NANOS_PER_SECOND);
    }

    /** dmesg's timestamp column, {@code [    4.000000]}: seconds and microseconds. */
    public static String dmesg(long nanos) {
        return String.format(Locale.ROOT, "[%5d.%06d]", nanos / NANOS_PER_SECOND,
                (nanos % NANOS_PER_SECOND) / NANOS_PER_MICRO);
    }
}
