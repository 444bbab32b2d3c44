package org.vnetlab.emulator.input;

import java.util.Optional;

/**
 * Bad user input (a config dump, a ruleset, a command line, a scenario): names the file, line, column and
 * offending token, with a hint when the mistake is a common one. Loading that raised it changed nothing.
 *
 * <p>Printed form, one line: {@code FILE:LINE:COLUMN: MESSAGE near 'TOKEN' (hint: HINT)}; line and column
 * are 1-based, 0 when unknown. A token longer than {@value #SHOWN_TOKEN_CHARS} characters is shortened in the
 * message (a pasted megabyte would otherwise become the message); {@link #token()} keeps it whole.
 */
public final class InputException extends Exception {
    private static final long serialVersionUID = 1L;
    static final int SHOWN_TOKEN_CHARS = 120;

    private final String file;
    private final int line;
    private final int column;
    private final String token;
    private final String problem;
    private final String hint;

    public InputException(String file, int line, int column, String token, String problem, String hint) {
        super(format(file, line, column, token, problem, hint));
        this.file = file;
        this.line = line;
        this.column = column;
        this.token = token;
        this.problem = problem;
        this.hint = hint;
    }

    public InputException(String file, int line, int column, String token, String problem) {
        this(file, line, column, token, problem, null);
    }

    public String file() { return file; }
    public int line() { return line; }
    public int column() { return column; }
    /** The offending token as written, or null when the problem is not a single token (e.g. a missing COMMIT). */
    public String token() { return token; }
    public String problem() { return problem; }
    public Optional<String> hint() { return Optional.ofNullable(hint); }

    private static String format(String file, int line, int column, String token, String problem, String hint) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<input>" : file).append(':').append(line).append(':').append(column).append(": ");
        sb.append(problem);
        if (token != null && token.length() > SHOWN_TOKEN_CHARS) {
            sb.append(" near '").append(token, 0, SHOWN_TOKEN_CHARS).append("...' (").append(token.length()).append(" characters)");
        } else if (token != null) {
            sb.append(" near '").append(token).append('\'');
        }
        if (hint != null) sb.append(" (hint: ").append(hint).append(')');
        return sb.toString();
    }
}
