package org.vnetlab.emulator.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The {@code netsh interface ip} subset that switches the adapter between DHCP and a static address:
 * {@code set address "Ethernet" static ADDR MASK [GATEWAY]}, {@code set address "Ethernet" dhcp},
 * {@code set dns "Ethernet" static ADDR} and {@code set dns "Ethernet" dhcp}. Anything else is refused by name.
 */
final class Netsh implements Command {
    private final Runnable action;
    private final Outcome outcome;

    private Netsh(Runnable action, Outcome outcome) {
        this.action = action;
        this.outcome = outcome;
    }

    static Netsh parse(Guest g, List<String> args) throws CommandException {
        List<String> w = new ArrayList<>();
        for (String a : args) w.add(a.toLowerCase(Locale.ROOT));
        int i = 0;
        if (w.size() < 3 || !w.get(0).equals("interface") || !(w.get(1).equals("ip") || w.get(1).equals("ipv4"))) {
            throw new CommandException(args.isEmpty() ? "netsh" : args.get(0),
                    "only 'netsh interface ip set address|dns ...' is emulated");
        }
        i = 2;
        if (!w.get(i).equals("set")) throw new CommandException(args.get(i), "only 'set address' and 'set dns' are emulated");
        i++;
        if (i >= w.size()) throw new CommandException("set", "'set' needs 'address' or 'dns'");
        String what = w.get(i++);
        if (i >= w.size()) throw new CommandException(what, "missing interface name");
        String iface = stripKey(args.get(i++), "name");
        if (!iface.equalsIgnoreCase("Ethernet")) {
            throw new CommandException(iface, "no such interface (the guest's adapter is \"Ethernet\")",
                    "The filename, directory name, or volume label syntax is incorrect.\n\n", 1);
        }
        if (i >= w.size()) throw new CommandException(iface, "missing 'static' or 'dhcp'");
        String source = stripKey(w.get(i++), "source");
        switch (what) {
            case "address" -> {
                if (source.equals("dhcp")) {
                    return new Netsh(g::setDhcp, new Outcome.Released(g.config().map(Ipv4Config::address)));
                }
                if (!source.equals("static")) throw new CommandException(source, "expected 'static' or 'dhcp'");
                if (w.size() - i < 2) throw new CommandException("static", "static needs an address and a mask");
                Ipv4Address addr = address(stripKey(args.get(i++), "address"));
                Ipv4Address mask = address(stripKey(args.get(i++), "mask"));
                int prefix;
                try {
                    prefix = Ipv4Config.prefixOf(mask);
                } catch (IllegalArgumentException e) {
                    throw new CommandException(mask.toString(), "non-contiguous subnet mask",
                            "The parameter is incorrect.\n\n", 1);
                }
                Optional<Ipv4Address> gw = Optional.empty();
                if (i < w.size()) gw = Optional.of(address(stripKey(args.get(i++), "gateway")));
                if (i < w.size() && w.get(i).matches("(gwmetric=)?\\d+")) i++;
                if (i < w.size()) throw new CommandException(args.get(i), "unexpected argument");
                List<Ipv4Address> dns = g.config().map(Ipv4Config::dnsServers).orElse(List.of());
                Ipv4Config c = new Ipv4Config(addr, prefix, gw, g.dhcpEnabled() ? List.of() : dns);
                return new Netsh(() -> g.setStatic(c), new Outcome.Configured(c));
            }
            case "dns", "dnsservers" -> {
                if (source.equals("dhcp")) {
                    return new Netsh(() -> g.config().ifPresent(c -> g.net().configure(c.withDnsServers(
                            g.lease().map(DhcpLease::dns).orElse(List.of())))), new Outcome.Shown());
                }
                if (!source.equals("static")) throw new CommandException(source, "expected 'static' or 'dhcp'");
                if (i >= w.size()) throw new CommandException("static", "static needs a DNS server address");
                Ipv4Address server = address(stripKey(args.get(i++), "address"));
                if (i < w.size() && w.get(i).matches("(register=)?(primary|none|both)")) i++;
                if (i < w.size()) throw new CommandException(args.get(i), "unexpected argument");
                return new Netsh(() -> g.config().ifPresent(c -> g.net().configure(c.withDnsServers(List.of(server)))),
                        new Outcome.Shown());
            }
            default -> throw new CommandException(args.get(i - 2), "only 'set address' and 'set dns' are emulated");
        }
    }

    private static String stripKey(String word, String key) {
        String prefix = key + "=";
        return word.toLowerCase(Locale.ROOT).startsWith(prefix) ? word.substring(prefix.length()) : word;
    }

    private static Ipv4Address address(String text) throws CommandException {
        try {
            return Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandException(text, "not an IPv4 address", "The parameter is incorrect.\n\n", 1);
        }
    }

    @Override
    public void start(Run run) {
        action.run();
        run.line();
        run.outcome(outcome);
        run.finish(0);
    }
}
