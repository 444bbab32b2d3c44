package org.vnetlab.emulator.libvirt.driver;

import java.time.Instant;
import java.util.Objects;

/**
 * How the emulated libvirtd runs: the firewall backend of {@code network.conf}, and the wall-clock time that
 * virtual time 0 stands for (lease expiry times in the status file and {@code net-dhcp-leases} are wall-clock
 * times, printed in UTC here).
 */
public record DaemonConfig(FirewallBackend firewallBackend, Instant epoch) {
    /** The same instant the guests use for virtual time 0. */
    public static final Instant DEFAULT_EPOCH = Instant.parse("2026-11-26T06:00:00Z");

    public DaemonConfig {
        Objects.requireNonNull(firewallBackend, "firewallBackend");
        Objects.requireNonNull(epoch, "epoch");
    }

    /** The iptables backend (what the article's host used), the default epoch. */
    public static DaemonConfig defaults() {
        return new DaemonConfig(FirewallBackend.IPTABLES, DEFAULT_EPOCH);
    }

    public DaemonConfig withFirewallBackend(FirewallBackend b) { return new DaemonConfig(b, epoch); }
}
