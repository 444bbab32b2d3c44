package org.vnetlab.emulator.guest;

import java.util.List;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The Linux DHCP clients as commands. {@code dhclient [-v] [-1] [-r|-x] [eth0]} (ISC; quiet unless {@code -v};
 * {@code -r} releases the lease and ends the running dhclient, {@code -x} ends it without a release, and in
 * both cases Debian's dhclient-script (reasons RELEASE, STOP) flushes the address; a lease, or without
 * {@code -1} a failed first round, leaves dhclient running in the background, so it exits 0) and
 * {@code udhcpc [-i eth0] [-n] [-q] [-f] [-b]} (busybox; prints its progress; {@code -n} exits 1 when no lease
 * comes; without it, it would retry forever: here it reports going to the background after the first round).
 */
final class LinuxDhcpCommand implements Command {
    private final boolean udhcpc;
    private final boolean verbose;
    private final boolean release;
    private final boolean stop;
    private final boolean failHard;

    private LinuxDhcpCommand(boolean udhcpc, boolean verbose, boolean release, boolean stop, boolean failHard) {
        this.udhcpc = udhcpc;
        this.verbose = verbose;
        this.release = release;
        this.stop = stop;
        this.failHard = failHard;
    }

    static LinuxDhcpCommand dhclient(Guest g, List<String> args) throws CommandException {
        if (g.profile().dhcp() != DhcpFlavor.ISC_DHCLIENT) {
            throw new CommandException("dhclient", "this guest runs udhcpc, not dhclient", "bash: dhclient: command not found\n", 127);
        }
        boolean v = false, r = false, x = false, one = false;
        for (String a : args) {
            switch (a) {
                case "-v" -> v = true;
                case "-r" -> r = true;
                case "-x" -> x = true;
                case "-1" -> one = true;
                case "-4" -> { }
                default -> {
                    if (a.startsWith("-")) throw new CommandException(a, "dhclient option not emulated", "Unknown command: " + a + "\n", 1);
                    if (!a.equals(g.net().interfaceName())) throw new CommandException(a, "no such interface");
                }
            }
        }
        if (r && x) throw new CommandException("-x", "dhclient takes -r or -x, not both", "Usage: dhclient [-4|-6] [-SNTPRI1dvrxi] ...\n", 1);
        return new LinuxDhcpCommand(false, v, r, x, one);
    }

    static LinuxDhcpCommand udhcpc(Guest g, List<String> args) throws CommandException {
        if (g.profile().dhcp() != DhcpFlavor.UDHCPC) {
            throw new CommandException("udhcpc", "this guest runs dhclient, not udhcpc", "bash: udhcpc: command not found\n", 127);
        }
        boolean n = false;
        Args a = new Args(args);
        while (a.more()) {
            String w = a.next();
            switch (w) {
                case "-n", "--now" -> n = true;
                case "-q", "--quit", "-f", "--foreground", "-b", "--background" -> { }
                case "-i", "--interface" -> {
                    String dev = a.value(w, "udhcpc: option requires an argument -- 'i'\n");
                    if (!dev.equals(g.net().interfaceName())) throw new CommandException(dev, "no such interface",
                            "udhcpc: ioctl 0x8933 failed: No such device\n", 1);
                }
                default -> throw new CommandException(w, "udhcpc option not emulated", "udhcpc: unrecognized option '" + w + "'\n", 1);
            }
        }
        return new LinuxDhcpCommand(true, true, false, false, n);
    }

