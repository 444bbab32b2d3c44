package org.vnetlab.scenarios.script;

import java.util.List;

/**
 * A step's command as typed (possibly several commands joined with {@code &&}, {@code ||} or {@code ;}),
 * with the source positions of its text so that any word can be named by file, line and column.
 */
public record CommandLine(LogicalLine source, List<Part> parts) {

    /** How a command is joined to the one before it. */
    public enum Connector {
        FIRST(""), AND("&&"), OR("||"), SEQUENCE(";");

        private final String text;

        Connector(String text) { this.text = text; }

        public String text() { return text; }

        /** Whether the command runs, given the previous command's exit status. */
        public boolean runsAfter(int previousStatus) {
            return switch (this) {
                case FIRST, SEQUENCE -> true;
                case AND -> previousStatus == 0;
                case OR -> previousStatus != 0;
            };
        }
    }

    public record Part(Connector connector, Invocation invocation) {}

    public CommandLine {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) throw new IllegalArgumentException("a command line needs a command");
    }

    /** The command exactly as the user typed it (continuations joined). */
    public String typed() { return source.text(); }

    public SourcePos positionOf(Word w) { return source.at(w.offset()); }
}
