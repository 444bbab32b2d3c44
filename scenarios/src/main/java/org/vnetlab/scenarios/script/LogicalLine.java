package org.vnetlab.scenarios.script;

import java.util.List;

/**
 * One statement's text after joining backslash continuations, with the map back to the physical lines so
 * that any offset in the joined text names its own line and column.
 */
public record LogicalLine(String text, List<Segment> segments) {

    /** Text from {@code offset} on in the joined line came from {@code start}. */
    public record Segment(int offset, SourcePos start) {}

    public LogicalLine {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) throw new IllegalArgumentException("a logical line needs one segment");
    }

    public static LogicalLine single(String text, SourcePos start) {
        return new LogicalLine(text, List.of(new Segment(0, start)));
    }

    /** Where the character at {@code offset} of the joined text was written. */
    public SourcePos at(int offset) {
        Segment found = segments.get(0);
        for (Segment s : segments) {
            if (s.offset() <= offset) found = s;
            else break;
        }
        return found.start().plus(offset - found.offset());
    }

    /** The part {@code [from, to)}, keeping the position map. */
    public LogicalLine slice(int from, int to) {
        List<Segment> out = new java.util.ArrayList<>();
        out.add(new Segment(0, at(from)));
        for (Segment s : segments) {
            if (s.offset() > from && s.offset() < to) out.add(new Segment(s.offset() - from, s.start()));
        }
        return new LogicalLine(text.substring(from, to), out);
    }
}
