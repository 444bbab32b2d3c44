package org.vnetlab.emulator.netfilter;

/** {@code -f}: whether the rule looks at the IP fragment offset. */
public enum Fragment {
    /** No {@code -f}: every packet. */
    ANY,
    /** {@code -f}: second and later fragments only (fragment offset != 0). */
    LATER_FRAGMENTS,
    /** {@code ! -f}: unfragmented packets and first fragments (offset == 0). */
    NOT_LATER_FRAGMENTS
}
