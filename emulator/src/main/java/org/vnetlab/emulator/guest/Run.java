package org.vnetlab.emulator.guest;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.sim.Timer;

/**
 * One command in progress on a guest: where it prints, the outcomes it records, its timers. A command is
 * done once it calls {@link #finish}; the guest runs the lab's clock until then.
 */
final class Run {
    private final Guest guest;
    private final String label;
    private final StringBuilder out = new StringBuilder();
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<Timer> timers = new ArrayList<>();
    private final List<Runnable> cleanups = new ArrayList<>();
    private int exitStatus = -1;

    Run(Guest guest, String label) {
        this.guest = guest;
        this.label = label;
    }

    Guest guest() { return guest; }

    GuestNet net() { return guest.net(); }

    long now() { return guest.lab().now(); }

    void print(String text) {
        if (!done()) out.append(text);
    }

    void line(String text) {
        print(text + "\n"); // line ends as \n on both families: scenario text stays comparable
    }

    void line() { line(""); }

    void outcome(Outcome o) {
        if (!done()) outcomes.add(o);
    }

    List<Outcome> outcomes() { return outcomes; }

    /** Runs {@code action} {@code delayNanos} from now, unless the command has finished by then. */
    Timer after(long delayNanos, String what, Runnable action) {
        Timer t = guest.lab().scheduler().schedule(delayNanos, guest.path() + ": " + label + ": " + what, () -> {
            if (!done()) action.run();
        });
        timers.add(t);
        return t;
    }

    /** Registers something to undo when the command finishes (close a socket). */
    void onFinish(Runnable cleanup) { cleanups.add(cleanup); }

    void finish(int status) {
        if (done()) return;
        exitStatus = status;
        for (Timer t : timers) t.cancel();
        for (Runnable r : cleanups) r.run();
    }

    boolean done() { return exitStatus >= 0; }

    CommandResult result(String commandLine) {
        String text = out.toString();
        return new CommandResult(commandLine, exitStatus, text, outcomes.isEmpty() ? List.of(new Outcome.Shown()) : outcomes);
    }
}
