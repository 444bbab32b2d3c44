package org.vnetlab.scenarios.cli;

import picocli.CommandLine.Option;

/** Options every sub-command has. */
public final class Common {
    @Option(names = "--seed", paramLabel = "N", description = "Seed of every random choice (ports, DHCP xids); the same seed gives the same run. Default: the scenario's 'set seed', else 1.")
    Long seed;

    @Option(names = "--debug", description = "On an internal error, print the stack trace too.")
    boolean debug;

    long seedOr(long fallback) { return seed != null ? seed : fallback; }
}
