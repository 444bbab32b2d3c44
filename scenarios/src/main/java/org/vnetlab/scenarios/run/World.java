package org.vnetlab.scenarios.run;

import java.util.List;
import java.util.Optional;
import org.vnetlab.scenarios.script.Invocation;
import org.vnetlab.scenarios.script.Topology;

/**
 * The emulated network a scenario runs in — the one seam between the scenario machinery (script, runner,
 * transcript, CLI, diagnosis) and the emulator. A world is built from a topology by a {@link
 * WorldFactory}; steps then run commands on its nodes as a person would type them.
 *
 * <p>Contract: {@link #check} is static (it looks at the command only, never at the network's state) so a
 * whole script can be vetted before anything runs; {@link #run} never throws for things the real tool
 * would report itself (a missing chain, a network already active): those are output and an exit status.
 */
public interface World extends AutoCloseable {

    /** The nodes steps may address: the host, the router, the internet, the guests and LAN hosts. */
    List<Node> nodes();

    /**
     * Vets one command for a node without running it: the program is one this node's model has, and every
     * option and argument is one the model understands.
     *
     * @throws CommandRejected naming the offending argument (index into {@link Command#argv()})
     */
    void check(String node, Command command) throws CommandRejected;

    /**
     * Runs one command on a node, letting emulated time pass as the real command would take (a ping waits
     * for its replies or its timeout). The outcome holds the output, exit status, observations and the
     * trace of every packet the command caused.
     *
     * @throws CommandRejected only for input the static check could not see (e.g. a file argument that does
     *     not exist in the scenario folder)
     */
    CommandOutcome run(String node, Command command) throws CommandRejected;

    /** Lets emulated time pass with no command running (timers fire: leases age, ports start forwarding). */
    void advance(long nanos);

    /** Emulated time since the world started, in nanoseconds. */
    long now();

    /** The host's network facts a diagnosis needs (forward mode, bridge address, uplink gateway). */
    HostFacts facts();

    /** What the dump did not show and was assumed, one plain sentence each. */
    List<String> assumptions();

    /** Flushes and closes what the world writes (the pcapng capture). */
    @Override
    void close();

    /** A node as the transcript shows it. */
    record Node(String name, Kind kind, Optional<Topology.GuestOs> os) {
        public enum Kind { HOST, GUEST, ROUTER, INTERNET, LAN_HOST }
    }

    /**
     * One simple command ready to run: its argument vector (without {@code sudo}), its standard input
     * (already read: a here-document or a file of the scenario folder) and where its output goes (a file of
     * the node, handled by the node as a shell would).
     */
    record Command(List<String> argv, Optional<String> stdin, Optional<Invocation.Redirect> redirect) {
        public Command {
            argv = List.copyOf(argv);
            if (argv.isEmpty()) throw new IllegalArgumentException("empty command");
        }

        public static Command of(String... argv) { return new Command(List.of(argv), Optional.empty(), Optional.empty()); }

        public String program() { return argv.get(0); }
    }
}
