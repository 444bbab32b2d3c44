package org.vnetlab.emulator.libvirt.driver;

/**
 * What one {@code virsh} invocation printed and returned: stdout (including the empty line virsh prints after
 * every command unless {@code --quiet}), stderr ({@code error: ...} lines) and the exit status (0 or 1).
 */
public record VirshResult(String commandLine, int exitStatus, String stdout, String stderr) {
    public boolean ok() { return exitStatus == 0; }

    /** stdout then stderr, as a terminal shows them for these commands. */
    public String text() { return stdout + stderr; }
}
