package org.vnetlab.scenarios.run;

import java.util.Optional;
import org.vnetlab.scenarios.expect.Expectation;
import org.vnetlab.scenarios.script.Statement;

/** One step's result: what ran, what it did, and the verdict when the step had an expectation. */
public record StepReport(Statement.Step step, CommandOutcome outcome, Optional<Expectation.Check> check) {
    public boolean failed() { return check.map(c -> !c.passed()).orElse(false); }
}
