package org.vnetlab.emulator.netfilter.iptables;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vnetlab.emulator.testing.SharedReference;

/** Test fixtures: classpath resources of this module and the shared reference data. */
final class Fixtures {
    private Fixtures() {}

    static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/netfilter/" + name)) {
            if (in == null) throw new IllegalArgumentException("no test resource /netfilter/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path shared(String relative) {
        return SharedReference.resolve(relative);
    }

    static String sharedText(String relative) {
        try {
            return Files.readString(shared(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
