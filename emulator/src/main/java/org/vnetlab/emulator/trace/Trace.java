package org.vnetlab.emulator.trace;

import java.util.List;
import java.util.Optional;

/** A packet's whole story: id, steps in order and how it ended (with a one-line reason). */
public record Trace(long id, List<TraceStep> steps, Disposition disposition, String reason) {
    public Trace {
        steps = List.copyOf(steps);
    }

    /** The rule steps that matched, in order: handy to find the decisive rule. */
    public List<TraceStep.RuleEvaluated> matchedRules() {
        return steps.stream().filter(s -> s instanceof TraceStep.RuleEvaluated r && r.matched())
                .map(s -> (TraceStep.RuleEvaluated) s).toList();
    }

    public <T extends TraceStep> List<T> steps(Class<T> kind) {
        return steps.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    public Optional<TraceStep> last() { return steps.isEmpty() ? Optional.empty() : Optional.of(steps.get(steps.size() - 1)); }

    /** Multi-line text: the steps, then {@code => disposition (reason)}. */
    public String render() {
        StringBuilder sb = new StringBuilder("trace ").append(id).append('\n');
        for (TraceStep s : steps) sb.append(s.render()).append('\n');
        sb.append("=> ").append(disposition.name().toLowerCase().replace('_', '-'));
        if (!reason.isEmpty()) sb.append(" (").append(reason).append(')');
        return sb.append('\n').toString();
    }

    @Override
    public String toString() { return render(); }
}
