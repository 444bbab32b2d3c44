package org.vnetlab.emulator.dnsmasq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** libvirt's own test data under shared/ref/libvirt. */
final class ReferenceFiles {
    private ReferenceFiles() {}

    static String libvirt(String path) {
        try {
            return Files.readString(ReferenceFrames.shared().resolve("ref/libvirt").resolve(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
