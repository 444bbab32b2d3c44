package org.vnetlab.scenarios.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vnetlab.emulator.input.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Replays the bundled 'article' scenario: the troubleshooting article vnetlab grew from, every command and fix it proposes, with what the emulator proves.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    Common common;

    @Option(names = "--trace", description = "Print every packet's trace.")
    boolean trace;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Write a pcapng capture of every link to FILE.")
    Path pcap;

    @Override
    public Integer call() throws InputException {
        return ReplayCommand.replay(main.io(), ScenarioArgument.resolve("article"), common, trace, Optional.ofNullable(pcap));
    }
}
