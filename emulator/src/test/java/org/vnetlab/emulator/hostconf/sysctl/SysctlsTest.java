package org.vnetlab.emulator.hostconf.sysctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SysctlsTest {
    private static Sysctls host() {
        return Sysctls.kernelDefaults(List.of("enp3s0", "virbr0"), true).withDevicePinned("enp3s0").withDevicePinned("virbr0");
    }

    private static Sysctls written(Sysctls s, String key, String value) {
        SysctlWrite w = s.write(key, value);
        assertThat(w).isInstanceOf(SysctlWrite.Written.class);
        return ((SysctlWrite.Written) w).state();
    }

    @Test
    void ipForwardTurnsOnForwardingEverywhereAndOffRedirects() {
        SysctlWrite w = host().write("net.ipv4.ip_forward", "1");
        SysctlWrite.Written ok = (SysctlWrite.Written) w;
        assertThat(ok.changed()).containsExactly("net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding",
                "net.ipv4.conf.all.accept_redirects", "net.ipv4.conf.default.forwarding", "net.ipv4.conf.lo.forwarding",
                "net.ipv4.conf.enp3s0.forwarding", "net.ipv4.conf.virbr0.forwarding");
        assertThat(ok.state().forwarding("virbr0")).isTrue();
        assertThat(ok.state().intValue("net.ipv4.conf.all.accept_redirects")).isZero();
    }

    @Test
    void writingTheSameForwardValueChangesNothingElse() {
        Sysctls s = written(host(), "net.ipv4.conf.virbr0.forwarding", "1");
        SysctlWrite.Written ok = (SysctlWrite.Written) s.write("net.ipv4.ip_forward", "0");
        assertThat(ok.changed()).containsExactly("net.ipv4.ip_forward");
        assertThat(ok.state().forwarding("virbr0")).as("untouched: ip_forward did not change").isTrue();
    }

    @Test
    void defaultRpFilterReachesOnlyInterfacesWithoutAddresses() {
        Sysctls s = host().withDevice("vnet0");
        s = written(s, "net.ipv4.conf.default.rp_filter", "2");
        assertThat(s.intValue("net.ipv4.conf.vnet0.rp_filter")).isEqualTo(2);
        assertThat(s.intValue("net.ipv4.conf.virbr0.rp_filter")).isZero();
        assertThat(s.effective("rp_filter", "virbr0")).isZero();
        s = written(s, "net.ipv4.conf.all.rp_filter", "1");
        assertThat(s.effective("rp_filter", "virbr0")).as("max(all, dev)").isEqualTo(1);
        assertThat(s.effective("rp_filter", "vnet0")).isEqualTo(2);
    }

    @Test
    void newInterfaceCopiesDefault() {
        Sysctls s = written(host(), "net.ipv4.conf.default.forwarding", "1").withDevice("vnet0");
        assertThat(s.forwarding("vnet0")).isTrue();
        assertThat(s.forwarding("virbr0")).isFalse();
    }

    @Test
    void orAndAndCombineAllWithTheInterface() {
        Sysctls s = written(host(), "net.ipv4.conf.all.route_localnet", "1");
        assertThat(s.effective("route_localnet", "virbr0")).isEqualTo(1);
        assertThat(s.effective("accept_source_route", "virbr0")).as("all=0 AND dev=1").isZero();
        assertThat(s.effective("accept_redirects", "virbr0")).isEqualTo(1);
        Sysctls fwd = written(s, "net.ipv4.ip_forward", "1");
        assertThat(fwd.effective("accept_redirects", "virbr0")).as("forwarding: all AND dev").isZero();
    }

    @Test
    void invalidValuesAndUnknownKeysAreRefusedLikeTheKernel() {
        assertThat(host().write("net.ipv4.ip_default_ttl", "256")).isInstanceOfSatisfying(SysctlWrite.Refused.class,
                r -> assertThat(r.message()).isEqualTo("setting key \"net.ipv4.ip_default_ttl\": Invalid argument"));
        assertThat(host().write("net.ipv4.ip_fwd", "1")).isInstanceOfSatisfying(SysctlWrite.Refused.class,
                r -> assertThat(r.message()).isEqualTo("cannot stat /proc/sys/net/ipv4/ip_fwd: No such file or directory"));
        assertThat(host().write("net.ipv4.conf.eth9.rp_filter", "1")).isInstanceOf(SysctlWrite.Refused.class);
        assertThat(host().write("net.ipv4.ip_local_port_range", "40000 30000")).isInstanceOf(SysctlWrite.Refused.class);
    }

    @Test
    void kernelIntegerSyntax() {
        assertThat(written(host(), "net.ipv4.ip_default_ttl", "0x40").intValue("net.ipv4.ip_default_ttl")).isEqualTo(64);
        assertThat(written(host(), "net.ipv4.ip_default_ttl", "010").intValue("net.ipv4.ip_default_ttl")).isEqualTo(8);
        assertThat(written(host(), "net.ipv4.ip_default_ttl", " 7 8").intValue("net.ipv4.ip_default_ttl")).isEqualTo(7);
        assertThat(host().write("net.ipv4.ip_default_ttl", "+7")).isInstanceOf(SysctlWrite.Refused.class);
        assertThat(host().write("net.ipv4.ip_default_ttl", "09")).isInstanceOf(SysctlWrite.Refused.class);
        assertThat(host().write("net.ipv4.ip_forward", "4294967296")).isInstanceOf(SysctlWrite.Refused.class);
        assertThat(host().write("net.ipv4.ip_forward", "")).isInstanceOf(SysctlWrite.Refused.class);
    }

    @Test
    void portRangeSingleValueMovesTheLowEnd() {
        Sysctls s = written(host(), "net.ipv4.ip_local_port_range", "40000");
        assertThat(s.get("net.ipv4.ip_local_port_range")).contains("40000\t60999");
        assertThat(host().write("net.ipv4.ip_local_port_range", "61000")).isInstanceOf(SysctlWrite.Refused.class);
    }

    @Test
    void keysNotEmulatedAreKeptAsWritten() {
        Sysctls s = written(Sysctls.empty(), "vm.swappiness", "10");
        assertThat(s.get("vm.swappiness")).contains("10");
    }

    @Test
    void slashAndDottedSpellingsAreOneKey() {
        Sysctls s = Sysctls.empty().with("net/ipv4/conf/eth0.100/rp_filter", "1");
        assertThat(s.keys()).containsExactly("net.ipv4.conf.eth0/100.rp_filter");
        assertThat(s.devices()).containsExactly("eth0.100");
        assertThat(SysctlKeys.procPath("net.ipv4.conf.eth0/100.rp_filter")).isEqualTo("/proc/sys/net/ipv4/conf/eth0.100/rp_filter");
    }
}
