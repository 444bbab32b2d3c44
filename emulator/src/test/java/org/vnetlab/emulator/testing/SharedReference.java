package org.vnetlab.emulator.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The read-only reference folder {@code shared/} (real captures, libvirt data, the article), found the same
 * way by every test of this module.
 *
 * <p>Surefire sets {@code vnetlab.shared} to {@code shared/} beside the checkout, which is right in CI and in
 * the main checkout. A git worktree sits deeper, so when that folder has no {@code ref/} the nearest
 * {@code shared/ref} above {@code vnetlab.root} is used instead. Nothing found fails loudly, naming both.
 */
public final class SharedReference {
    private SharedReference() {}

    /** The {@code shared/} folder itself. */
    public static Path root() {
        Path configured = Path.of(System.getProperty("vnetlab.shared", "../../shared")).toAbsolutePath().normalize();
        if (Files.isDirectory(configured.resolve("ref"))) return configured;
        Path start = Path.of(System.getProperty("vnetlab.root", ".")).toAbsolutePath().normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared");
            if (Files.isDirectory(candidate.resolve("ref"))) return candidate;
        }
        throw new IllegalStateException("reference folder shared/ not found: neither " + configured
                + " nor any shared/ref above " + start + " exists (run from the repository root, or set -Dvnetlab.shared)");
    }

    /** A path below {@code shared/}, e.g. {@code ref/captures/article/dhcp.pcap}. */
    public static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
