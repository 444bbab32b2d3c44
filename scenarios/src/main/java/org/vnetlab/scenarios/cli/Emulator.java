package org.vnetlab.scenarios.cli;

import org.vnetlab.scenarios.diagnose.Linter;
import org.vnetlab.scenarios.run.WorldFactory;
import org.vnetlab.scenarios.world.EmulatorWorld;

/** The product's binding of the commands to the emulator. */
final class Emulator {
    private Emulator() {}

    static WorldFactory worlds() { return EmulatorWorld.factory(); }

    static Linter linter() { return new org.vnetlab.scenarios.diagnose.DumpLint(); }
}
