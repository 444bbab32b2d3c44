package org.vnetlab.emulator.guest;

/**
 * A command line a guest cannot run: an unknown command or option, a missing or malformed argument, or a
 * feature the emulation does not have. {@code token} is the word at fault; {@code userText} is what the real
 * program would print, when it is known (else the problem itself is printed).
 */
public final class CommandException extends Exception {
    private final String token;
    private final String userText;
    private final int exitStatus;

    public CommandException(String token, String problem) {
        this(token, problem, null, 1);
    }

    public CommandException(String token, String problem, String userText, int exitStatus) {
        super(problem + " (near '" + token + "')");
        this.token = token;
        this.userText = userText;
        this.exitStatus = exitStatus;
    }

    public String token() { return token; }

    public String problem() {
        String m = getMessage();
        return m.substring(0, m.lastIndexOf(" (near '"));
    }

    /** What the guest prints: the real program's text when known, else our explanation naming the token. */
    public String userText() {
        return userText != null ? userText : "vnetlab: " + getMessage() + "\n";
    }

    public int exitStatus() { return exitStatus; }
}
