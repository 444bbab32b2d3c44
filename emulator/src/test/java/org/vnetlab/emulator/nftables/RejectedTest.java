package org.vnetlab.emulator.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetlab.emulator.input.InputException;

/**
 * Files the real nft 1.0.6 (with its kernel) refused (nftables/rejected/*.nft, nft's message in *.error): vnetlab
 * refuses each of them too, at the line nft named, and loads nothing.
 */
class RejectedTest {

    static Stream<Path> cases() { return Fixtures.files("rejected", ".nft").stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedAtTheLineNftNamed(Path input) {
        String name = input.getFileName().toString();
        String nftError = Fixtures.read(input.resolveSibling(name.replace(".nft", ".error")));
        // FILE:LINE:COLUMNS: Error: ...
        int nftLine = Integer.parseInt(nftError.split(":")[1]);

        InputException e = catchThrowableOfType(() -> Fixtures.load(name, Fixtures.read(input)), InputException.class);

        assertThat(e).as("vnetlab accepted what nft refused: " + nftError).isNotNull();
        assertThat(e.line()).as(e.getMessage() + "\nnft: " + nftError).isEqualTo(nftLine);
    }
}
