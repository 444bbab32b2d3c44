package org.vnetlab.emulator.conntrack;

/**
 * Which half of a tuple NAT rewrites (enum nf_nat_manip_type): the source in POSTROUTING and INPUT, the
 * destination in PREROUTING and OUTPUT.
 */
public enum NatManip {
    SOURCE, DESTINATION;

    public NatManip opposite() { return this == SOURCE ? DESTINATION : SOURCE; }

    Status natBit() { return this == SOURCE ? Status.SRC_NAT : Status.DST_NAT; }

    Status doneBit() { return this == SOURCE ? Status.SRC_NAT_DONE : Status.DST_NAT_DONE; }
}
