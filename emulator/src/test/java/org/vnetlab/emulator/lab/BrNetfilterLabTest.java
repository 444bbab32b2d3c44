package org.vnetlab.emulator.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetlab.emulator.guest.CommandResult;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.hostconf.HostDump;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.MacAddress;

/**
 * br_netfilter on the lab's libvirt bridges: with the module loaded and bridge-nf-call-iptables = 1, IPv4 that
 * one guest sends another across virbr0 (it never leaves the bridge) runs iptables' PREROUTING, FORWARD and
 * POSTROUTING with in = out = virbr0 and the two taps as physdev ports, so a FORWARD policy DROP (Docker's)
 * drops it unless a rule accepts it. The dump says whether the module is loaded: its keys exist only then.
 */
class BrNetfilterLabTest {
    static final MacAddress A = MacAddress.parse("52:54:00:aa:bb:01");
    static final MacAddress B = MacAddress.parse("52:54:00:aa:bb:02");
    static final String BRIDGE_KEYS = """
            net.bridge.bridge-nf-call-arptables = 1
            net.bridge.bridge-nf-call-ip6tables = 1
            net.bridge.bridge-nf-call-iptables = 1
            net.bridge.bridge-nf-filter-pppoe-tagged = 0
            net.bridge.bridge-nf-filter-vlan-tagged = 0
            net.bridge.bridge-nf-pass-vlan-input-dev = 0
            """;

