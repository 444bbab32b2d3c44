package org.vnetlab.scenarios.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.scenarios.script.Topology;

/**
 * A scripted world for testing the scenario machinery without the emulator: each node knows a few
 * programs; answers are looked up by "node: argv joined by blanks"; options starting with {@code --bogus}
 * are rejected the way a real model rejects unsupported options.
 */
public final class FakeWorld implements World {
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Function<Command, CommandOutcome>> answers = new LinkedHashMap<>();
    public final List<String> ran = new ArrayList<>();
    public long now;
    public boolean closed;

    public FakeWorld(Topology topology) {
        nodes.add(new Node("host", Node.Kind.HOST, Optional.empty()));
        nodes.add(new Node("router", Node.Kind.ROUTER, Optional.empty()));
        nodes.add(new Node("internet", Node.Kind.INTERNET, Optional.empty()));
        for (Topology.Guest g : topology.guests()) nodes.add(new Node(g.name(), Node.Kind.GUEST, Optional.of(g.os())));
        for (Topology.LanHost l : topology.lanHosts()) nodes.add(new Node(l.name(), Node.Kind.LAN_HOST, Optional.empty()));
    }

    public FakeWorld answer(String key, CommandOutcome outcome) {
        answers.put(key, c -> outcome);
        return this;
    }

    public FakeWorld answer(String key, Function<Command, CommandOutcome> f) {
        answers.put(key, f);
        return this;
    }

    public static WorldFactory factory(java.util.function.Consumer<FakeWorld> setup) {
        return (Topology t, Path folder, WorldFactory.Options o) -> {
            FakeWorld w = new FakeWorld(t);
            setup.accept(w);
            return w;
        };
    }

    /** A factory whose dump is bad, as the real loader reports it. */
    public static WorldFactory failing(InputException e) {
        return (t, folder, o) -> { throw e; };
    }

    @Override
    public List<Node> nodes() { return nodes; }

    @Override
    public void check(String node, Command command) throws CommandRejected {
        List<String> known = switch (node) {
            case "host" -> List.of("virsh", "iptables", "iptables-save", "sysctl", "cat", "ip", "echo", "systemctl");
            case "router", "internet" -> List.of("fault", "ip");
            default -> List.of("ping", "ipconfig", "nslookup", "dhclient", "ip", "curl", "nc", "dig");
        };
        if (!known.contains(command.program())) {
            throw new CommandRejected(0, "unknown command on " + node, "commands here: " + String.join(", ", known));
        }
        for (int i = 0; i < command.argv().size(); i++) {
            if (command.argv().get(i).startsWith("--bogus")) throw new CommandRejected(i, "unsupported option");
        }
        if (command.redirect().isPresent() && !command.redirect().get().path().equals("/etc/resolv.conf")) {
            throw new CommandRejected(CommandRejected.REDIRECT_TARGET, "this file is not emulated");
        }
    }

    @Override
    public CommandOutcome run(String node, Command command) {
        String key = node + ": " + String.join(" ", command.argv());
        ran.add(key + command.stdin().map(s -> " <<" + s.strip()).orElse(""));
        Function<Command, CommandOutcome> f = answers.get(key);
        if (f == null) return CommandOutcome.text("", 0);
        return f.apply(command);
    }

    @Override
    public void advance(long nanos) { now += nanos; }

    @Override
    public long now() { return now; }

    public HostFacts facts = new HostFacts("default", "nat", "virbr0", org.vnetlab.protocols.Ipv4Address.parse("192.168.122.1"), 24,
            Optional.of(org.vnetlab.protocols.Ipv4Address.parse("192.168.0.1")), Optional.of("enp3s0"));
    public List<String> assumptions = new ArrayList<>();

    @Override
    public HostFacts facts() { return facts; }

    @Override
    public List<String> assumptions() { return assumptions; }

    @Override
    public void close() { closed = true; }
}
