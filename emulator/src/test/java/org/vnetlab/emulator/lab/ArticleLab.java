package org.vnetlab.emulator.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.vnetlab.emulator.hostconf.HostDump;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.driver.LibvirtError;

/** The article's host from its dump files (test resources cut from the article). */
final class ArticleLab {
    private ArticleLab() {}

    static Path dumpFolder() {
        try {
            return Path.of(ArticleLab.class.getResource("/lab/article-host").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static HostDump dump() {
        try {
            return HostDump.load(dumpFolder());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InputException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static LibvirtHostLab build(long seed) {
        try {
            return LibvirtHostLab.fromDump(dump(), seed);
        } catch (InputException | LibvirtError e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
