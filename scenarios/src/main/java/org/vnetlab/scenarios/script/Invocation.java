package org.vnetlab.scenarios.script;

import java.util.List;
import java.util.Optional;

/**
 * One simple command of a step, as a shell would see it: its words (a leading {@code sudo} removed: the
 * emulated nodes run everything as root), where its standard input comes from and where its output goes.
 * Word offsets are relative to the step's command text.
 */
public record Invocation(List<Word> words, Optional<Stdin> stdin, Optional<Redirect> stdout, boolean sudo) {
    public Invocation {
        words = List.copyOf(words);
        if (words.isEmpty()) throw new IllegalArgumentException("an invocation needs a word");
    }

    /** The argument vector: word values after quote removal. */
    public List<String> argv() { return words.stream().map(Word::value).toList(); }

    public String program() { return words.get(0).value(); }

    /** Standard input of a command. */
    public sealed interface Stdin {
        /** Lines written after {@code <<MARK} up to the line {@code MARK}. */
        record HereDoc(String marker, String body) implements Stdin {}

        /** {@code < PATH}: a file of the scenario folder (the session's working directory). */
        record FromFile(String path, Word word) implements Stdin {}
    }

    /** {@code > PATH} or {@code >> PATH}: output written to a file of the node. */
    public record Redirect(String path, boolean append, Word word) {}
}
