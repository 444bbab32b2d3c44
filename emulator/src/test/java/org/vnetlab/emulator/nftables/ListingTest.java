package org.vnetlab.emulator.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code nft -f FILE} then {@code nft list ruleset}, against what the real nft 1.0.6 printed for the same file
 * (nftables/listing/*.golden, recorded by nftables/real-nft.sh in a private network namespace): the
 * normalizations nft applies — dependencies it hides, sets it sorts and merges, names it gives priorities,
 * numbers it gives services, marks in 0x%08x, defaults it leaves out — and the layout, blank lines and set
 * wrapping included.
 */
class ListingTest {

    static Stream<Path> cases() { return Fixtures.files("listing", ".nft").stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void listsWhatTheRealNftListed(Path input) throws Exception {
        String name = input.getFileName().toString().replace(".nft", "");
        Path golden = input.resolveSibling(name + ".golden");
        assertThat(golden).as("golden file from real nft").exists();

        NftRuleset loaded = Fixtures.load(input.getFileName().toString(), Fixtures.read(input));
        String listed = Fixtures.list(loaded);
        // kept for diffing against the golden file when it differs
        Files.createDirectories(Path.of("target", "nft-listing"));
        Files.writeString(Path.of("target", "nft-listing", name + ".actual"), listed);

        assertThat(listed).isEqualTo(Fixtures.read(golden));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theListingReadsBackAsTheRealNftReadsIt(Path input) throws Exception {
        String name = input.getFileName().toString().replace(".nft", "");
        String listed = Fixtures.read(input.resolveSibling(name + ".golden"));

        NftRuleset reread = Fixtures.load("golden", listed);

        // not always the same text: nft reads a one-element set it printed back as a plain match
        assertThat(Fixtures.list(reread)).isEqualTo(Fixtures.read(input.resolveSibling(name + ".relisted")));
    }
}
