package org.vnetlab.emulator.libvirt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.vnetlab.emulator.testing.SharedReference;

/** The libvirt part of the read-only reference data ({@link SharedReference}), and small file helpers. */
public final class SharedData {
    private SharedData() {}

    public static Path root() { return SharedReference.root(); }

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
