package org.vnetlab.emulator.oracle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Driver of the kernel oracle ({@code src/oracle/vnetlab-oracle}): runs a spec through the real Linux
 * kernel, iptables, conntrack and dnsmasq in private network namespaces and returns what happened.
 * Needs root; {@link #availability()} says whether this machine can run it and why not.
 */
public final class KernelOracle {
    /** The harness bounds itself to about a minute; this is the last resort if it hangs. */
    private static final long RUN_LIMIT_SECONDS = 150;
    private static final Map<Path, OracleAvailability> CHECKED = new ConcurrentHashMap<>();

    private final Path script;

    public KernelOracle(Path script) { this.script = script.toAbsolutePath().normalize(); }

    /** The harness of this checkout: {@code vnetlab.root} (set by surefire), else found above the working dir. */
    public static KernelOracle locate() {
        String root = System.getProperty("vnetlab.root");
        if (root != null) return new KernelOracle(Path.of(root, "src", "oracle", "vnetlab-oracle"));
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("src/oracle/vnetlab-oracle");
            if (Files.isRegularFile(candidate)) return new KernelOracle(candidate);
        }
        return new KernelOracle(Path.of("src", "oracle", "vnetlab-oracle"));
    }

    public Path script() { return script; }

    /** Runs {@code vnetlab-oracle check} once per JVM. */
    public OracleAvailability availability() {
        return CHECKED.computeIfAbsent(script, s -> check());
    }

    /** Runs the spec; the output folder is created (and its previous content of the same names replaced). */
    public OracleResult run(OracleSpec spec, Path outDir) {
        try {
            Files.createDirectories(outDir);
            Path specFile = outDir.resolve("spec.txt");
            Files.writeString(specFile, spec.text(), StandardCharsets.UTF_8);
            Execution execution = execute(RUN_LIMIT_SECONDS, "run", specFile.toString(), outDir.toString());
            if (execution.exitCode() != 0) {
                throw new OracleException("vnetlab-oracle run failed (exit " + execution.exitCode() + "): "
                        + execution.output().strip() + tail(outDir.resolve("oracle.log")));
            }
            return OracleResult.read(outDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private OracleAvailability check() {
        if (!Files.isExecutable(script)) {
            return new OracleAvailability(false, "harness not found or not executable: " + script, Map.of());
        }
        Execution execution;
        try {
            execution = execute(60, "check");
        } catch (IOException | OracleException e) {
            return new OracleAvailability(false, "cannot run " + script + " check: " + e.getMessage(), Map.of());
        }
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : execution.output().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) facts.put(line.substring(0, eq), line.substring(eq + 1));
        }
        boolean ok = execution.exitCode() == 0 && "ok".equals(facts.get("status"));
        String reason = ok ? "" : facts.getOrDefault("reason", "check exited " + execution.exitCode() + ": " + execution.output().strip());
        return new OracleAvailability(ok, reason, facts);
    }

    private record Execution(int exitCode, String output) { }

    private Execution execute(long limitSeconds, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("vnetlab-oracle", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean finished = process.waitFor(limitSeconds, TimeUnit.SECONDS);
            if (!finished) {
                process.destroy(); // SIGTERM: the harness's trap removes its namespaces
                if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
                throw new OracleException("vnetlab-oracle " + args[0] + " did not finish within " + limitSeconds + " s: "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
            return new Execution(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OracleException("interrupted while running vnetlab-oracle", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) return "";
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return "\n--- " + log + " (last lines) ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }
}
