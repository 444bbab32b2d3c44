package org.vnetlab.scenarios.diagnose;

/**
 * A minimal JSON writer for the report (objects, arrays, strings, numbers, booleans), so the product needs
 * no JSON library. Output is compact with one element per line at the top levels, stable field order.
 */
final class Json {
    private final StringBuilder sb = new StringBuilder();
    private boolean needComma;

    Json beginObject() { value(); sb.append('{'); needComma = false; return this; }
    Json endObject() { sb.append('}'); needComma = true; return this; }
    Json beginArray() { value(); sb.append('['); needComma = false; return this; }
    Json endArray() { sb.append(']'); needComma = true; return this; }

    Json name(String name) {
        if (needComma) sb.append(',');
        string(name);
        sb.append(':');
        needComma = false;
        return this;
    }

    Json value(String s) { value(); string(s); needComma = true; return this; }
    Json value(long n) { value(); sb.append(n); needComma = true; return this; }
    Json value(boolean b) { value(); sb.append(b); needComma = true; return this; }

    /** A line break between elements, for readability of long arrays; JSON ignores it. */
    Json newline() {
        if (needComma) {
            sb.append(',');
            needComma = false;
        }
        sb.append('\n');
        return this;
    }

    private void value() {
        if (needComma) sb.append(',');
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() { return sb.toString(); }
}
