package org.vnetlab.scenarios.expect;

import java.util.List;
import java.util.Optional;

/**
 * Everything a step's expectation can be checked against: the command's output streams and exit status
 * as the real tool would give them, and what the emulator observed about the network.
 */
public record Observed(String stdout, String stderr, int exitStatus, List<Observation> observations) {
    public Observed {
        observations = List.copyOf(observations);
    }

    public static Observed text(String stdout, int exitStatus) {
        return new Observed(stdout, "", exitStatus, List.of());
    }

    /** The last observation of a kind (a command that pings a name first resolves it, then probes). */
    public <T extends Observation> Optional<T> last(Class<T> kind) {
        for (int i = observations.size() - 1; i >= 0; i--) {
            if (kind.isInstance(observations.get(i))) return Optional.of(kind.cast(observations.get(i)));
        }
        return Optional.empty();
    }
}
