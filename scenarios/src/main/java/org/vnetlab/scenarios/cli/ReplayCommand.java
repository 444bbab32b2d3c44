package org.vnetlab.scenarios.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.scenarios.run.RunReport;
import org.vnetlab.scenarios.run.Runner;
import org.vnetlab.scenarios.run.Transcript;
import org.vnetlab.scenarios.run.WorldFactory;
import org.vnetlab.scenarios.script.Script;
import org.vnetlab.scenarios.script.ScriptParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Runs a scenario's steps and prints the transcript: each command as typed, its output as the real tool prints it, and each expectation marked passed (\u2714) or failed (\u2718).",
                "Exit status: 0 every expectation held, 1 one failed, 2 bad input (the error names FILE:LINE:COL)."})
final class ReplayCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Mixin
    Common common;

    @Parameters(paramLabel = "SCENARIO", description = "A scenario folder (holding scenario.vnl), a script file, or a bundled scenario's name.")
    String scenario;

    @Option(names = "--trace", description = "Print every packet's trace (hooks, rules tried, verdicts, NAT, routing) under the command that sent it.")
    boolean trace;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Write a pcapng capture of every link (one interface per link) to FILE.")
    Path pcap;

    @Override
    public Integer call() throws InputException {
        ScenarioArgument arg = ScenarioArgument.resolve(scenario);
        return replay(main.io(), arg, common, trace, Optional.ofNullable(pcap));
    }

    static int replay(Io io, ScenarioArgument arg, Common common, boolean trace, Optional<Path> pcap) throws InputException {
        Script script = ScriptParser.parse(arg.path(), arg.display());
        long seed = common.seedOr(script.seed().orElse(1));
        RunReport report = Runner.replay(script, io.worlds(), new WorldFactory.Options(seed, pcap), Transcript.to(io.out(), trace));
        return report.allHeld() ? 0 : 1;
    }
}
