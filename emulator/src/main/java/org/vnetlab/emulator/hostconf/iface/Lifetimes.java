package org.vnetlab.emulator.hostconf.iface;

import java.util.OptionalLong;

/**
 * An address's {@code valid_lft} / {@code preferred_lft} in seconds as {@code ip addr} printed them at dump
 * time; empty means {@code forever}. A preferred lifetime of 0 is what {@code deprecated} addresses show.
 */
public record Lifetimes(OptionalLong valid, OptionalLong preferred) {
    public static final Lifetimes FOREVER = new Lifetimes(OptionalLong.empty(), OptionalLong.empty());

    @Override
    public String toString() {
        return "valid_lft " + word(valid) + " preferred_lft " + word(preferred);
    }

    private static String word(OptionalLong v) { return v.isPresent() ? v.getAsLong() + "sec" : "forever"; }
}
