package org.vnetlab.emulator.conntrack;

/** Connection status bits (enum ip_conntrack_status), the ones the emulator sets or tests. */
public enum Status {
    EXPECTED, SEEN_REPLY, ASSURED, CONFIRMED, SRC_NAT, DST_NAT, SEQ_ADJUST, SRC_NAT_DONE, DST_NAT_DONE, DYING,
    FIXED_TIMEOUT, NAT_CLASH
}
