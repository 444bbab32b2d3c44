package org.vnetlab.emulator.hostconf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vnetlab.emulator.testing.SharedReference;

/** Test fixtures: files under src/test/resources/hostconf and the shared reference data. */
public final class Fixtures {
    private Fixtures() {}

    /** A fixture by path below {@code hostconf/}, e.g. {@code route/article-route-n.txt}. */
    public static String read(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/hostconf/" + path)) {
            if (in == null) throw new IllegalArgumentException("no fixture hostconf/" + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared reference folder ({@link SharedReference}). */
    public static Path shared() { return SharedReference.root(); }

    public static String article() {
        try {
            return Files.readString(shared().resolve("ref/article/article.txt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lines of the shared article between the line equal to {@code first} and the next blank line. */
    public static String articleBlock(String first) {
        String[] lines = article().split("\n", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].equals(first)) {
                for (int j = i; j < lines.length && !lines[j].isBlank(); j++) sb.append(lines[j]).append('\n');
                return sb.toString();
            }
        }
        throw new IllegalArgumentException("article has no line '" + first + "'");
    }
}
