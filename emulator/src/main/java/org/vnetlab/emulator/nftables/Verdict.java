package org.vnetlab.emulator.nftables;

import java.util.Optional;

/** A verdict: accept, drop, continue, return, or jump/goto a chain of the same table. */
public record Verdict(Kind kind, Optional<String> chain) {
    public enum Kind { ACCEPT, DROP, CONTINUE, RETURN, JUMP, GOTO }

    public Verdict {
        if ((kind == Kind.JUMP || kind == Kind.GOTO) != chain.isPresent()) {
            throw new IllegalArgumentException("jump and goto (only) name a chain");
        }
    }

    public static Verdict of(Kind kind) { return new Verdict(kind, Optional.empty()); }

    public static Verdict jump(String chain) { return new Verdict(Kind.JUMP, Optional.of(chain)); }

    public static Verdict goTo(String chain) { return new Verdict(Kind.GOTO, Optional.of(chain)); }

    public String text() { return kind.name().toLowerCase() + chain.map(c -> " " + c).orElse(""); }

    @Override
    public String toString() { return text(); }
}
