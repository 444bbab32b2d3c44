package org.vnetlab.emulator.guest;

import java.util.List;
import java.util.Objects;

/**
 * What running one command line on a guest produced: the exit status the shell would see, the text the
 * user would read (stdout and stderr interleaved as on a terminal), and one {@link Outcome} per probe in
 * order (one per echo for ping, one per lookup for nslookup).
 */
public record CommandResult(String commandLine, int exitStatus, String output, List<Outcome> outcomes) {

    public CommandResult {
        Objects.requireNonNull(commandLine, "commandLine");
        Objects.requireNonNull(output, "output");
        outcomes = List.copyOf(outcomes);
        if (outcomes.isEmpty()) throw new IllegalArgumentException("a command result needs at least one outcome");
    }

    /**
     * The outcome that best sums the run up: the first echo reply if any came back; else how the run ended
     * (the last outcome: curl's response after its "connected", the timeout after an APIPA fallback), except
     * that an ICMP error seen on the way tells more than a final timeout.
     */
    public Outcome outcome() {
        for (Outcome o : outcomes) if (o instanceof Outcome.Reply) return o;
        Outcome last = outcomes.get(outcomes.size() - 1);
        if (last instanceof Outcome.Timeout) {
            for (Outcome o : outcomes) {
                if (o instanceof Outcome.Unreachable || o instanceof Outcome.TtlExceeded) return o;
            }
        }
        return last;
    }

    public boolean succeeded() { return exitStatus == 0; }
}
