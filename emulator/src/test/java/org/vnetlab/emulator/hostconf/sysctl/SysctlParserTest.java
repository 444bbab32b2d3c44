package org.vnetlab.emulator.hostconf.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.hostconf.Fixtures;
import org.vnetlab.emulator.input.InputException;

class SysctlParserTest {
    @Test
    void readsTheArticlesSysctlConf() throws InputException {
        SysctlConf conf = SysctlParser.parseConf("/etc/sysctl.conf", Fixtures.articleBlock("vm.swappiness=10"));
        assertThat(conf.settings()).containsExactly(
                new SysctlSetting("vm.swappiness", Optional.of("10"), false, 1),
                new SysctlSetting("net.ipv4.ip_forward", Optional.of("1"), false, 2));
    }

    @Test
    void applyingTheArticlesConfTurnsOnForwardingAndKeepsSwappiness() throws InputException {
        Sysctls host = Sysctls.kernelDefaults(List.of("enp3s0", "virbr0"), true);
        SysctlRun run = SysctlCommand.loadChecked(host, "/etc/sysctl.conf", Fixtures.read("sysctl/article-sysctl.conf"));
        assertThat(run.stdout()).isEqualTo("vm.swappiness = 10\nnet.ipv4.ip_forward = 1\n");
        assertThat(run.exitStatus()).isZero();
        assertThat(run.state().forwarding("virbr0")).isTrue();
        assertThat(run.state().get("vm.swappiness")).contains("10");
        assertThat(run.state().unknownKeys()).isEmpty();
    }

    @Test
    void readsARealDumpWithTabsAndEmptyValues() throws InputException {
        Sysctls s = SysctlParser.parseDump("sysctl-a.txt", Fixtures.read("sysctl/oracle-sysctl-a.txt"));
        assertThat(s.keys()).hasSizeGreaterThan(1000);
        assertThat(s.get("net.ipv4.ip_local_port_range")).contains("32768\t60999");
        assertThat(s.get("net.ipv4.ip_local_reserved_ports")).contains("");
        assertThat(s.intValue("net.ipv4.ip_forward")).isZero();
        assertThat(s.devices()).containsExactly("eth0g", "lo", "virbr0", "vnet0");
    }

    @Test
    void printsARealDumpBackExactly() throws InputException {
        String text = Fixtures.read("sysctl/oracle-sysctl-a.txt");
        Sysctls s = SysctlParser.parseDump("sysctl-a.txt", text);
        assertThat(SysctlCommand.run(s, List.of("-a"), Map.of()).stdout()).isEqualTo(text);
    }

    @Test
    void multiLineValuesComeAsRepeatedKeys() throws InputException {
        Sysctls s = SysctlParser.parseDump("sysctl-a.txt", Fixtures.read("sysctl/oracle-sysctl-a.txt"));
        assertThat(s.get("kernel.core_modes")).contains("file\npipe\nsocket");
    }

    @Test
    void notesStderrLinesPastedWithTheDump() throws InputException {
        Sysctls s = SysctlParser.parseDump("sysctl-a.txt", """
                $ sysctl -a 2>&1
                sysctl: permission denied on key 'fs.protected_fifos'
                net.ipv4.ip_forward = 1
                sysctl: reading key "net.ipv6.conf.all.stable_secret"
                """);
        assertThat(s.keys()).containsExactly("net.ipv4.ip_forward");
        assertThat(s.noted()).extracting(n -> n.line()).containsExactly(1, 2, 4);
    }

    @Test
    void confLinesInADumpAreAnErrorWithAHint() {
        assertThatThrownBy(() -> SysctlParser.parseDump("sysctl.txt", "net.ipv4.ip_forward = 1\nnet.ipv4.ip_forward=1\n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(1);
                    assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("sysctl.conf"));
                });
    }

    @Test
    void duplicateKeyInADumpIsAnError() {
        assertThatThrownBy(() -> SysctlParser.parseDump("sysctl.txt",
                "net.ipv4.ip_forward = 1\nvm.swappiness = 60\nnet.ipv4.ip_forward = 0\n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.problem()).contains("first on line 1");
                });
    }

    @Test
    void readsSystemdStyleFiles() throws InputException {
        SysctlConf conf = SysctlParser.parseConf("50-default.conf", Fixtures.read("sysctl/s.conf"));
        assertThat(conf.settings()).hasSize(4);
        assertThat(conf.settings().get(1).isGlob()).isTrue();
        assertThat(conf.settings().get(2).isExclusion()).isTrue();
        assertThat(conf.settings().get(2).key()).isEqualTo("net.ipv4.conf.all.rp_filter");
        assertThat(conf.settings().get(3).ignoreFailure()).isTrue();
        assertThat(conf.settings().get(3).value()).contains("0 2147483647");
    }

    @Test
    void confCommentsBlankLinesAndSpacesAroundEquals() throws InputException {
        SysctlConf conf = SysctlParser.parseConf("p.conf", Fixtures.read("sysctl/p.conf").replace("badline\n", ""));
        assertThat(conf.settings()).extracting(SysctlSetting::key).containsExactly("net.ipv4.ip_default_ttl",
                "net.ipv4.ip_fwd", "net.ipv4.nope", "net.ipv4.conf.all.rp_filter", "net.ipv4.ip_local_port_range",
                "net.ipv4.ip_default_ttl", "net.ipv4.icmp_ratelimit");
        assertThat(conf.settings().get(4).value()).contains("30000   40000");
    }

    @Test
    void confLineWithoutEqualsIsAnErrorWhereProcpsWouldSkipIt() {
        assertThatThrownBy(() -> SysctlParser.parseConf("p.conf", Fixtures.read("sysctl/p.conf")))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.getMessage()).startsWith("p.conf:9:1: not a 'key = value' setting near 'badline'");
                    assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("invalid syntax"));
                });
    }

    @Test
    void keyWithBlanksIsAnError() {
        assertThatThrownBy(() -> SysctlParser.parseConf("x.conf", "  net.ipv4 ip_forward = 1\n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(3);
                });
    }
}
