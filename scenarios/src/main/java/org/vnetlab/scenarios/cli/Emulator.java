package org.vnetlab.scenarios.cli;

import org.vnetlab.emulator.input.InputException;
import org.vnetlab.scenarios.diagnose.Linter;
import org.vnetlab.scenarios.run.WorldFactory;

/** The product's binding of the commands to the emulator. */
final class Emulator {
    private Emulator() {}

    static WorldFactory worlds() {
        return (topology, folder, options) -> {
            throw new InputException(folder.toString(), 0, 0, null,
                    "this build of vnetlab cannot emulate yet: the emulator world is not wired in", null);
        };
    }

    static Linter linter() { return Linter.NONE; }
}
