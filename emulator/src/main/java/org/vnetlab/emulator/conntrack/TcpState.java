package org.vnetlab.emulator.conntrack;

/** TCP conntrack states in the kernel's order (enum tcp_conntrack); names as conntrack(8) prints them. */
public enum TcpState {
    NONE, SYN_SENT, SYN_RECV, ESTABLISHED, FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSE, SYN_SENT2;

    /** FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSE: may be evicted under pressure (tcp_can_early_drop). */
    boolean canEarlyDrop() {
        return this == FIN_WAIT || this == LAST_ACK || this == TIME_WAIT || this == CLOSE || this == CLOSE_WAIT;
    }
}
