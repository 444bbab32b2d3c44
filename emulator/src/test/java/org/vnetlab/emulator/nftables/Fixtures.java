package org.vnetlab.emulator.nftables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.nftables.syntax.NftParser;

/** Test resources under nftables/ and libvirt's reference data in shared/. */
final class Fixtures {
    private Fixtures() {}

    static Path resource(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/nftables/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource nftables/" + name, e);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) { return read(resource(name)); }

    static List<Path> files(String dir, String suffix) {
        try (Stream<Path> s = Files.list(resource(dir))) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** shared/ beside the checkout (CI); a worktree nested deeper finds it in the nearest ancestor holding one. */
    static Path shared(String relative) {
        Path configured = Path.of(System.getProperty("vnetlab.shared", "../../shared"));
        if (Files.isDirectory(configured)) return configured.resolve(relative);
        for (Path dir = Path.of(System.getProperty("vnetlab.root", "..")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("shared/ref"))) return dir.resolve("shared").resolve(relative);
        }
        return configured.resolve(relative);
    }

    static NftRuleset load(String file, String text) throws InputException {
        return NftRuleset.EMPTY.apply(NftParser.parse(file, text));
    }

    static String list(NftRuleset r) { return NftPrinter.plain().ruleset(r); }
}
