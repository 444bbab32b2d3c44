package org.vnetlab.emulator.guest;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.guest.IpconfigAdapter;
import org.vnetlab.emulator.hostconf.guest.IpconfigField;
import org.vnetlab.emulator.hostconf.guest.IpconfigPrinter;
import org.vnetlab.emulator.hostconf.guest.WindowsIpconfig;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.Ipv4Address;

/**
 * Windows' {@code ipconfig}, {@code /all}, {@code /release} and {@code /renew} for the guest's one adapter
 * ("Ethernet adapter Ethernet"). Labels are dot-padded to the value column as ipconfig pads them; IPv6
 * lines are left out (vnetlab has no IPv6). The adapter text comes from hostconf's {@link IpconfigPrinter}. {@code /renew} runs the DHCP exchange: when no server answers
 * it fails after about a minute with "unable to contact your DHCP server" and, without a lease, the adapter
 * falls back to an APIPA address (169.254.x.y/16).
 */
final class Ipconfig implements Command {
    enum Mode { SHOW, ALL, RELEASE, RENEW }

    private static final DateTimeFormatter LEASE_DATE =
            DateTimeFormatter.ofPattern("EEEE, MMMM d, yyyy h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

    private final Mode mode;

    private Ipconfig(Mode mode) {
        this.mode = mode;
    }

    static Ipconfig parse(List<String> args) throws CommandException {
        if (args.isEmpty()) return new Ipconfig(Mode.SHOW);
        String a = args.get(0);
        Mode m = switch (a.toLowerCase(Locale.ROOT)) {
            case "/all", "-all" -> Mode.ALL;
            case "/release", "-release" -> Mode.RELEASE;
            case "/renew", "-renew" -> Mode.RENEW;
            default -> throw new CommandException(a, "unknown ipconfig option",
                    "\nError: unrecognized or incomplete command line.\n\nUSAGE:\n    ipconfig [/allcompartments] [/? | /all | \n"
                            + "                                 /renew [adapter] | /release [adapter] |\n"
                            + "                                 /renew6 [adapter] | /release6 [adapter] |\n"
                            + "                                 /flushdns | /displaydns | /registerdns |\n"
                            + "                                 /showclassid adapter |\n"
                            + "                                 /setclassid adapter [classid] |\n"
                            + "                                 /showclassid6 adapter |\n"
                            + "                                 /setclassid6 adapter [classid] ]\n", 1);
        };
        if (args.size() > 2) throw new CommandException(args.get(2), "ipconfig takes at most one adapter name");
        if (args.size() == 2) {
            if (m == Mode.SHOW || m == Mode.ALL) throw new CommandException(args.get(1), "unexpected argument");
            // an adapter name or pattern; the guest has one adapter, matched by name or wildcard
            String want = args.get(1);
            if (!want.equals("*") && !want.equalsIgnoreCase("Ethernet") && !want.equalsIgnoreCase("Eth*")) {
                throw new CommandException(want, "no such adapter",
                        "\nWindows IP Configuration\n\nThe operation failed as no adapter is in the state permissible for\n"
                                + "this operation.\n", 1);
            }
        }
        return new Ipconfig(m);
    }

    @Override
    public void start(Run run) {
        Guest g = run.guest();
        switch (mode) {
            case SHOW -> {
                printShort(run, g);
                run.finish(0);
            }
            case ALL -> {
                printAll(run, g);
                run.finish(0);
            }
            case RELEASE -> release(run, g);
            case RENEW -> renew(run, g);
        }
    }

    /** What ipconfig /release or /renew says on an adapter with a static address. */
    private static void refuseStatic(Run run, String option) {
        run.line();
        run.line("Windows IP Configuration");
        run.line();
        run.line("The operation failed as no adapter is in the state permissible for");
        run.line("this operation.");
        run.outcome(new Outcome.UsageError(option, "the adapter has a static address"));
        run.finish(1);
    }

    private static void release(Run run, Guest g) {
        if (!g.dhcpEnabled()) {
            refuseStatic(run, "/release");
            return;
        }
        Optional<Ipv4Address> had = g.lease().map(DhcpLease::address);
        g.lease().ifPresent(l -> g.dhcp().release(l));
        g.dhcp().cancel();
        run.outcome(new Outcome.Released(had));
        // the DHCP client service sends the RELEASE through the stack, then takes the address away; ipconfig
        // prints the adapter without it and returns
        run.after(RELEASE_NANOS, "release sent", () -> {
            g.dropLease();
            printShort(run, g);
            run.finish(0);
        });
    }

    /**
     * How long after sending the RELEASE the address goes (ipconfig /release; dhclient -r's dhclient-script,
     * a forked shell script): 1 ms, an assumption. It is longer than an ARP round trip on the bridge (tens of
     * microseconds in the reference capture), so a RELEASE waiting for the server's MAC leaves first when the
     * server answers ARP, and far shorter than ARP's 1 s retransmit, so it dies with the address when not.
     */
    static final long RELEASE_NANOS = 1_000_000L;

    private static void renew(Run run, Guest g) {
        if (!g.dhcpEnabled()) {
            refuseStatic(run, "/renew");
            return;
        }
        DhcpClient.Listener listener = new DhcpClient.Listener() {
            @Override public void bound(DhcpLease lease) {
                g.bound(lease);
                printShort(run, g);
                run.outcome(lease.outcome());
                run.finish(0);
            }

            @Override public void failed() {
                run.line();
                run.line("Windows IP Configuration");
                run.line();
                run.line("An error occurred while renewing interface Ethernet : unable to contact your DHCP server. "
                        + "Request has timed out.");
                if (g.lease().isEmpty()) {
                    Ipv4Address apipa = g.autoconfigure();
                    run.outcome(new Outcome.Autoconfigured(apipa));
                }
                run.outcome(new Outcome.Timeout());
                run.finish(1);
            }
        };
        if (g.lease().isPresent()) {
            g.dhcp().renew(g.lease().get(), listener);
        } else {
            g.dhcp().rememberAddress(Optional.empty());
            g.dhcp().acquire(listener);
        }
    }

    static void printShort(Run run, Guest g) {
        run.print(IpconfigPrinter.print(view(g, false), false));
    }

    static void printAll(Run run, Guest g) {
        run.print(IpconfigPrinter.print(view(g, true), true));
    }

    /**
     * The guest's adapter as hostconf's ipconfig model, printed by hostconf's printer so that what the
     * guest prints is exactly what vnetlab parses back. Fields in Windows' /all order; the printer keeps the
     * plain subset for {@code ipconfig}. No IPv6 fields: vnetlab has no IPv6.
     */
    static WindowsIpconfig view(Guest g, boolean detailed) {
        List<IpconfigField> global = new ArrayList<>();
        if (detailed) {
            global.add(IpconfigField.of("Host Name", g.profile().hostname()));
            global.add(new IpconfigField("Primary Dns Suffix", List.of()));
            global.add(IpconfigField.of("Node Type", "Hybrid"));
            global.add(IpconfigField.of("IP Routing Enabled", "No"));
            global.add(IpconfigField.of("WINS Proxy Enabled", "No"));
        }
        List<IpconfigField> f = new ArrayList<>();
        f.add(new IpconfigField("Connection-specific DNS Suffix", g.lease().flatMap(DhcpLease::domain).map(List::of).orElse(List.of())));
        f.add(IpconfigField.of("Description", "Red Hat VirtIO Ethernet Adapter"));
        f.add(IpconfigField.of("Physical Address", IpconfigAdapter.windowsMac(g.net().mac())));
        f.add(IpconfigField.of("DHCP Enabled", g.dhcpEnabled() ? "Yes" : "No"));
        f.add(IpconfigField.of("Autoconfiguration Enabled", "Yes"));
        Optional<Ipv4Config> c = g.config();
        if (c.isPresent()) {
            boolean apipa = g.autoconfigured().isPresent();
            f.add(IpconfigField.of(apipa ? "Autoconfiguration IPv4 Address" : "IPv4 Address", c.get().address() + "(Preferred)"));
            f.add(IpconfigField.of("Subnet Mask", c.get().mask().toString()));
            g.lease().ifPresent(l -> {
                java.time.Instant obtained = g.epoch().plusNanos(l.obtainedAtNanos());
                f.add(IpconfigField.of("Lease Obtained", LEASE_DATE.format(obtained)));
                f.add(IpconfigField.of("Lease Expires", LEASE_DATE.format(obtained.plusNanos(SimTime.seconds(l.leaseSeconds())))));
            });
            f.add(new IpconfigField("Default Gateway", c.get().gateway().map(a -> List.of(a.toString())).orElse(List.of())));
            g.lease().ifPresent(l -> f.add(IpconfigField.of("DHCP Server", l.server().toString())));
            List<String> dns = new ArrayList<>();
            for (Ipv4Address a : c.get().dnsServers()) dns.add(a.toString());
            if (!dns.isEmpty()) f.add(new IpconfigField("DNS Servers", dns));
        } else {
            f.add(new IpconfigField("Default Gateway", List.of()));
        }
        f.add(IpconfigField.of("NetBIOS over Tcpip", "Enabled"));
        return new WindowsIpconfig(detailed, global, List.of(new IpconfigAdapter("Ethernet", "Ethernet", f)), List.of());
    }
}
