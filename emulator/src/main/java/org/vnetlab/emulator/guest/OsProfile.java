package org.vnetlab.emulator.guest;

import java.util.List;
import java.util.Objects;

/**
 * The habits of one guest operating system on the wire and at its prompt: the IP stack's default TTL, the
 * DHCP client it runs, its resolver's retry timing and the command set it offers. Immutable.
 *
 * @param name             shown in messages ("Windows 10")
 * @param family           which command set and output formats apply
 * @param hostname         the computer name (DHCP option 12, Windows option 81)
 * @param defaultTtl       128 for Windows (its DefaultTTL), 64 for Linux (net.ipv4.ip_default_ttl)
 * @param dhcp             the DHCP client's flavour
 * @param resolverTimeouts seconds the stub resolver waits per try, in order
 */
public record OsProfile(String name, Family family, String hostname, int defaultTtl, DhcpFlavor dhcp,
                        List<Integer> resolverTimeouts) {

    public enum Family { WINDOWS, LINUX }

    public OsProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(dhcp, "dhcp");
        if (defaultTtl < 1 || defaultTtl > 255) throw new IllegalArgumentException("TTL " + defaultTtl);
        resolverTimeouts = List.copyOf(resolverTimeouts);
        if (resolverTimeouts.isEmpty()) throw new IllegalArgumentException("resolver needs at least one try");
    }

    /**
     * Windows 10: TTL 128 (the Tcpip DefaultTTL); the DNS client's query timeouts 1, 1, 2, 4 and 2 s
     * (about 10 s in all before it gives up; Windows' documented default total).
     */
    public static OsProfile windows10(String hostname) {
        return new OsProfile("Windows 10", Family.WINDOWS, hostname, 128, DhcpFlavor.WINDOWS_10, List.of(1, 1, 2, 4, 2));
    }

    /**
     * A Debian guest with ISC dhclient: TTL 64; glibc's stub resolver waits 5 s (RES_TIMEOUT) and tries
     * twice (RES_DFLRETRY) per server.
     */
    public static OsProfile debian(String hostname) {
        return new OsProfile("Debian 12", Family.LINUX, hostname, 64, DhcpFlavor.ISC_DHCLIENT, List.of(5, 5));
    }

    /** A busybox guest running udhcpc 1.35.0, the client of the reference capture; resolver as glibc's. */
    public static OsProfile busybox(String hostname) {
        return new OsProfile("busybox 1.35.0", Family.LINUX, hostname, 64, DhcpFlavor.UDHCPC, List.of(5, 5));
    }

    public boolean windows() { return family == Family.WINDOWS; }

    /** The shared stack's parameters for this OS (TTL, ports, IP IDs, TCP SYN), with this profile's TTL. */
    public org.vnetlab.emulator.stack.OsProfile stackProfile() {
        org.vnetlab.emulator.stack.OsProfile base = windows()
                ? org.vnetlab.emulator.stack.OsProfile.WINDOWS : org.vnetlab.emulator.stack.OsProfile.LINUX;
        return base.withDefaultTtl(defaultTtl);
    }
}
