package org.vnetlab.emulator.libvirt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the read-only reference data lives: {@code vnetlab.shared} (set by surefire to {@code ../shared} beside
 * the checkout). A git worktree sits one level deeper than the main checkout, so when that folder is missing we
 * look for {@code shared/ref} in the folders above the repository root. A missing folder fails the test.
 */
public final class SharedData {
    private SharedData() {}

    public static Path root() {
        Path configured = Path.of(System.getProperty("vnetlab.shared", "../../shared"));
        if (Files.isDirectory(configured.resolve("ref"))) return configured;
        Path start = Path.of(System.getProperty("vnetlab.root", ".")).toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared");
            if (Files.isDirectory(candidate.resolve("ref"))) return candidate;
        }
        throw new IllegalStateException("reference data not found: " + configured.toAbsolutePath()
                + " (set -Dvnetlab.shared)");
    }

    public static Path libvirt() { return root().resolve("ref/libvirt"); }

    public static Path libvirt(String relative) { return libvirt().resolve(relative); }

    public static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files directly in {@code dir} whose names end with {@code suffix}, sorted by name. */
    public static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
