package org.vnetlab.emulator.guest;

/**
 * A parsed command ready to run. Parsing (the constructor or factory) refuses bad arguments with a
 * {@link CommandException} before anything is sent; {@link #start} then prints, sends and schedules, and
 * eventually calls {@link Run#finish}.
 */
interface Command {
    void start(Run run);
}
