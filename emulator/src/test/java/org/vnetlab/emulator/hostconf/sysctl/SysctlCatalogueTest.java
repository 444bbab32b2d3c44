package org.vnetlab.emulator.hostconf.sysctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.hostconf.Fixtures;
import org.vnetlab.emulator.hostconf.sysctl.SysctlCatalogue.Kind;
import org.vnetlab.emulator.input.InputException;

class SysctlCatalogueTest {
    private static Sysctls freshNamespace() throws InputException {
        return SysctlParser.parseDump("sysctl-a", Fixtures.read("sysctl/oracle-sysctl-a.txt"));
    }

    @Test
    void everyEmulatedDefaultIsWhatAFreshLinux618NamespaceShows() throws InputException {
        Sysctls real = freshNamespace();
        Sysctls emulated = Sysctls.kernelDefaults(List.of("virbr0", "vnet0", "eth0g"), true);
        assertThat(emulated.keys()).isNotEmpty();
        for (Map.Entry<String, String> e : emulated.asMap().entrySet()) {
            assertThat(real.get(e.getKey())).as(e.getKey()).contains(e.getValue());
        }
        // and every emulated key the namespace has is produced
        for (String k : real.keys()) {
            if (SysctlCatalogue.classify(k) == Kind.EMULATED) assertThat(emulated.has(k)).as(k).isTrue();
        }
    }

    @Test
    void everyKeyOfARealDumpIsKnown() throws InputException {
        assertThat(freshNamespace().unknownKeys()).isEmpty();
    }

    @Test
    void classifiesEmulatedKeptAndUnknownKeys() {
        assertThat(SysctlCatalogue.classify("net.ipv4.ip_forward")).isEqualTo(Kind.EMULATED);
        assertThat(SysctlCatalogue.classify("net.ipv4.conf.virbr0.rp_filter")).isEqualTo(Kind.EMULATED);
        assertThat(SysctlCatalogue.classify("net.bridge.bridge-nf-call-iptables")).isEqualTo(Kind.EMULATED);
        assertThat(SysctlCatalogue.classify("vm.swappiness")).isEqualTo(Kind.KERNEL);
        assertThat(SysctlCatalogue.classify("net.ipv4.tcp_syncookies")).isEqualTo(Kind.KERNEL);
        assertThat(SysctlCatalogue.classify("net.ipv4.neigh.virbr0.gc_stale_time")).isEqualTo(Kind.KERNEL);
        assertThat(SysctlCatalogue.classify("net.ipv4.ip_fwd")).isEqualTo(Kind.UNKNOWN);
        assertThat(SysctlCatalogue.classify("net.ipv4.tcp_tw_recycle")).as("removed in Linux 4.12").isEqualTo(Kind.UNKNOWN);
        assertThat(SysctlCatalogue.classify("net.netfilter.nf_conntrack_helper")).as("removed in Linux 6.0").isEqualTo(Kind.UNKNOWN);
    }

    @Test
    void bridgeKeysExistOnlyWithBrNetfilter() {
        assertThat(Sysctls.kernelDefaults(List.of(), false).brNetfilterLoaded()).isFalse();
        assertThat(Sysctls.kernelDefaults(List.of(), false).has("net.bridge.bridge-nf-call-iptables")).isFalse();
        Sysctls loaded = Sysctls.kernelDefaults(List.of(), true);
        assertThat(loaded.brNetfilterLoaded()).isTrue();
        assertThat(loaded.intValue("net.bridge.bridge-nf-call-iptables")).isEqualTo(1);
        assertThat(Sysctls.kernelDefaults(List.of(), false).write("net.bridge.bridge-nf-call-iptables", "1"))
                .isInstanceOf(SysctlWrite.Refused.class);
    }

    @Test
    void everySpecHasANote() {
        assertThat(SysctlCatalogue.specs()).allMatch(s -> !s.note().isBlank());
    }
}