    @Override
    public void start(Run run) {
        Guest g = run.guest();
        String dev = g.net().interfaceName();
        if (verbose && !udhcpc) {
            run.line("Internet Systems Consortium DHCP Client 4.4.3-P1");
            run.line("Copyright 2004-2022 Internet Systems Consortium.");
            run.line("All rights reserved.");
            run.line("For info, please visit https://www.isc.org/software/dhcp/");
            run.line();
            run.line("Listening on LPF/" + dev + "/" + g.net().mac());
            run.line("Sending on   LPF/" + dev + "/" + g.net().mac());
            run.line("Sending on   Socket/fallback");
        }
        if (release) {
            // dhclient -r first ends the running daemon (SIGTERM through its pid file), then sends the RELEASE
            // from its own fallback socket and runs dhclient-script with reason RELEASE, which flushes the
            // address. The script starts after sendto() returned: the datagram is on the wire or waiting for
            // the server's MAC; if ARP has not answered when the flush removes the last address, the kernel
            // drops the neighbour entry and the RELEASE with it.
            Optional<Ipv4Address> had = g.lease().map(DhcpLease::address);
            g.dhcp().daemonStopped();
            g.lease().ifPresent(l -> {
                if (verbose) run.line("DHCPRELEASE of " + l.address() + " on " + dev + " to " + l.server() + " port 67");
                g.dhcp().release(l);
            });
            run.outcome(new Outcome.Released(had));
            run.after(Ipconfig.RELEASE_NANOS, "dhclient-script RELEASE", () -> {
                g.dropLease();
                run.finish(0);
            });
            return;
        }
        if (stop) {
            // the running dhclient is killed; the new process runs dhclient-script with reason STOP, which
            // flushes the leased address, and exits: nothing is sent
            Optional<Ipv4Address> had = g.lease().map(DhcpLease::address);
            g.dhcp().daemonStopped();
            g.dropLease();
            run.outcome(new Outcome.Released(had));
            run.finish(0);
            return;
        }
        if (!udhcpc) g.dhcp().daemonStarted();
        if (udhcpc) run.line("udhcpc: started, v1.35.0");
        g.dhcp().rememberAddress(g.lease().map(DhcpLease::address));
        g.dhcp().acquire(new DhcpClient.Listener() {
            @Override public void discoverSent(int attempt, long wait) {
                if (udhcpc) run.line("udhcpc: broadcasting discover");
                else if (verbose) run.line("DHCPDISCOVER on " + dev + " to 255.255.255.255 port 67 interval " + wait / 1_000_000_000L);
            }

            @Override public void offered(Ipv4Address address, Ipv4Address server) {
                if (!udhcpc && verbose) run.line("DHCPOFFER of " + address + " from " + server);
            }

            @Override public void requestSent(Ipv4Address address, Ipv4Address server) {
                if (udhcpc) run.line("udhcpc: broadcasting select for " + address + ", server " + server);
                else if (verbose) run.line("DHCPREQUEST for " + address + " on " + dev + " to 255.255.255.255 port 67");
            }

            @Override public void nak(Ipv4Address server) {
                if (udhcpc) run.line("udhcpc: received NAK");
                else if (verbose) run.line("DHCPNAK from " + server);
            }

            @Override public void bound(DhcpLease lease) {
                g.bound(lease);
                if (udhcpc) {
                    run.line("udhcpc: lease of " + lease.address() + " obtained from " + lease.server() + ", lease time "
                            + lease.leaseSeconds());
                } else if (verbose) {
                    run.line("DHCPACK of " + lease.address() + " from " + lease.server());
                    // dhclient renews at T1 = half the lease, less a random part; shown as the nominal half
                    run.line("bound to " + lease.address() + " -- renewal in " + lease.leaseSeconds() / 2 + " seconds.");
                }
                run.outcome(lease.outcome());
                run.finish(0);
            }

            @Override public void failed() {
                run.outcome(new Outcome.Timeout());
                if (udhcpc) {
                    run.line(failHard ? "udhcpc: no lease, failing" : "udhcpc: no lease, forking to background");
                    run.finish(failHard ? 1 : 0);
                } else {
                    if (verbose) {
                        run.line("No DHCPOFFERS received.");
                        run.line("No working leases in persistent database - sleeping.");
                    }
                    // with -1 dhclient exits; without, it has gone to the background and keeps trying
                    if (failHard) g.dhcp().daemonStopped();
                    run.finish(failHard ? 2 : 0);
                }
            }
        });
    }
}
