package org.vnetlab.scenarios.cli;

import java.util.concurrent.Callable;
import org.vnetlab.scenarios.script.BundledScenarios;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "scenarios", mixinStandardHelpOptions = true,
        description = "Lists the bundled scenarios; run one with 'vnetlab replay NAME'.")
final class ScenariosCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        int width = BundledScenarios.names().stream().mapToInt(String::length).max().orElse(0) + 2;
        for (String name : BundledScenarios.names()) {
            main.io().out().printf("%-" + width + "s%s%n", name, BundledScenarios.title(name));
        }
        return 0;
    }
}
