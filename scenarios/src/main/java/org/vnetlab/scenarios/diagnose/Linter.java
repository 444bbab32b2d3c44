package org.vnetlab.scenarios.diagnose;

import java.nio.file.Path;
import java.util.List;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.scenarios.script.Topology;

/** Reads a host dump and lists what is worth a look in it, independent of any probe. */
public interface Linter {
    List<Finding> lint(Topology topology, Path folder) throws InputException;

    Linter NONE = (t, f) -> List.of();
}
