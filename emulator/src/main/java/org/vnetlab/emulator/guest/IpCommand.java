package org.vnetlab.emulator.guest;

import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.Ipv4Address;

/**
 * iproute2's {@code ip addr} / {@code ip route} views of the guest (lo and eth0), and the few changes a user
 * makes by hand: {@code ip addr add A/N dev eth0}, {@code ip addr flush dev eth0}, {@code ip route add
 * default via G}, {@code ip route del default}. A dhclient lease shows as "dynamic" with its remaining
 * lifetime (dhclient-script sets valid_lft); udhcpc's and static addresses as "forever".
 */
final class IpCommand implements Command {
    private final Command body;

    private IpCommand(Command body) {
        this.body = body;
    }

    static IpCommand parse(Guest g, List<String> args) throws CommandException {
        if (args.isEmpty()) throw new CommandException("ip", "missing object", "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n", 255);
        String object = args.get(0);
        List<String> rest = args.subList(1, args.size());
        if (matches(object, "address")) return new IpCommand(addr(g, rest));
        if (matches(object, "route")) return new IpCommand(route(g, rest));
        throw new CommandException(object, "only 'ip addr' and 'ip route' are emulated",
                "Object \"" + object + "\" is unknown, try \"ip help\".\n", 1);
    }

    /** iproute2 accepts any prefix of the keyword ("a", "addr", "address"). */
    private static boolean matches(String word, String keyword) {
        return !word.isEmpty() && keyword.startsWith(word);
    }

    private static Command addr(Guest g, List<String> a) throws CommandException {
        if (a.isEmpty() || matches(a.get(0), "show") || a.get(0).equals("list")) {
            if (a.size() > 1 && !(a.size() == 3 && a.get(1).equals("dev"))) throw new CommandException(a.get(1), "unexpected argument");
            boolean onlyEth = a.size() == 3;
            if (onlyEth) checkDev(g, a.get(2));
            return run -> {
                if (!onlyEth) {
                    run.line("1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000");
                    run.line("    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00");
                    run.line("    inet 127.0.0.1/8 scope host lo");
                    run.line("       valid_lft forever preferred_lft forever");
                }
                String dev = g.net().interfaceName();
                run.line("2: " + dev + ": <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000");
                run.line("    link/ether " + g.net().mac() + " brd ff:ff:ff:ff:ff:ff");
                g.config().ifPresent(c -> {
                    Optional<DhcpLease> l = g.lease();
                    boolean dynamic = l.isPresent() && g.profile().dhcp() == DhcpFlavor.ISC_DHCLIENT;
                    run.line("    inet " + c.address() + "/" + c.prefixLength() + " brd " + c.broadcast() + " scope global "
                            + (dynamic ? "dynamic " : "") + dev);
                    if (dynamic) {
                        long left = Math.max(0, l.get().leaseSeconds()
                                - (run.now() - l.get().obtainedAtNanos()) / SimTime.NANOS_PER_SECOND);
                        run.line("       valid_lft " + left + "sec preferred_lft " + left + "sec");
                    } else {
                        run.line("       valid_lft forever preferred_lft forever");
                    }
                });
                run.finish(0);
            };
        }
        if (a.get(0).equals("add") && a.size() == 4 && a.get(2).equals("dev")) {
            checkDev(g, a.get(3));
            String cidr = a.get(1);
            int slash = cidr.indexOf('/');
            Ipv4Address addr = address(slash < 0 ? cidr : cidr.substring(0, slash));
            int prefix = slash < 0 ? 32 : (int) Args.number(cidr, cidr.substring(slash + 1), 0, 32,
                    "Error: any valid prefix is expected rather than \"" + cidr + "\".\n");
            return run -> {
                if (g.config().isPresent()) {
                    run.line("Error: vnetlab guests hold one IPv4 address: flush eth0 first.");
                    run.outcome(new Outcome.UsageError("add", "address already set"));
                    run.finish(2);
                    return;
                }
                Ipv4Config c = new Ipv4Config(addr, prefix, Optional.empty(), List.of());
                g.setStatic(c);
                run.outcome(new Outcome.Configured(c));
                run.finish(0);
            };
        }
        if (a.get(0).equals("flush") && a.size() == 3 && a.get(1).equals("dev")) {
            checkDev(g, a.get(2));
            return run -> {
                Optional<Ipv4Address> had = g.config().map(Ipv4Config::address);
                g.flushAddress();
                run.outcome(new Outcome.Released(had));
                run.finish(0);
            };
        }
        throw new CommandException(a.get(0), "only 'ip addr [show]', 'ip addr add A/N dev IF' and 'ip addr flush dev IF' are emulated");
    }

    private static Command route(Guest g, List<String> a) throws CommandException {
        if (a.isEmpty() || matches(a.get(0), "show") || a.get(0).equals("list")) {
            if (a.size() > 1) throw new CommandException(a.get(1), "unexpected argument");
            return run -> {
                String dev = g.net().interfaceName();
                g.config().ifPresent(c -> {
                    c.gateway().ifPresent(gw -> run.line("default via " + gw + " dev " + dev));
                    run.line(c.network() + "/" + c.prefixLength() + " dev " + dev + " proto kernel scope link src " + c.address());
                });
                run.finish(0);
            };
        }
        if (a.get(0).equals("add") && a.size() == 3 && a.get(1).equals("default") || a.size() == 4 && a.get(0).equals("add")
                && a.get(1).equals("default") && a.get(2).equals("via")) {
            Ipv4Address gw = address(a.get(a.size() - 1));
            return run -> {
                Optional<Ipv4Config> c = g.config();
                if (c.isEmpty() || !c.get().onLink(gw)) {
                    run.line("Error: Nexthop has invalid gateway.");
                    run.outcome(new Outcome.SendFailed("gateway not on link"));
                    run.finish(2);
                    return;
                }
                g.net().configure(new Ipv4Config(c.get().address(), c.get().prefixLength(), Optional.of(gw), c.get().dnsServers()));
                run.finish(0);
            };
        }
        if (a.size() == 2 && a.get(0).equals("del") && a.get(1).equals("default")) {
            return run -> {
                g.config().ifPresent(c -> g.net().configure(new Ipv4Config(c.address(), c.prefixLength(), Optional.empty(), c.dnsServers())));
                run.finish(0);
            };
        }
        throw new CommandException(a.get(0), "only 'ip route [show]', 'ip route add default via G' and 'ip route del default' are emulated");
    }

    private static void checkDev(Guest g, String dev) throws CommandException {
        if (!dev.equals(g.net().interfaceName())) {
            throw new CommandException(dev, "no such device", "Device \"" + dev + "\" does not exist.\n", 1);
        }
    }

    private static Ipv4Address address(String text) throws CommandException {
        try {
            return Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandException(text, "not an IPv4 address", "Error: inet address is expected rather than \"" + text + "\".\n", 1);
        }
    }

    @Override
    public void start(Run run) {
        body.start(run);
    }
}
