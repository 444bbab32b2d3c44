package org.vnetlab.scenarios.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.scenarios.diagnose.Battery;
import org.vnetlab.scenarios.diagnose.Decisive;
import org.vnetlab.scenarios.diagnose.DecisiveHop;
import org.vnetlab.scenarios.expect.Observation;
import org.vnetlab.scenarios.run.CommandOutcome;
import org.vnetlab.scenarios.run.CommandRejected;
import org.vnetlab.scenarios.run.Prompt;
import org.vnetlab.scenarios.run.Transcript;
import org.vnetlab.scenarios.run.World;
import org.vnetlab.scenarios.run.WorldFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "trace", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sends one packet through the dumped host and prints its full trace and its reply's: every hook, rule tried, verdict, conntrack state, NAT binding and routing decision.",
                "Exit status: 0 the packet was answered, 1 it was not, 2 bad input."})
final class TraceCommand implements Callable<Integer> {
    enum From { guest, lan }
    enum Proto { icmp, udp, tcp }

    @ParentCommand
    Main main;

    @Mixin
    Common common;

    @Mixin
    DumpOptions dump;

    @Option(names = "--from", paramLabel = "NODE", description = "guest (a guest on the libvirt network, default) or lan (a LAN host routing the guest network via the host; it sends to the guest when --to is omitted).")
    From from = From.guest;

    @Option(names = "--to", paramLabel = "ADDRESS", description = "Destination address (required from the guest).")
    String to;

    @Option(names = "--proto", paramLabel = "PROTO", description = "icmp (default), udp or tcp.")
    Proto proto = Proto.icmp;

    @Option(names = "--dport", paramLabel = "N", description = "Destination port for udp and tcp (default 53 for udp, 443 for tcp).")
    Integer dport;

    @Override
    public Integer call() throws InputException {
        Io io = main.io();
        if (from == From.guest && to == null) {
            throw new InputException("--to", 0, 0, null, "missing destination", "give --to ADDRESS, e.g. --to 8.8.8.8");
        }
        if (dport != null && (dport < 1 || dport > 65535)) throw new InputException("--dport", 0, 0, dport.toString(), "not a port number (1..65535)", null);
        if (dport != null && proto == Proto.icmp) throw new InputException("--dport", 0, 0, dport.toString(), "ICMP has no ports", "add --proto tcp or --proto udp");
        Optional<Ipv4Address> dst = to == null ? Optional.empty() : Optional.of(DiagnoseCommand.address(to));
        try (World world = io.worlds().start(dump.topology(), dump.folder(), new WorldFactory.Options(common.seedOr(1), Optional.empty()))) {
            CommandOutcome lease = run(world, Battery.GUEST, "dhclient", "-v", "eth0");
            Ipv4Address guest = lease.observed().last(Observation.Lease.class).map(Observation.Lease::address)
                    .orElse(world.facts().staticFallback());
            if (lease.observed().last(Observation.Lease.class).isEmpty()) {
                run(world, Battery.GUEST, "ip", "addr", "flush", "dev", "eth0");
                run(world, Battery.GUEST, "ip", "addr", "add", guest + "/" + world.facts().prefixLength(), "dev", "eth0");
                run(world, Battery.GUEST, "ip", "route", "add", "default", "via", world.facts().bridgeAddress().toString());
                io.out().println("# the guest got no DHCP lease; it uses the static address " + guest);
            }
            String node = from == From.guest ? Battery.GUEST : Battery.LAN_HOST;
            Ipv4Address target = dst.orElse(guest);
            String[] argv = switch (proto) {
                case icmp -> new String[] {"ping", "-c", "1", "-W", "2", target.toString()};
                case tcp -> new String[] {"nc", "-zv", "-w", "5", target.toString(), Integer.toString(dport == null ? 443 : dport)};
                case udp -> new String[] {"dig", "@" + target, "-p", Integer.toString(dport == null ? 53 : dport), "+tries=1", "google.com"};
            };
            World.Node n = world.nodes().stream().filter(x -> x.name().equals(node)).findFirst().orElseThrow();
            CommandOutcome o = run(world, node, argv);
            Transcript t = Transcript.to(io.out(), true);
            t.command(Prompt.of(n), String.join(" ", argv));
            t.output(o.observed().stdout());
            t.output(o.observed().stderr());
            List<Trace> own = DecisiveHop.about(o.traces(), target);
            t.traces(own);
            Optional<Decisive> d = DecisiveHop.of(own);
            io.out().println();
            io.out().println("# decided by " + d.map(Decisive::describe).orElse("no rule (nothing filtered it)"));
            t.flush();
            // udp sends a DNS query: any DNS reply (an answer, NXDOMAIN, SERVFAIL, REFUSED) is the packet answered
            boolean answered = o.observed().last(Observation.Probe.class).map(p -> p.outcome() == Observation.ProbeOutcome.REPLY)
                    .or(() -> o.observed().last(Observation.Resolution.class).map(r -> r.outcome() != Observation.DnsOutcome.TIMEOUT))
                    .orElse(false);
            return answered ? 0 : 1;
        }
    }

    private static CommandOutcome run(World world, String node, String... argv) {
        try {
            return world.run(node, World.Command.of(argv));
        } catch (CommandRejected e) {
            throw new IllegalStateException("'" + String.join(" ", argv) + "' was rejected on " + node + ": " + e.problem(), e);
        }
    }
}
