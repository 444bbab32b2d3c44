package org.vnetlab.emulator.hostconf.sysctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The glob keys of a sysctl.d file, read as glob(3)/fnmatch read them, whatever the user wrote. */
class SysctlGlobTest {
    final Sysctls state = Sysctls.of(Map.of(
            "net.ipv4.conf.all.rp_filter", "2", "net.ipv4.conf.eth0.rp_filter", "2",
            "net.ipv4.conf.eth1.rp_filter", "2", "net.ipv4.conf.lo.rp_filter", "0"), List.of());

    @Test
    void starAndQuestionMarkStayInsideOneComponent() {
        assertThat(SysctlCommand.glob(state, "net.ipv4.conf.*.rp_filter")).hasSize(4);
        assertThat(SysctlCommand.glob(state, "net.ipv4.conf.eth?.rp_filter")).hasSize(2);
        assertThat(SysctlCommand.glob(state, "net.*.rp_filter")).isEmpty();
    }

    @Test
    void bracketSetsRangesAndNegation() {
        assertThat(SysctlCommand.glob(state, "net.ipv4.conf.eth[0].rp_filter")).containsExactly("net.ipv4.conf.eth0.rp_filter");
        assertThat(SysctlCommand.glob(state, "net.ipv4.conf.eth[0-9].rp_filter")).hasSize(2);
        assertThat(SysctlCommand.glob(state, "net.ipv4.conf.eth[!0].rp_filter")).containsExactly("net.ipv4.conf.eth1.rp_filter");
        assertThat(SysctlCommand.glob(state, "net.ipv4.conf.eth[9-0].rp_filter")).isEmpty();
    }

    @Test
    void anUnclosedBracketIsAnOrdinaryCharacterNotAnError() {
        // found by mutating s.conf: 'net.ipv4.conf.[all.rp_filter' made the regex compiler throw
        assertThat(SysctlCommand.glob(state, "net.ipv4.conf.[all.rp_filter")).isEmpty();
        assertThat(SysctlCommand.globRegex("a[b")).isEqualTo("\\Qa\\E\\Q[\\E\\Qb\\E");
    }
}
