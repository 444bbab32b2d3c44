package org.vnetlab.emulator.netfilter;

/**
 * Conntrack states as {@code --ctstate}/{@code --state} name them, in the order iptables prints a list
 * (libxt_conntrack's print order: INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT). SNAT and DNAT are
 * conntrack-only pseudo states (the connection's reply tuple differs from the original in that address).
 */
public enum CtState { INVALID, NEW, RELATED, ESTABLISHED, UNTRACKED, SNAT, DNAT }
