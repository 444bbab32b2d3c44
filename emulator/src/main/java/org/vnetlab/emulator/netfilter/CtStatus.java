package org.vnetlab.emulator.netfilter;

/** {@code --ctstatus} flags, in iptables' print order. NONE means "no status bit set". */
public enum CtStatus { NONE, EXPECTED, SEEN_REPLY, ASSURED, CONFIRMED }
