package org.vnetlab.scenarios.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every bundled scenario's script is well formed, names files that exist, and checks something. Whether
 * its expectations hold is for the emulator to show (see ScenarioFolderTests).
 */
class BundledScriptsParseTest {

    @Test
    void theIndexListsTheArticleAndTheSevenCauses() {
        assertThat(BundledScenarios.names()).containsExactly("article", "ip-forward-off", "masquerade-missing",
                "docker-forward-drop", "docker-nftables-libvirt", "docker-bridged-guests", "dns-stub-resolver", "guest-static-outside-subnet");
    }

    @TestFactory
    Stream<DynamicTest> everyBundledScriptParses() {
        return BundledScenarios.names().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path folder = BundledScenarios.folder(name).orElseThrow();
            Script s = ScriptParser.parse(folder, name);
            assertThat(s.title()).isPresent();
            assertThat(s.steps()).isNotEmpty();
            assertThat(s.steps().stream().filter(st -> st.expectation().isPresent())).hasSizeGreaterThan(3);
            assertThat(folder.resolve(s.topology().dump().orElseThrow())).isDirectory();
            for (Statement.Step st : s.steps()) {
                for (Word w : st.command().parts().get(0).invocation().words()) {
                    if (w.value().startsWith("fixes/")) assertThat(Files.isRegularFile(folder.resolve(w.value()))).as(w.value()).isTrue();
                }
            }
        }));
    }
}
