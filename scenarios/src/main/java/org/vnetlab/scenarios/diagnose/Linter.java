package org.vnetlab.scenarios.diagnose;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.scenarios.dump.DumpedGuest;
import org.vnetlab.scenarios.script.Topology;

/** Reads a host dump and lists what is worth a look in it, independent of any probe. */
public interface Linter {
    List<Finding> lint(Topology topology, Path folder) throws InputException;

    /** A guest's own network settings in the dump (its ipconfig /all or ip addr), for the probes to take on. */
    default Optional<DumpedGuest> guest(Topology topology, Path folder) throws InputException {
        return Optional.empty();
    }

    Linter NONE = (t, f) -> List.of();
}
