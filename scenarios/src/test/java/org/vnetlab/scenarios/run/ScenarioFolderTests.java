package org.vnetlab.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.vnetlab.scenarios.script.BundledScenarios;
import org.vnetlab.scenarios.script.Script;
import org.vnetlab.scenarios.script.ScriptParser;
import org.vnetlab.scenarios.world.EmulatorWorld;

/**
 * Every scenario folder is a test, run in the real emulator: the bundled scenarios and every folder under
 * src/test/resources/scenarios (add a folder, and mvn test runs it). A scenario passes when every
 * expectation holds; bundled ones must also reproduce their golden transcript (src/test/resources/golden),
 * and a test folder holding transcript.txt must reproduce it. {@code -Dvnetlab.updateGolden=true} rewrites them.
 */
class ScenarioFolderTests {

    @TestFactory
    Stream<DynamicTest> bundledScenarios() {
        return BundledScenarios.names().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path folder = BundledScenarios.folder(name).orElseThrow();
            String transcript = replay(folder, name);
            Golden.assertMatches(Golden.testResource("golden/" + name + ".txt"), transcript);
        }));
    }

    @TestFactory
    Stream<DynamicTest> testScenarioFolders() {
        Path root = Golden.testResource("scenarios");
        List<Path> folders = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> Files.isRegularFile(p.resolve(ScriptParser.SCRIPT_FILE))).sorted().forEach(folders::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(folders).as("scenario folders under " + root).isNotEmpty();
        return folders.stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> {
            String transcript = replay(folder, folder.getFileName().toString());
            Path golden = folder.resolve("transcript.txt");
            if (Files.exists(golden) || Boolean.getBoolean("vnetlab.updateGolden")) Golden.assertMatches(golden, transcript);
        }));
    }

    /** Replays a folder; fails with the transcript when an expectation does not hold. */
    static String replay(Path folder, String name) throws Exception {
        Script script = ScriptParser.parse(folder, name);
        Transcript t = Transcript.inMemory(false);
        RunReport r = Runner.replay(script, EmulatorWorld.factory(), WorldFactory.Options.seed(script.seed().orElse(1)), t);
        assertThat(r.failed()).as("failed steps; the transcript:\n" + t.text()).isZero();
        return t.text();
    }
}
