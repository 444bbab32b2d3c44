package org.vnetlab.emulator.sim;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The lab's registry of named event and error counters, kept per element like {@code nstat} keeps them per
 * namespace: a bridge counts frames it drops for a bad source address, a stack its header errors. Device
 * rx/tx counters live on the devices themselves; this holds the reasons.
 */
public final class Counters {
    private final TreeMap<String, Long> values = new TreeMap<>();

    public void increment(String element, String counter) {
        add(element, counter, 1);
    }

    public void add(String element, String counter, long delta) {
        values.merge(key(element, counter), delta, Long::sum);
    }

    public long get(String element, String counter) {
        return values.getOrDefault(key(element, counter), 0L);
    }

    /** All counters, keyed {@code "ELEMENT COUNTER"}, sorted. */
    public SortedMap<String, Long> snapshot() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    private static String key(String element, String counter) {
        return element + " " + counter;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
        return sb.toString();
    }
}
