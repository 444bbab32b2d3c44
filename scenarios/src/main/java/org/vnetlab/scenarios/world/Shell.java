package org.vnetlab.scenarios.world;

import org.vnetlab.scenarios.expect.Observed;

/** Helpers for what a command prints and returns. */
final class Shell {
    private Shell() {}

    static Observed ok(String stdout) { return new Observed(stdout, "", 0, java.util.List.of()); }

    static Observed fail(String stderr, int status) { return new Observed("", stderr.endsWith("\n") ? stderr : stderr + "\n", status, java.util.List.of()); }
}
