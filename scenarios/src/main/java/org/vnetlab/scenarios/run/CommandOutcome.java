package org.vnetlab.scenarios.run;

import java.util.List;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.scenarios.expect.Observed;

/** What one command did: output, exit status and observations, and the trace of every packet it caused. */
public record CommandOutcome(Observed observed, List<Trace> traces) {
    public CommandOutcome {
        traces = List.copyOf(traces);
    }

    public static CommandOutcome text(String stdout, int exit) {
        return new CommandOutcome(Observed.text(stdout, exit), List.of());
    }
}
