package org.vnetlab.scenarios.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.vnetlab.emulator.guest.CommandException;
import org.vnetlab.emulator.guest.CommandResult;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.Outcome;
import org.vnetlab.scenarios.expect.Observation;
import org.vnetlab.scenarios.expect.Observed;
import org.vnetlab.scenarios.run.CommandRejected;
import org.vnetlab.scenarios.run.World;

/**
 * Runs a step's command on a guest model (Windows or Linux) and turns what the model reports into the
 * observations expectations check. A command line the model does not understand becomes a {@link
 * CommandRejected} naming the offending word: a scenario never silently runs a different command.
 */
final class GuestCommands {
    private GuestCommands() {}

    static final List<String> WINDOWS = List.of("ping", "ipconfig", "nslookup", "curl", "netsh", "hostname");
    static final List<String> LINUX = List.of("ping", "dig", "curl", "nc", "ip", "dhclient", "udhcpc", "hostname");

    /**
     * Vets a command for a guest without running it: the program exists on this OS, nothing is redirected,
     * and the guest model reads every option and argument (its check, which sends nothing and changes nothing).
     */
    static void check(Guest guest, World.Command c) throws CommandRejected {
        boolean windows = guest.profile().windows();
        String program = c.program();
        if (windows) {
            program = program.toLowerCase(Locale.ROOT);
            if (program.endsWith(".exe")) program = program.substring(0, program.length() - 4);
        }
        List<String> known = windows ? WINDOWS : LINUX;
        if (!known.contains(program)) {
            throw new CommandRejected(0, "unknown command on a " + (windows ? "Windows" : "Linux") + " guest",
                    "the " + (windows ? "Windows" : "Linux") + " guest model has: " + String.join(", ", known));
        }
        if (c.stdin().isPresent()) throw new CommandRejected(CommandRejected.WHOLE_COMMAND, "guest commands take no standard input here");
        if (c.redirect().isPresent()) throw new CommandRejected(CommandRejected.REDIRECT_TARGET, "output redirection is not emulated on guests");
        try {
            guest.check(commandLine(c.argv()));
        } catch (CommandException e) {
            throw rejected(c, e.token(), e.problem(), e.userText());
        }
    }

    private static CommandRejected rejected(World.Command c, String token, String problem, String output) {
        int index = c.argv().indexOf(token);
        return new CommandRejected(index >= 0 ? index : CommandRejected.WHOLE_COMMAND, problem, firstLine(output).orElse(null));
    }

    static Observed run(Guest guest, World.Command c) throws CommandRejected {
        CommandResult r = guest.run(commandLine(c.argv()));
        for (Outcome o : r.outcomes()) {
            if (o instanceof Outcome.UsageError u) throw rejected(c, u.token(), u.problem(), r.output());
        }
        return new Observed(r.output(), "", r.exitStatus(), observations(c.program(), c.argv(), r.outcomes()));
    }

