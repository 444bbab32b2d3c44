package org.vnetlab.scenarios.dump;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.vnetlab.emulator.hostconf.DumpedFile;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.scenarios.script.Topology;

/**
 * The guest-settings readers ({@link DumpedGuest}: Windows {@code ipconfig /all}, a Linux guest's {@code ip addr})
 * against mangled copies of the bundled guests' files, given as {@code guest-settings=}: the file is read as a
 * guest or refused with an error naming it, a line (0: the whole file) and a problem; never another exception.
 * A guest read has an address in the file and a prefix length of 0..32.
 */
class GuestSettingsProperties {
    static final String[] FILES = {
        "/org/vnetlab/scenarios/bundled/article/host/ipconfig-win10.txt",
        "/org/vnetlab/scenarios/bundled/guest-static-outside-subnet/host/vm-ip-addr.txt",
    };

    record Mangled(String name, String text) {}

    private static String read(String path) {
        try (InputStream in = GuestSettingsProperties.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalArgumentException("no resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Provide
    Arbitrary<Mangled> mangled() {
        Arbitrary<String> insert = Arbitraries.of("", "\n", " ", ":", ".", "/", "-", "\t", "\r", "\u0000", "\uFEFF", "(Preferred)",
                "255.255.255.256", "999.1.1.1", "/33", "/-1", "inet ", "inet6 ::1/128", "link/ether 52:54:00:zz:00:01", "master virbr0",
                "   IPv4 Address. . . . . . . . . . . : 10.0.0.5(Preferred)\n", "   Subnet Mask . . . . . . . . . . . : 255.0.255.0\n",
                "   DHCP Enabled. . . . . . . . . . . : Maybe\n", "Media disconnected", "2: eth0: <UP>", "4294967296", "é");
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 5000);
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 60);
        Arbitrary<Integer> repeat = Arbitraries.integers().between(1, 3);
        return Combinators.combine(Arbitraries.of(FILES), at, insert, cut, repeat).as((f, i, ins, c, n) -> {
            String text = read(f);
            for (int k = 0; k < n; k++) {
                int from = Math.min(Math.floorMod(i * (k + 1) * 7919, text.length() + 1), text.length());
                text = text.substring(0, from) + ins + text.substring(Math.min(text.length(), from + c));
            }
            return new Mangled(f.substring(f.lastIndexOf('/') + 1), text);
        });
    }

    @Property(tries = 400, seed = "71")
    void aMangledGuestFileIsReadOrRefusedWithItsName(@ForAll("mangled") Mangled m) {
        try {
            DumpedFile f = DumpReader.explicit(Topology.DumpPart.GUEST_SETTINGS, m.name(), m.text());
            Optional<DumpedGuest> g = DumpedGuest.named(f);
            if (g.isPresent()) {
                assertThat(g.get().prefixLength()).isBetween(0, 32);
                assertThat(g.get().line()).isBetween(1, (int) m.text().lines().count() + 1);
                assertThat(m.text()).contains(g.get().address().toString());
            }
            Statistics.collect(g.isPresent() ? "guest read" : "no guest in it");
        } catch (InputException e) {
            assertThat(e.file()).isEqualTo(m.name());
            assertThat(e.line()).isNotNegative();
            assertThat(e.column()).isNotNegative();
            assertThat(e.problem()).isNotBlank();
            Statistics.collect("refused");
        }
    }
}
