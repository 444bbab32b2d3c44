package org.vnetlab.scenarios.run;

import java.util.Optional;

/**
 * A command a node's model does not know or cannot run as written: an unknown program, an unsupported
 * option, a bad argument. The runner turns it into an error naming the scenario file, line and column of
 * the offending word; the emulator is never asked to guess.
 */
public final class CommandRejected extends Exception {
    private static final long serialVersionUID = 1L;

    /** The whole command (no single word is at fault). */
    public static final int WHOLE_COMMAND = -1;
    /** The file named by the output redirection. */
    public static final int REDIRECT_TARGET = -2;

    private final int argument;
    private final String problem;
    private final String hint;

    /**
     * @param argument index into the command's argv of the offending word, or {@link #WHOLE_COMMAND}, {@link
     *     #REDIRECT_TARGET}
     */
    public CommandRejected(int argument, String problem, String hint) {
        super(problem);
        this.argument = argument;
        this.problem = problem;
        this.hint = hint;
    }

    public CommandRejected(int argument, String problem) { this(argument, problem, null); }

    public int argument() { return argument; }
    public String problem() { return problem; }
    public Optional<String> hint() { return Optional.ofNullable(hint); }
}
