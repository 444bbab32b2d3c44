package org.vnetlab.emulator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetlab.emulator.input.InputException;

/**
 * The premise of the mutation properties: every bundled input is valid for its parser, so each mutation
 * starts from a file that loads and the test sees what the mutation breaks.
 */
class BundledInputsTest {
    static Stream<Arguments> inputs() {
        return TextParsers.all().stream().flatMap(p -> p.inputs().stream().map(i -> Arguments.of(p, i)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("inputs")
    void loads(TextParser parser, BundledInput input) throws InputException {
        assertThat(parser.parse(input.name(), input.text())).isNotNull();
    }
}
