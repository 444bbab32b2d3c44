package org.vnetlab.scenarios.run;

import java.util.List;

/** All the steps of a run, in order, and the tally the exit code comes from. */
public record RunReport(List<StepReport> steps) {
    public RunReport {
        steps = List.copyOf(steps);
    }

    public long passed() { return steps.stream().filter(s -> s.check().map(c -> c.passed()).orElse(false)).count(); }

    public long failed() { return steps.stream().filter(StepReport::failed).count(); }

    public long unchecked() { return steps.stream().filter(s -> s.check().isEmpty()).count(); }

    public boolean allHeld() { return failed() == 0; }

    public List<StepReport> failures() { return steps.stream().filter(StepReport::failed).toList(); }
}
