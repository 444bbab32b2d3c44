package org.vnetlab.scenarios.expect;

/**
 * A malformed expectation: the offset of the offending token within the expectation text, the token, the
 * problem and a hint. The scenario parser turns it into an {@code InputException} with file, line, column.
 */
public final class ExpectationSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int offset;
    private final String token;
    private final String problem;
    private final String hint;

    public ExpectationSyntaxException(int offset, String token, String problem, String hint) {
        super(problem + (token == null ? "" : " near '" + token + "'"));
        this.offset = offset;
        this.token = token;
        this.problem = problem;
        this.hint = hint;
    }

    public int offset() { return offset; }
    public String token() { return token; }
    public String problem() { return problem; }
    public String hint() { return hint; }
}