    static List<Observation> observations(String program, List<String> argv, List<Outcome> outcomes) {
        String p = program.toLowerCase(Locale.ROOT);
        boolean dns = p.startsWith("nslookup") || p.equals("dig");
        boolean dhcp = p.equals("dhclient") || p.equals("udhcpc") || p.startsWith("ipconfig");
        List<Observation> out = new ArrayList<>();
        List<Outcome> probes = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.Lease l) {
                out.add(new Observation.Lease(l.address(), l.prefixLength(), l.router(), l.dns(), Optional.of(l.server())));
            } else if (o instanceof Outcome.Autoconfigured a) {
                out.add(new Observation.NoLease("no DHCP answer; autoconfigured " + a.address()));
            } else if (o instanceof Outcome.Resolved r) {
                out.add(new Observation.Resolution(Observation.DnsOutcome.ANSWER, r.name(), r.addresses(), Optional.empty()));
            } else if (o instanceof Outcome.NoData n) {
                out.add(new Observation.Resolution(Observation.DnsOutcome.ANSWER, n.name(), List.of(), Optional.empty()));
            } else if (o instanceof Outcome.NxDomain n) {
                out.add(new Observation.Resolution(Observation.DnsOutcome.NXDOMAIN, n.name(), List.of(), Optional.empty()));
            } else if (o instanceof Outcome.ServFail s) {
                Observation.DnsOutcome k = s.rcode().equalsIgnoreCase("REFUSED") ? Observation.DnsOutcome.REFUSED : Observation.DnsOutcome.SERVFAIL;
                out.add(new Observation.Resolution(k, s.name(), List.of(), Optional.empty()));
            } else if (o instanceof Outcome.Timeout) {
                if (dns) out.add(new Observation.Resolution(Observation.DnsOutcome.TIMEOUT, queriedName(argv), List.of(), Optional.empty()));
                else if (dhcp) out.add(new Observation.NoLease("no DHCP answer"));
                else probes.add(o);
            } else if (o instanceof Outcome.Reply || o instanceof Outcome.Unreachable || o instanceof Outcome.TtlExceeded
                    || o instanceof Outcome.SendFailed || o instanceof Outcome.Refused || o instanceof Outcome.Reset
                    || o instanceof Outcome.Connected) {
                probes.add(o);
            }
        }
        summary(probes).flatMap(GuestCommands::probe).ifPresent(out::add);
        return out;
    }

    /** The name a dig or nslookup command asks for: its first operand that is not a server or an option. */
    private static String queriedName(List<String> argv) {
        for (String a : argv.subList(1, argv.size())) {
            if (!a.startsWith("@") && !a.startsWith("+") && !a.startsWith("-") && !a.matches("[0-9.]+")) return a;
        }
        return "";
    }

    /** The probe that sums a run up, as the tools do: any answer wins, then the first error, then a timeout. */
    private static Optional<Outcome> summary(List<Outcome> probes) {
        for (Outcome o : probes) if (o instanceof Outcome.Reply || o instanceof Outcome.Connected) return Optional.of(o);
        for (Outcome o : probes) if (!(o instanceof Outcome.Timeout)) return Optional.of(o);
        return probes.stream().findFirst();
    }

    private static Optional<Observation> probe(Outcome o) {
        if (o instanceof Outcome.Reply r) return Optional.of(Observation.Probe.reply(r.from()));
        if (o instanceof Outcome.Connected c) return Optional.of(Observation.Probe.reply(c.peer()));
        if (o instanceof Outcome.Timeout) return Optional.of(Observation.Probe.timeout());
        if (o instanceof Outcome.Unreachable u) return Optional.of(Observation.Probe.icmp(new Observation.Icmp(u.type(), u.code(), u.from())));
        if (o instanceof Outcome.TtlExceeded t) return Optional.of(Observation.Probe.icmp(new Observation.Icmp(11, 0, t.from())));
        if (o instanceof Outcome.SendFailed) return Optional.of(Observation.Probe.noRoute());
        if (o instanceof Outcome.Refused f) return Optional.of(Observation.Probe.reset(f.peer()));
        if (o instanceof Outcome.Reset s) return Optional.of(Observation.Probe.reset(s.peer()));
        return Optional.empty();
    }

    /** The argument vector as one command line the model's shell splits back into the same words. */
    static String commandLine(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String a : argv) {
            if (!sb.isEmpty()) sb.append(' ');
            if (!a.isEmpty() && a.chars().noneMatch(ch -> ch == ' ' || ch == '\t' || ch == '"' || ch == '\'' || ch == '\\')) {
                sb.append(a);
            } else {
                sb.append('"').append(a.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return sb.toString();
    }

    private static Optional<String> firstLine(String text) {
        for (String l : text.split("\n")) if (!l.isBlank()) return Optional.of(l.strip());
        return Optional.empty();
    }
}
