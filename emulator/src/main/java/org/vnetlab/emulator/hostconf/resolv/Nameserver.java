package org.vnetlab.emulator.hostconf.resolv;

import java.util.Optional;

/**
 * A {@code nameserver} line. glibc uses the first three valid ones (MAXNS); {@code unused} says why this
 * one is not used, when it is not.
 */
public record Nameserver(String address, int line, Optional<String> unused) {
    public boolean used() { return unused.isEmpty(); }

    public boolean isIpv6() { return address.contains(":"); }
}
