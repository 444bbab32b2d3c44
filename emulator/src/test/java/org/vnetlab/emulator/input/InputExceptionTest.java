package org.vnetlab.emulator.input;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one-line form users read: file, line, column, problem, the token, the hint. */
class InputExceptionTest {
    @Test
    void printsFileLineColumnProblemTokenAndHint() {
        InputException e = new InputException("rules", 3, 12, "--dprot", "unknown option", "did you mean --dport?");

        assertThat(e.getMessage()).isEqualTo("rules:3:12: unknown option near '--dprot' (hint: did you mean --dport?)");
    }

    @Test
    void aHugeTokenIsShortenedInTheMessageButKeptWhole() {
        String pasted = "1".repeat(1_000_000);

        InputException e = new InputException("net.xml", 4, 7, pasted, "invalid IPv4 address");

        assertThat(e.getMessage()).isEqualTo("net.xml:4:7: invalid IPv4 address near '" + "1".repeat(120)
                + "...' (1000000 characters)");
        assertThat(e.token()).isEqualTo(pasted);
    }
}
