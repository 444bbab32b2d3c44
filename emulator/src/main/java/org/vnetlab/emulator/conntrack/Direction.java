package org.vnetlab.emulator.conntrack;

/** A connection's two directions (IP_CT_DIR_ORIGINAL / IP_CT_DIR_REPLY). */
public enum Direction {
    ORIGINAL, REPLY;

    public Direction opposite() { return this == ORIGINAL ? REPLY : ORIGINAL; }
}
