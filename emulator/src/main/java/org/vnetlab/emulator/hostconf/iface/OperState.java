package org.vnetlab.emulator.hostconf.iface;

import java.util.Optional;

/** RFC 2863 operational state as iproute2 prints it after {@code state}. */
public enum OperState {
    UNKNOWN, NOTPRESENT, DOWN, LOWERLAYERDOWN, TESTING, DORMANT, UP;

    public static Optional<OperState> byWord(String w) {
        for (OperState s : values()) if (s.name().equals(w)) return Optional.of(s);
        return Optional.empty();
    }
}
