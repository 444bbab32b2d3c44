package org.vnetlab.emulator.fuzz;

/** One real input file a parser is tested with: where it comes from (for messages) and its text. */
public record BundledInput(String name, String text) {
    /** Lines as a user's editor counts them: a final newline does not start another line. */
    public int lineCount() {
        if (text.isEmpty()) return 0;
        int n = 1;
        for (int i = 0; i < text.length() - 1; i++) if (text.charAt(i) == '\n') n++;
        return n;
    }

    @Override
    public String toString() { return name; }
}
