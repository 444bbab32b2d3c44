package org.vnetlab.protocols;

/**
 * The one checked exception a decoder may raise: malformed bytes, named by layer, field, offset and reason,
 * so that a dropped packet can be explained and counted rather than crash the emulator.
 */
public final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String layer;
    private final String field;
    private final int offset;
    private final String reason;

    public ParseException(String layer, String field, int offset, String reason) {
        super(layer + ": " + field + " at offset " + offset + ": " + reason);
        this.layer = layer;
        this.field = field;
        this.offset = offset;
        this.reason = reason;
    }

    public String layer() { return layer; }
    public String field() { return field; }
    public int offset() { return offset; }
    public String reason() { return reason; }

    /** Thrown when fewer bytes remain than a field needs. */
    public static ParseException truncated(String layer, String field, int offset, int needed, int available) {
        return new ParseException(layer, field, offset, "truncated: needs " + needed + " bytes, " + available + " available");
    }
}
