package org.vnetlab.scenarios.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.scenarios.script.BundledScenarios;

/** A SCENARIO argument: a folder, a script file, or the name of a bundled scenario. */
record ScenarioArgument(Path path, String display) {

    static ScenarioArgument resolve(String arg) throws InputException {
        Path p = Path.of(arg);
        if (Files.exists(p)) return new ScenarioArgument(p, arg);
        Optional<Path> bundled = BundledScenarios.folder(arg);
        if (bundled.isPresent()) return new ScenarioArgument(bundled.get(), arg);
        throw new InputException(arg, 0, 0, null, "no such scenario folder, script or bundled scenario",
                "'vnetlab scenarios' lists the bundled ones");
    }
}
