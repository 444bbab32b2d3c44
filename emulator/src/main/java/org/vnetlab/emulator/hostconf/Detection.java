package org.vnetlab.emulator.hostconf;

import java.util.List;

/** What {@link HostDumpFile#detect} concluded about one file's content. */
public sealed interface Detection {
    /** How sure: HIGH when a format's own signature is there, MEDIUM when most lines fit and the rest are noted. */
    enum Confidence { HIGH, MEDIUM }

    /** Why: which lines or signature decided it. */
    String explanation();

    record Recognised(DumpKind kind, Confidence confidence, String explanation) implements Detection {}

    /** Several kinds fit equally (e.g. a file of comments only); the user has to say. */
    record Ambiguous(List<DumpKind> candidates, String explanation) implements Detection {
        public Ambiguous {
            candidates = List.copyOf(candidates);
        }
    }

    record Unknown(String explanation) implements Detection {}
}
