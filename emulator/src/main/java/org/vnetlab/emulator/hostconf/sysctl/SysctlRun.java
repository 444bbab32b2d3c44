package org.vnetlab.emulator.hostconf.sysctl;

/** One emulated {@code sysctl} invocation: the state after it, what it printed, and its exit status. */
public record SysctlRun(Sysctls state, String stdout, String stderr, int exitStatus) {}
