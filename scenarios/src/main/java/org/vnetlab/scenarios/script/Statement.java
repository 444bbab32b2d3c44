package org.vnetlab.scenarios.script;

import java.util.Optional;
import org.vnetlab.scenarios.expect.Expectation;

/** One line of a scenario's script after the topology: a step, a note for the reader, or a pause. */
public sealed interface Statement {

    SourcePos pos();

    /** {@code on NODE: COMMAND [=> EXPECTATION]}. */
    record Step(SourcePos pos, String node, CommandLine command, Optional<Expectation> expectation) implements Statement {}

    /** {@code note TEXT}: printed in the transcript as a comment. */
    record Note(SourcePos pos, String text) implements Statement {}

    /** {@code wait DURATION}: emulated time passes (leases age, STP ports reach forwarding). */
    record Wait(SourcePos pos, long nanos, String written) implements Statement {}
}
