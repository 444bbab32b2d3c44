package org.vnetlab.emulator.netfilter;

/** Route types {@code -m addrtype} tests (kernel RTN_*), in iptables' print order. */
public enum AddressType {
    UNSPEC, UNICAST, LOCAL, BROADCAST, ANYCAST, MULTICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW, NAT, XRESOLVE
}
