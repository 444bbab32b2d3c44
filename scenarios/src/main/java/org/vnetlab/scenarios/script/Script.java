package org.vnetlab.scenarios.script;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed scenario: where it lives (the folder relative paths resolve against), its title, the seed it
 * asks for, the topology and the statements in order (includes already expanded).
 */
public record Script(String file, Path folder, Optional<String> title, OptionalLong seed, Topology topology,
                     List<Statement> statements) {
    public Script {
        statements = List.copyOf(statements);
    }

    public List<Statement.Step> steps() {
        return statements.stream().filter(s -> s instanceof Statement.Step).map(s -> (Statement.Step) s).toList();
    }
}
