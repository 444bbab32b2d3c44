package org.vnetlab.scenarios.expect;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a step must show: every clause must hold. */
public record Expectation(List<Clause> clauses) {
    public Expectation {
        clauses = List.copyOf(clauses);
        if (clauses.isEmpty()) throw new IllegalArgumentException("an expectation needs a clause");
    }

    public String describe() { return clauses.stream().map(Clause::describe).collect(Collectors.joining(" ")); }

    /** Checks every clause; the first that fails says what was seen instead. */
    public Check check(Observed observed) {
        for (Clause c : clauses) {
            Optional<String> got = c.mismatch(observed);
            if (got.isPresent()) return new Check(false, describe(), got.get());
        }
        return new Check(true, describe(), "");
    }

    /** The verdict on one step: passed or not, what was expected, and (when failed) what was seen. */
    public record Check(boolean passed, String expected, String got) {}
}
