package org.vnetlab.scenarios.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.scenarios.expect.Expectation;
import org.vnetlab.scenarios.expect.Observation;
import org.vnetlab.scenarios.expect.Observed;
import org.vnetlab.scenarios.script.CommandLine;
import org.vnetlab.scenarios.script.Invocation;
import org.vnetlab.scenarios.script.Script;
import org.vnetlab.scenarios.script.SourcePos;
import org.vnetlab.scenarios.script.Statement;
import org.vnetlab.scenarios.script.Word;

/**
 * Replays a script in a world. Every step is vetted before the first one runs (unknown nodes, commands,
 * options, missing input files are reported as {@link InputException} with file:line:column); then the
 * steps run in order, each checked against its expectation, and the transcript is written as they go.
 */
public final class Runner {
    private final Script script;
    private final World world;
    private final Transcript transcript;
    private final Map<String, World.Node> nodes = new HashMap<>();

    private Runner(Script script, World world, Transcript transcript) {
        this.script = script;
        this.world = world;
        this.transcript = transcript;
        for (World.Node n : world.nodes()) nodes.put(n.name(), n);
    }

    /** Builds the world, vets the script, runs it. The world is closed afterwards (the capture is written). */
    public static RunReport replay(Script script, WorldFactory factory, WorldFactory.Options options, Transcript transcript)
            throws InputException {
        try (World world = factory.start(script.topology(), script.folder(), options)) {
            transcript.header(script.title().orElse("scenario"), script.file(), options.seed());
            return run(script, world, transcript);
        }
    }

    /** Vets and runs the script in a world that is already built. */
    public static RunReport run(Script script, World world, Transcript transcript) throws InputException {
        Runner r = new Runner(script, world, transcript);
        List<List<World.Command>> prepared = r.vet();
        List<StepReport> reports = new ArrayList<>();
        int stepIndex = 0;
        for (Statement s : script.statements()) {
            if (s instanceof Statement.Note n) {
                transcript.note(n.text());
            } else if (s instanceof Statement.Wait w) {
                transcript.waited(w.written());
                world.advance(w.nanos());
            } else if (s instanceof Statement.Step step) {
                reports.add(r.step(step, prepared.get(stepIndex++)));
            }
        }
        RunReport report = new RunReport(reports);
        transcript.summary(report);
        transcript.flush();
        return report;
    }

    /** Every step's commands, checked by the world, with standard input files read: all or nothing. */
    private List<List<World.Command>> vet() throws InputException {
        List<List<World.Command>> out = new ArrayList<>();
        for (Statement.Step step : script.steps()) {
            if (!nodes.containsKey(step.node())) {
                throw step.pos().error(step.node(), "this world has no node '" + step.node() + "'");
            }
            List<World.Command> cmds = new ArrayList<>();
            for (CommandLine.Part part : step.command().parts()) {
                World.Command c = command(step.command(), part.invocation());
                try {
                    world.check(step.node(), c);
                } catch (CommandRejected e) {
                    throw rejected(step.command(), part.invocation(), e);
                }
                cmds.add(c);
            }
            out.add(cmds);
        }
        return out;
    }

    private World.Command command(CommandLine cl, Invocation inv) throws InputException {
        Optional<String> stdin = Optional.empty();
        if (inv.stdin().isPresent()) {
            Invocation.Stdin in = inv.stdin().get();
            if (in instanceof Invocation.Stdin.HereDoc h) {
                stdin = Optional.of(h.body());
            } else if (in instanceof Invocation.Stdin.FromFile f) {
                stdin = Optional.of(readScenarioFile(f.path(), cl.positionOf(f.word())));
            }
        }
        return new World.Command(inv.argv(), stdin, inv.stdout());
    }

    private String readScenarioFile(String rel, SourcePos at) throws InputException {
        Path p = script.folder().resolve(rel).normalize();
        if (!Files.isRegularFile(p)) throw at.error(rel, "no such file in the scenario folder", "input files are relative to the scenario folder");
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw at.error(rel, "cannot read: " + e.getMessage());
        }
    }

    private static InputException rejected(CommandLine cl, Invocation inv, CommandRejected e) {
        Word w;
        if (e.argument() == CommandRejected.REDIRECT_TARGET && inv.stdout().isPresent()) w = inv.stdout().get().word();
        else if (e.argument() >= 0 && e.argument() < inv.words().size()) w = inv.words().get(e.argument());
        else w = inv.words().get(0);
        SourcePos at = cl.positionOf(w);
        return at.error(w.raw(), e.problem(), e.hint().orElse(null));
    }

    private StepReport step(Statement.Step step, List<World.Command> commands) throws InputException {
        transcript.command(Prompt.of(nodes.get(step.node())), step.command().typed());
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        List<Observation> observations = new ArrayList<>();
        List<Trace> traces = new ArrayList<>();
        int status = 0;
        List<CommandLine.Part> parts = step.command().parts();
        for (int i = 0; i < parts.size(); i++) {
            if (!parts.get(i).connector().runsAfter(status)) continue;
            CommandOutcome o;
            try {
                o = world.run(step.node(), commands.get(i));
            } catch (CommandRejected e) {
                throw rejected(step.command(), parts.get(i).invocation(), e);
            }
            Observed ob = o.observed();
            // a terminal interleaves both streams; show them in the order a user would mostly see them
            transcript.output(ob.stdout());
            transcript.output(ob.stderr());
            transcript.traces(o.traces());
            stdout.append(ob.stdout());
            stderr.append(ob.stderr());
            observations.addAll(ob.observations());
            traces.addAll(o.traces());
            status = ob.exitStatus();
        }
        Observed all = new Observed(stdout.toString(), stderr.toString(), status, observations);
        Optional<Expectation.Check> check = step.expectation().map(e -> e.check(all));
        check.ifPresent(c -> transcript.verdict(c, step.pos()));
        return new StepReport(step, new CommandOutcome(all, traces), check);
    }
}
