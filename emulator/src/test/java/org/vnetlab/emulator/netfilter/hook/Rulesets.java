package org.vnetlab.emulator.netfilter.hook;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;

/** Rulesets for the engine's specs, read from iptables-save text with the real parser. */
final class Rulesets {
    private Rulesets() {}

    /** The article's two iptables-save blocks (test resource netfilter/article.rules, verbatim from the article). */
    static Ruleset article() {
        return parse(resource("/netfilter/article.rules"), "article.rules");
    }

    /** iptables-save text; a mistake in a spec's ruleset is a broken test, so it is rethrown unchecked. */
    static Ruleset parse(String text) {
        return parse(text, "<spec>");
    }

    private static Ruleset parse(String text, String name) {
        try {
            return IptablesSaveParser.parse(text, name).ruleset();
        } catch (InputException e) {
            throw new IllegalArgumentException("test ruleset does not load: " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = Rulesets.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalArgumentException("no test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
