package org.vnetlab.protocols;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Wireshark's command-line tools. A missing tool fails the test with what to install; only with
 * VNETLAB_ALLOW_MISSING_TOOLS=1 is the test skipped instead (CI installs tshark, so it never skips there).
 */
public final class Tshark {
    private Tshark() {}

    /** The path of a Wireshark tool (tshark, editcap), or the test fails/aborts as described above. */
    public static Path require(String tool) {
        Optional<Path> found = find(tool);
        if (found.isPresent()) return found.get();
        String message = tool + " not found on PATH: install Wireshark's command-line tools (Debian/Ubuntu: apt-get install tshark;"
                + " .ci/run does this in CI). To skip tests that need it, set VNETLAB_ALLOW_MISSING_TOOLS=1.";
        if ("1".equals(System.getenv("VNETLAB_ALLOW_MISSING_TOOLS"))) Assumptions.abort(message);
        return fail(message);
    }

    static Optional<Path> find(String tool) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin" + File.pathSeparator + "/usr/local/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Runs the tool, returns its standard output; fails on a non-zero exit with its standard error. */
    public static String run(Path tool, String... args) {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(List.of(args));
        try {
            Path err = Files.createTempFile("vnetlab-tshark", ".err");
            try {
                Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
                p.getOutputStream().close();
                byte[] out = p.getInputStream().readAllBytes();
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return fail(String.join(" ", command) + " did not finish");
                }
                if (p.exitValue() != 0) {
                    return fail(String.join(" ", command) + " exited " + p.exitValue() + ": " + Files.readString(err));
                }
                return new String(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
