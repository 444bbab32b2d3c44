package org.vnetlab.scenarios.run;

import java.nio.file.Path;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.scenarios.script.Topology;

/** Builds worlds: the real emulator in the product, scripted fakes in tests. */
public interface WorldFactory {

    /**
     * Builds the network a topology describes. Dump files are read from {@code folder} (the scenario
     * folder, also the working directory for relative file arguments of commands); bad dump contents are
     * reported as {@link InputException} naming the dump file and line.
     */
    World start(Topology topology, Path folder, Options options) throws InputException;

    /** Run-wide settings: the seed of every random choice, and where to write the capture. */
    record Options(long seed, Optional<Path> pcap) {
        public static Options seed(long seed) { return new Options(seed, Optional.empty()); }
    }
}
