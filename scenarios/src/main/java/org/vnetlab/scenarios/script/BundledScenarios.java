package org.vnetlab.scenarios.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scenarios shipped inside vnetlab, as folders under {@value #ROOT} on the class path, listed in
 * {@value #INDEX} in the order {@code vnetlab scenarios} shows them. Inside the jar they are read through
 * a zip file system, so the same code reads them from the jar and from the build tree.
 */
public final class BundledScenarios {
    public static final String ROOT = "org/vnetlab/scenarios/bundled";
    public static final String INDEX = "index.txt";

    private BundledScenarios() {}

    /** Names in the order of the index. */
    public static List<String> names() {
        try (InputStream in = BundledScenarios.class.getClassLoader().getResourceAsStream(ROOT + "/" + INDEX)) {
            if (in == null) return List.of();
            List<String> out = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String t = l.strip();
                if (!t.isEmpty() && !t.startsWith("#")) out.add(t);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder of a bundled scenario, if there is one of that name. */
    public static Optional<Path> folder(String name) {
        if (!names().contains(name)) return Optional.empty();
        URL url = BundledScenarios.class.getClassLoader().getResource(ROOT + "/" + name + "/" + ScriptParser.SCRIPT_FILE);
        if (url == null) return Optional.empty();
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) return Optional.of(extract(jarPath(uri).getParent(), name));
            return Optional.of(Path.of(uri).getParent());
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open bundled scenario " + name + ": " + e.getMessage(), e);
        }
    }

    /** The title line of a bundled scenario's script, for listings. */
    public static String title(String name) {
        return folder(name).flatMap(f -> {
            try {
                for (String l : java.nio.file.Files.readAllLines(f.resolve(ScriptParser.SCRIPT_FILE))) {
                    String t = l.strip();
                    if (t.startsWith("title ")) return Optional.of(t.substring(6).strip());
                }
                return Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }).orElse("");
    }

    /**
     * Copies a scenario folder out of the jar into a temporary folder (removed when the JVM exits): the dump
     * loader reads files as a real file system offers them (no symbolic links followed), which a jar's zip
     * file system cannot.
     */
    private static Path extract(Path inJar, String name) throws IOException {
        Path target = java.nio.file.Files.createTempDirectory("vnetlab-" + name + "-");
        List<Path> created = new ArrayList<>();
        try (java.util.stream.Stream<Path> s = java.nio.file.Files.walk(inJar)) {
            for (Path p : s.toList()) {
                Path to = target.resolve(inJar.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) java.nio.file.Files.createDirectories(to);
                else java.nio.file.Files.copy(p, to);
                created.add(to);
            }
        }
        target.toFile().deleteOnExit();
        for (Path p : created) p.toFile().deleteOnExit();
        return target.resolve(".").normalize();
    }

    private static Path jarPath(URI uri) throws IOException {
        String s = uri.toString();
        int sep = s.indexOf("!/");
        URI jar = URI.create(s.substring(0, sep));
        FileSystem fs;
        try {
            // the jar's file system stays open for the life of the process: bundled paths stay valid
            fs = FileSystems.newFileSystem(jar, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            fs = FileSystems.getFileSystem(jar);
        }
        return fs.getPath(s.substring(sep + 1));
    }
}
