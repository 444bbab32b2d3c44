package org.vnetlab.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden text files. {@code -Dvnetlab.updateGolden=true} rewrites them from the actual output (review the
 * diff before committing); otherwise the texts must be equal.
 */
public final class Golden {
    private Golden() {}

    public static void assertMatches(Path golden, String actual) {
        try {
            if (Boolean.getBoolean("vnetlab.updateGolden")) {
                Files.createDirectories(golden.getParent());
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
                return;
            }
            assertThat(golden).as("golden file (create it with -Dvnetlab.updateGolden=true)").exists();
            assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The source tree's copy of a test resource, so updates land in the repository, not in target/. */
    public static Path testResource(String rel) {
        Path root = Path.of(System.getProperty("vnetlab.root", "../")).resolve("scenarios/src/test/resources");
        return root.resolve(rel);
    }
}