    /**
     * Docker (iptables-nft, FORWARD policy DROP) beside libvirt's nftables backend, with the two rules Docker's
     * "Docker on a router" page gives for routed traffic already in DOCKER-USER; {@code sysctl} is the dump's
     * sysctl -a (null: none).
     */
    static LibvirtHostLab dockerHost(Path dir, long seed, String sysctl) throws Exception {
        Files.writeString(dir.resolve("iptables-save.txt"), NftablesHostTest.resource("nftables/docker-breaks-libvirt/docker.iptables"));
        Files.writeString(dir.resolve("nft-ruleset.txt"), NftablesHostTest.resource("nftables/docker-breaks-libvirt/host-nft-list-ruleset.txt"));
        Files.writeString(dir.resolve("network.conf"), "# libvirt 10.4\nfirewall_backend = \"nftables\"\n");
        if (sysctl != null) Files.writeString(dir.resolve("sysctl.txt"), sysctl);
        LibvirtHostLab lab = LibvirtHostLab.fromDump(HostDump.load(dir), seed);
        lab.host().iptables("iptables -I DOCKER-USER -i virbr0 -o enp3s0 -j ACCEPT");
        lab.host().iptables("iptables -I DOCKER-USER -i enp3s0 -o virbr0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        return lab;
    }

    static Guest[] twoGuests(LibvirtHostLab lab) throws Exception {
        Guest a = lab.addGuest("a", OsProfile.debian("a"), A);
        Guest b = lab.addGuest("b", OsProfile.debian("b"), B);
        lab.runFor(SimTime.seconds(30));
        assertThat(a.lease()).isPresent();
        assertThat(b.lease()).isPresent();
        return new Guest[] {a, b};
    }

    static String addressOf(Guest g) { return g.lease().orElseThrow().address().toString(); }

    static List<Trace> since(LibvirtHostLab lab, int from) { return lab.traces().subList(from, lab.traces().size()); }

    static boolean bridged(Trace t) {
        return t.steps().stream().anyMatch(s -> s instanceof TraceStep.HookEntered h && h.packet().contains("physout="));
    }

    @Test
    void withoutTheModuleGuestToGuestTrafficNeverMeetsIptables(@TempDir Path dir) throws Exception {
        LibvirtHostLab lab = dockerHost(dir, 1, "net.ipv4.ip_forward = 1\n");
        Guest[] g = twoGuests(lab);
        int before = lab.traces().size();

        CommandResult ping = g[0].run("ping -c 1 -W 1 " + addressOf(g[1]));

        assertThat(lab.host().brNetfilter().loaded()).isFalse();
        assertThat(ping.succeeded()).as(ping.output()).isTrue();
        assertThat(since(lab, before)).noneMatch(BrNetfilterLabTest::bridged);
        assertThat(lab.assumptions()).noneMatch(a -> a.contains("br_netfilter"));
    }

    @Test
    void withTheModuleDockersForwardPolicyDropsTheBridgedPing(@TempDir Path dir) throws Exception {
        LibvirtHostLab lab = dockerHost(dir, 2, "net.ipv4.ip_forward = 1\n" + BRIDGE_KEYS);
        Guest[] g = twoGuests(lab);
        int before = lab.traces().size();

        CommandResult ping = g[0].run("ping -c 1 -W 1 " + addressOf(g[1]));

        assertThat(ping.succeeded()).as(ping.output()).isFalse();
        Trace echo = since(lab, before).stream().filter(BrNetfilterLabTest::bridged).findFirst().orElseThrow();
        assertThat(echo.steps()).anySatisfy(s -> assertThat(s.render())
                .startsWith("hook FORWARD: icmp src=" + addressOf(g[0]) + " dst=" + addressOf(g[1]))
                .endsWith("in=virbr0 out=virbr0 physin=vnet0 physout=vnet1"));
        assertThat(echo.steps()).as("libvirt's table accepts guest-to-guest, which ends only its own chain")
                .anySatisfy(s -> assertThat(s.render()).contains("ip libvirt_network guest_cross #1").contains("verdict accept"));
        assertThat(echo.steps()).contains(new TraceStep.PolicyApplied("filter:FORWARD", "DROP"));
        assertThat(echo.steps().get(echo.steps().size() - 1).render()).contains("bridged frame FORWARD: dropped");

        // the fix: accept what the bridge forwards, before Docker's chains decide
        lab.host().iptables("iptables -I DOCKER-USER -m physdev --physdev-is-bridged -j ACCEPT");
        int fixed = lab.traces().size();
        assertThat(g[0].run("ping -c 1 -W 1 " + addressOf(g[1])).succeeded()).isTrue();
        assertThat(since(lab, fixed)).filteredOn(BrNetfilterLabTest::bridged).hasSize(2) // echo and reply
                .allSatisfy(t -> assertThat(t.steps()).anySatisfy(s -> assertThat(s.render()).contains("filter:DOCKER-USER #1").contains("verdict ACCEPT")));
    }

    @Test
    void switchingBridgeNfCallIptablesOffLetsTheBridgeForwardUnseen(@TempDir Path dir) throws Exception {
        LibvirtHostLab lab = dockerHost(dir, 3, "net.ipv4.ip_forward = 1\n" + BRIDGE_KEYS);
        Guest[] g = twoGuests(lab);
        assertThat(g[0].run("ping -c 1 -W 1 " + addressOf(g[1])).succeeded()).isFalse();

        lab.host().brNetfilter().setCallIptables(false);

        int before = lab.traces().size();
        assertThat(g[0].run("ping -c 1 -W 1 " + addressOf(g[1])).succeeded()).isTrue();
        assertThat(since(lab, before)).noneMatch(BrNetfilterLabTest::bridged);
        assertThat(lab.host().brNetfilter().loaded()).isTrue();
    }

    @Test
    void aDumpWithoutSysctlButWithDockersChainsIsAssumedToHaveTheModuleLoaded(@TempDir Path dir) throws Exception {
        LibvirtHostLab lab = dockerHost(dir, 4, null);

        assertThat(lab.host().brNetfilter().active()).isTrue();
        assertThat(lab.assumptions()).anySatisfy(a -> assertThat(a).startsWith("br_netfilter loaded, net.bridge.bridge-nf-call-iptables = 1")
                .contains("Docker"));
    }

    @Test
    void theModuleLoadedWithCallIptablesZeroInTheDumpIsOff(@TempDir Path dir) throws Exception {
        LibvirtHostLab lab = dockerHost(dir, 5, "net.ipv4.ip_forward = 1\n" + BRIDGE_KEYS.replace("call-iptables = 1", "call-iptables = 0"));

        assertThat(lab.host().brNetfilter().loaded()).isTrue();
        assertThat(lab.host().brNetfilter().active()).isFalse();
        assertThat(lab.assumptions()).noneMatch(a -> a.contains("bridge-nf-call-iptables"));
    }

    /**
     * libvirt's iptables backend puts LIBVIRT_FWX's {@code -i virbr0 -o virbr0 -j ACCEPT} ahead of anything
     * in FORWARD, so with it even a FORWARD policy DROP lets bridged guest-to-guest through; and traffic the host
     * routes (guest to the internet) is not bridged between ports: it meets PREROUTING once, in the host's IP
     * layer (the kernel's br_nf_pre_routing runs it there for such frames and ip_sabotage_in skips the second
     * run), and is masqueraded as usual.
     */
    @Test
    void withLibvirtsIptablesRulesBridgedTrafficIsAcceptedAndRoutedTrafficSeesPreroutingOnce() throws Exception {
        LibvirtHostLab lab = LibvirtHostLab.builder(6).brNetfilter(BrNetfilter.Initial.LOADED).build();
        lab.host().iptables("iptables -P FORWARD DROP");
        Guest[] g = twoGuests(lab);

        int before = lab.traces().size();
        assertThat(g[0].run("ping -c 1 -W 1 " + addressOf(g[1])).succeeded()).isTrue();
        assertThat(since(lab, before)).filteredOn(BrNetfilterLabTest::bridged).hasSize(2)
                .allSatisfy(t -> assertThat(t.steps()).anySatisfy(s -> assertThat(s.render()).contains("filter:LIBVIRT_FWX #1").contains("verdict ACCEPT")));

        int routed = lab.traces().size();
        assertThat(g[0].run("ping -c 1 8.8.8.8").succeeded()).isTrue();
        Trace out = since(lab, routed).stream().filter(t -> t.steps().get(0).render().contains("dst=8.8.8.8")).findFirst().orElseThrow();
        assertThat(out.steps()).filteredOn(s -> s instanceof TraceStep.HookEntered h && h.hook().equals("PREROUTING")).hasSize(1);
        assertThat(out.steps()).anySatisfy(s -> assertThat(s.render()).contains("MASQUERADE"));
        assertThat(since(lab, routed)).noneMatch(BrNetfilterLabTest::bridged);
    }
}
