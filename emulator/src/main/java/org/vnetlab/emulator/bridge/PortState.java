package org.vnetlab.emulator.bridge;

import java.util.Locale;

/** Bridge port states, numbered as the kernel numbers them (BR_STATE_*). */
public enum PortState {
    DISABLED(0), LISTENING(1), LEARNING(2), FORWARDING(3), BLOCKING(4);

    private final int code;

    PortState(int code) { this.code = code; }

    /** The kernel's number, as {@code bridge link} and sysfs report it. */
    public int code() { return code; }

    /** Learning and forwarding ports add source addresses to the FDB. */
    public boolean learns() { return this == LEARNING || this == FORWARDING; }

    /** The name dmesg uses: "entered forwarding state". */
    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
