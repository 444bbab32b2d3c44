package org.vnetlab.emulator.guest;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.Ipv4Address;

/**
 * Windows' {@code ipconfig}, {@code /all}, {@code /release} and {@code /renew} for the guest's one adapter
 * ("Ethernet adapter Ethernet"). Labels are dot-padded to the value column as ipconfig pads them; IPv6
 * lines are left out (vnetlab has no IPv6). {@code /renew} runs the DHCP exchange: when no server answers
 * it fails after about a minute with "unable to contact your DHCP server" and, without a lease, the adapter
 * falls back to an APIPA address (169.254.x.y/16).
 */
final class WindowsIpconfig implements Command {
    enum Mode { SHOW, ALL, RELEASE, RENEW }

    private static final DateTimeFormatter LEASE_DATE =
            DateTimeFormatter.ofPattern("EEEE, MMMM d, yyyy h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

    private final Mode mode;

    private WindowsIpconfig(Mode mode) {
        this.mode = mode;
    }

    static WindowsIpconfig parse(List<String> args) throws CommandException {
        if (args.isEmpty()) return new WindowsIpconfig(Mode.SHOW);
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
        return new WindowsIpconfig(m);
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

    private static void release(Run run, Guest g) {
        if (!g.dhcpEnabled()) {
            run.line();
            run.line("Windows IP Configuration");
            run.line();
            run.line("The operation failed as no adapter is in the state permissible for");
            run.line("this operation.");
            run.outcome(new Outcome.UsageError("/release", "the adapter has a static address"));
            run.finish(1);
            return;
        }
        Optional<Ipv4Address> had = g.lease().map(DhcpLease::address);
        g.lease().ifPresent(l -> g.dhcp().release(l));
        g.dhcp().cancel();
        g.dropLease();
        printShort(run, g);
        run.outcome(new Outcome.Released(had));
        // the DHCP client service sends the RELEASE before ipconfig returns
        run.after(RELEASE_NANOS, "release sent", () -> run.finish(0));
    }

    /** How long ipconfig /release (and dhclient -r) take: the RELEASE leaves within a millisecond. */
    static final long RELEASE_NANOS = 1_000_000L;

    private static void renew(Run run, Guest g) {
        if (!g.dhcpEnabled()) {
            run.line();
            run.line("Windows IP Configuration");
            run.line();
            run.line("The operation failed as no adapter is in the state permissible for");
            run.line("this operation.");
            run.outcome(new Outcome.UsageError("/renew", "the adapter has a static address"));
            run.finish(1);
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
        run.line();
        run.line("Windows IP Configuration");
        run.line();
        run.line();
        run.line("Ethernet adapter Ethernet:");
        run.line();
        run.line(Labels.SUFFIX + g.lease().flatMap(DhcpLease::domain).orElse(""));
        Optional<Ipv4Config> c = g.config();
        if (c.isPresent()) {
            boolean apipa = g.autoconfigured().isPresent();
            run.line((apipa ? Labels.AUTOCONF : Labels.IPV4) + c.get().address());
            run.line(Labels.MASK + c.get().mask());
            run.line(Labels.GATEWAY + c.get().gateway().map(Ipv4Address::toString).orElse(""));
        } else {
            run.line(Labels.GATEWAY);
        }
    }

    static void printAll(Run run, Guest g) {
        run.line();
        run.line("Windows IP Configuration");
        run.line();
        run.line(Labels.HOST + g.profile().hostname());
        run.line(Labels.PRIMARY_SUFFIX);
        run.line(Labels.NODE_TYPE + "Hybrid");
        run.line(Labels.ROUTING + "No");
        run.line(Labels.WINS_PROXY + "No");
        run.line();
        run.line("Ethernet adapter Ethernet:");
        run.line();
        run.line(Labels.SUFFIX + g.lease().flatMap(DhcpLease::domain).orElse(""));
        run.line(Labels.DESCRIPTION + "Red Hat VirtIO Ethernet Adapter");
        run.line(Labels.PHYSICAL + g.net().mac().toString().toUpperCase(Locale.ROOT).replace(':', '-'));
        run.line(Labels.DHCP_ENABLED + (g.dhcpEnabled() ? "Yes" : "No"));
        run.line(Labels.AUTOCONF_ENABLED + "Yes");
        Optional<Ipv4Config> c = g.config();
        if (c.isPresent()) {
            boolean apipa = g.autoconfigured().isPresent();
            run.line((apipa ? Labels.AUTOCONF : Labels.IPV4) + c.get().address() + "(Preferred) ");
            run.line(Labels.MASK + c.get().mask());
            g.lease().ifPresent(l -> {
                java.time.Instant obtained = g.epoch().plusNanos(l.obtainedAtNanos());
                run.line(Labels.OBTAINED + LEASE_DATE.format(obtained));
                run.line(Labels.EXPIRES + LEASE_DATE.format(obtained.plusNanos(SimTime.seconds(l.leaseSeconds()))));
            });
            run.line(Labels.GATEWAY + c.get().gateway().map(Ipv4Address::toString).orElse(""));
            g.lease().ifPresent(l -> run.line(Labels.DHCP_SERVER + l.server()));
            List<Ipv4Address> dns = c.get().dnsServers();
            if (!dns.isEmpty()) {
                run.line(Labels.DNS + dns.get(0));
                for (int i = 1; i < dns.size(); i++) run.line("                                       " + dns.get(i));
            }
        } else {
            run.line(Labels.GATEWAY);
        }
        run.line(Labels.NETBIOS + "Enabled");
    }

    /** ipconfig's labels with their padding, spelled out as Windows 10 prints them. */
    static final class Labels {
        static final String SUFFIX = "   Connection-specific DNS Suffix  . : ";
        static final String IPV4 = "   IPv4 Address. . . . . . . . . . . : ";
        static final String AUTOCONF = "   Autoconfiguration IPv4 Address. . : ";
        static final String MASK = "   Subnet Mask . . . . . . . . . . . : ";
        static final String GATEWAY = "   Default Gateway . . . . . . . . . : ";
        static final String HOST = "   Host Name . . . . . . . . . . . . : ";
        static final String PRIMARY_SUFFIX = "   Primary Dns Suffix  . . . . . . . : ";
        static final String NODE_TYPE = "   Node Type . . . . . . . . . . . . : ";
        static final String ROUTING = "   IP Routing Enabled. . . . . . . . : ";
        static final String WINS_PROXY = "   WINS Proxy Enabled. . . . . . . . : ";
        static final String DESCRIPTION = "   Description . . . . . . . . . . . : ";
        static final String PHYSICAL = "   Physical Address. . . . . . . . . : ";
        static final String DHCP_ENABLED = "   DHCP Enabled. . . . . . . . . . . : ";
        static final String AUTOCONF_ENABLED = "   Autoconfiguration Enabled . . . . : ";
        static final String OBTAINED = "   Lease Obtained. . . . . . . . . . : ";
        static final String EXPIRES = "   Lease Expires . . . . . . . . . . : ";
        static final String DHCP_SERVER = "   DHCP Server . . . . . . . . . . . : ";
        static final String DNS = "   DNS Servers . . . . . . . . . . . : ";
        static final String NETBIOS = "   NetBIOS over Tcpip. . . . . . . . : ";

        private Labels() {}
    }
}
