package org.vnetlab.scenarios.run;

import java.io.PrintStream;
import java.util.List;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.scenarios.expect.Expectation;
import org.vnetlab.scenarios.script.SourcePos;

/**
 * Writes a run as the terminal sessions would have looked: the prompt and command, the tool's output as
 * the real tool formats it, then one verdict line per checked step. Notes become comments. Packet traces
 * (with {@code --trace}) are indented under the command that caused them.
 */
public final class Transcript {
    public static final String PASS = "\u2714";
    public static final String FAIL = "\u2718";

    private final StringBuilder buffer;
    private final PrintStream out;
    private final boolean traces;

    private Transcript(StringBuilder buffer, PrintStream out, boolean traces) {
        this.buffer = buffer;
        this.out = out;
        this.traces = traces;
    }

    /** A transcript written to a stream as the run goes. */
    public static Transcript to(PrintStream out, boolean traces) { return new Transcript(null, out, traces); }

    /** A transcript kept in memory (tests, golden files). */
    public static Transcript inMemory(boolean traces) { return new Transcript(new StringBuilder(), null, traces); }

    public String text() {
        if (buffer == null) throw new IllegalStateException("this transcript is written to a stream");
        return buffer.toString();
    }

    private void write(String s) {
        if (buffer != null) buffer.append(s);
        else out.print(s);
    }

    private boolean inNote;

    private void line(String s) { write(s + "\n"); }

    public void header(String title, String file, long seed) {
        line("# " + title);
        line("# " + file + ", seed " + seed);
    }

    /** A note; consecutive notes form one paragraph. */
    public void note(String text) {
        if (!inNote) line("");
        for (String l : text.split("\n")) line("# " + l);
        inNote = true;
    }

    public void waited(String duration) {
        inNote = false;
        line("");
        line("# ... " + duration + " pass");
    }

    public void command(String prompt, String typed) {
        inNote = false;
        line("");
        line(prompt + typed);
    }

    /** Output exactly as the tool printed it; a missing final newline is added so the next line starts clean. */
    public void output(String text) {
        if (text.isEmpty()) return;
        write(text.endsWith("\n") ? text : text + "\n");
    }

    public void traces(List<Trace> list) {
        if (!traces) return;
        for (Trace t : list) {
            for (String l : t.render().split("\n")) line("  | " + l);
        }
    }

    public void verdict(Expectation.Check check, SourcePos at) {
        if (check.passed()) line(PASS + " expected " + check.expected());
        else line(FAIL + " expected " + check.expected() + ", got " + check.got() + "  (" + at.file() + ":" + at.line() + ")");
    }

    public void summary(RunReport report) {
        line("");
        int n = report.steps().size();
        line("# " + n + (n == 1 ? " step: " : " steps: ") + report.passed() + " passed, " + report.failed() + " failed, "
                + report.unchecked() + " without expectation");
        for (StepReport f : report.failures()) {
            SourcePos p = f.step().pos();
            line("# " + FAIL + " " + p.file() + ":" + p.line() + " on " + f.step().node() + ": " + f.step().command().typed());
        }
    }

    public void flush() {
        if (out != null) out.flush();
    }
}
