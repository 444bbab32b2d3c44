package org.vnetlab.emulator.nftables;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** A rule: its handle (unique in its table), statements in order, and an optional comment. */
public record NftRule(long handle, List<Stmt> statements, Optional<String> comment) {
    public NftRule {
        statements = List.copyOf(statements);
    }

    /** The rule as {@code nft list} prints it (no indentation, no handle). */
    public String text(Family family) {
        String s = statements.stream().map(st -> st.text(family)).collect(Collectors.joining(" "));
        if (comment.isPresent()) s = (s.isEmpty() ? "" : s + " ") + "comment \"" + comment.get() + "\"";
        return s;
    }

    public NftRule withHandle(long h) { return new NftRule(h, statements, comment); }
}
