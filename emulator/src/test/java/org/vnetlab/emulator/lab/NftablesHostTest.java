package org.vnetlab.emulator.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetlab.emulator.guest.CommandResult;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.hostconf.HostDump;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.driver.DaemonConfig;
import org.vnetlab.emulator.libvirt.driver.FirewallBackend;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.MacAddress;

/**
 * A host whose libvirt uses its nftables backend (network.conf {@code firewall_backend = "nftables"}, libvirt
 * 10.4+): net-start installs {@code table ip libvirt_network} with the very commands libvirt runs, so that
 * {@code nft list ruleset} is what the real nft printed for them (nftables/libvirt/nat-default.golden, recorded
 * with nft 1.0.6); the guests' traffic is masqueraded by nft on the one netfilter; net-destroy deletes the
 * network's rules by the handles nft echoed and leaves libvirt's table and chains (libvirt 10.x does).
 */
class NftablesHostTest {
    static final MacAddress GUEST_MAC = MacAddress.parse("52:54:00:aa:bb:01");

    static String resource(String name) {
        try {
            return Files.readString(Path.of(NftablesHostTest.class.getResource("/" + name).toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static LibvirtHostLab nftHost(long seed) throws Exception {
        return LibvirtHostLab.builder(seed).daemonConfig(DaemonConfig.defaults().withFirewallBackend(FirewallBackend.NFTABLES)).build();
    }

    static Guest bootedGuest(LibvirtHostLab lab) throws Exception {
        Guest g = lab.addGuest("guest", OsProfile.debian("guest"), GUEST_MAC);
        lab.runFor(SimTime.seconds(30));
        assertThat(g.lease()).as("DHCP through libvirt's nft network").isPresent();
        return g;
    }

    /** libvirt's table once base.nftables ran and the network's rules are gone again. */
    static final String CHAINS_ONLY = """
            table ip libvirt_network {
            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		counter packets 0 bytes 0 jump guest_cross
            		counter packets 0 bytes 0 jump guest_input
            		counter packets 0 bytes 0 jump guest_output
            	}

            	chain guest_output {
            	}

            	chain guest_input {
            	}

            	chain guest_cross {
            	}

            	chain guest_nat {
            		type nat hook postrouting priority srcnat; policy accept;
            	}
            }
            """;

    @Test
    void netStartInstallsLibvirtsTableByteForByteAsTheRealNftListsIt() throws Exception {
        LibvirtHostLab lab = nftHost(1);

        assertThat(lab.host().nft(List.of("nft", "list", "ruleset"))).isEqualTo(resource("nftables/libvirt/nat-default.golden"));
        assertThat(lab.host().iptablesSave()).as("the nftables backend leaves iptables alone").doesNotContain("LIBVIRT");

        // stopped and started again by hand: the same listing (new handles, same rules)
        assertThat(lab.virsh("virsh net-destroy default").ok()).isTrue();
        assertThat(lab.virsh("virsh net-start default").ok()).isTrue();
        assertThat(lab.host().nft(List.of("list", "ruleset"))).isEqualTo(resource("nftables/libvirt/nat-default.golden"));
    }

    @Test
    void aGuestReachesTheInternetMasqueradedByNft() throws Exception {
        LibvirtHostLab lab = nftHost(2);
        Guest g = bootedGuest(lab);
        int before = lab.traces().size();

        CommandResult ping = g.run("ping -c 1 8.8.8.8");

        assertThat(ping.succeeded()).as(ping.output()).isTrue();
        List<Trace> traces = lab.traces().subList(before, lab.traces().size());
        assertThat(traces.get(0).steps()).anySatisfy(s -> {
            assertThat(s).isInstanceOf(TraceStep.Verdict.class);
            assertThat(((TraceStep.Verdict) s).ref()).startsWith("ip libvirt_network guest_nat #5 (handle ");
            assertThat(((TraceStep.Verdict) s).verdict()).isEqualTo("masquerade");
        });
        assertThat(lab.host().conntrackList()).contains("icmp     1").contains("dst=192.168.0.10");
        assertThat(lab.host().nft(List.of("list", "chain", "ip", "libvirt_network", "guest_output")))
                .contains("ip saddr 192.168.122.0/24 iif \"virbr0\" counter packets 1 bytes 84 accept");
    }

    @Test
    void netDestroyDeletesTheNetworksRulesAndKeepsLibvirtsTable() throws Exception {
        LibvirtHostLab lab = nftHost(3);

        assertThat(lab.virsh("virsh net-destroy default").ok()).isTrue();

        assertThat(lab.host().nft(List.of("list", "table", "ip", "libvirt_network"))).isEqualTo(CHAINS_ONLY);
        assertThat(lab.host().nftables().history()).contains(
                "nft delete rule ip libvirt_network guest_nat handle 18", "nft delete rule ip libvirt_network guest_output handle 9");
    }

    @Test
    void nftCommandsAreOneTransactionAndChangeWhatPacketsMeet() throws Exception {
        LibvirtHostLab lab = nftHost(4);
        Guest g = bootedGuest(lab);
        String before = lab.host().nft(List.of("list", "ruleset"));
        lab.host().writeFile("/tmp/bad.nft", """
                insert rule ip libvirt_network guest_output ip daddr 8.8.8.8 drop
                add rule ip libvirt_network nosuch accept
                """);

        assertThatThrownBy(() -> lab.host().nft(List.of("-f", "/tmp/bad.nft"))).isInstanceOf(InputException.class)
                .hasMessageContaining("/tmp/bad.nft:2:").hasMessageContaining("chain nosuch does not exist");
        assertThat(lab.host().nft(List.of("list", "ruleset"))).as("nothing of the file was applied").isEqualTo(before);
        assertThat(g.run("ping -c 1 8.8.8.8").succeeded()).isTrue();

        assertThat(lab.host().nft(List.of("-ae", "insert", "rule", "ip", "libvirt_network", "guest_output", "ip", "daddr", "8.8.8.8", "drop")))
                .isEqualTo("insert rule ip libvirt_network guest_output ip daddr 8.8.8.8 drop # handle 19\n");
        assertThat(g.run("ping -c 1 -W 1 8.8.8.8").succeeded()).isFalse();
        assertThat(lab.traces().get(lab.traces().size() - 1).steps()).contains(
                new TraceStep.Verdict("ip libvirt_network guest_output #1 (handle 19)", "drop"));

        lab.host().nft(List.of("delete", "rule", "ip", "libvirt_network", "guest_output", "handle", "19"));
        assertThat(g.run("ping -c 1 8.8.8.8").succeeded()).isTrue();
    }

    static LibvirtHostLab dockerHost(Path dir, long seed) throws Exception {
        Files.writeString(dir.resolve("iptables-save.txt"), resource("nftables/docker-breaks-libvirt/docker.iptables"));
        Files.writeString(dir.resolve("nft-ruleset.txt"), resource("nftables/docker-breaks-libvirt/host-nft-list-ruleset.txt"));
        Files.writeString(dir.resolve("network.conf"), "# libvirt 10.4\nfirewall_backend = \"nftables\"\n");
        return LibvirtHostLab.fromDump(HostDump.load(dir), seed);
    }

    @Test
    void dockersForwardPolicyDropsTheGuestsPacketsUntilDockerUserAcceptsThem(@TempDir Path dir) throws Exception {
        LibvirtHostLab lab = dockerHost(dir, 5);
        Guest g = bootedGuest(lab);

        assertThat(g.run("ping -c 1 -W 1 8.8.8.8").succeeded()).isFalse();
        Trace dropped = lab.traces().get(lab.traces().size() - 1);
        assertThat(dropped.steps()).contains(new TraceStep.Verdict("ip libvirt_network guest_output #1 (handle 9)", "accept"));
        assertThat(dropped.steps()).anySatisfy(s -> assertThat(s).isEqualTo(new TraceStep.PolicyApplied("filter:FORWARD", "DROP")));
        assertThat(lab.host().firewallReport().render()).contains("""
                forward:
                  1. nft ip libvirt_network forward, filter priority filter, policy accept
                  2. iptables-nft filter FORWARD, priority 0, policy DROP
                """);

        lab.host().iptables("iptables -I DOCKER-USER -i virbr0 -j ACCEPT");
        lab.host().iptables("iptables -I DOCKER-USER -o virbr0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");

        assertThat(g.run("ping -c 1 8.8.8.8").succeeded()).isTrue();
        assertThat(lab.host().firewallReport().render()).as("a rule change re-registers no hook")
                .contains("1. nft ip libvirt_network forward");
        assertThat(lab.host().packetFilter().netfilter().chains(org.vnetlab.emulator.netfilter.Hook.FORWARD).get(0).name())
                .isEqualTo("nft ip libvirt_network forward");
    }

    @Test
    void nftListRulesetShowsAnIptablesInsertAtOnce(@TempDir Path dir) throws Exception {
        LibvirtHostLab lab = dockerHost(dir, 7);

        lab.host().iptables("iptables -I FORWARD -i virbr0 -o virbr0 -j ACCEPT");

        // iptables-nft's table keeps its place (handle 2, before libvirt's) and the new rule is FORWARD's first,
        // with the table's next handle after the dump's objects
        String listing = lab.host().nft(List.of("-a", "list", "table", "ip", "filter"));
        assertThat(listing).startsWith("table ip filter { # handle 2\n")
                .contains("\t\ttype filter hook forward priority filter; policy drop;\n"
                        + "\t\tiifname \"virbr0\" oifname \"virbr0\" counter packets 0 bytes 0 accept # handle ")
                .contains("\t\tcounter packets 0 bytes 0 jump DOCKER-USER # handle ");
        assertThat(lab.host().nft(List.of("list", "ruleset"))).contains("iifname \"virbr0\" oifname \"virbr0\" counter packets 0 bytes 0 accept\n");
    }

    @Test
    void iptablesNftTablesAreChangedWithIptablesNotNft(@TempDir Path dir) throws Exception {
        LibvirtHostLab lab = dockerHost(dir, 6);

        assertThatThrownBy(() -> lab.host().nft(List.of("insert", "rule", "ip", "filter", "DOCKER-USER", "iifname", "virbr0", "accept")))
                .isInstanceOf(InputException.class).hasMessageContaining("table ip filter is managed by iptables-nft")
                .hasMessageContaining("change it with iptables");
        assertThatThrownBy(() -> lab.host().nft(List.of("flush", "ruleset"))).isInstanceOf(InputException.class)
                .hasMessageContaining("would also delete ip nat, ip filter");
    }

    @Test
    void netDestroyOfANetworkTakenOverFromTheDumpFindsItsRulesInTheTable(@TempDir Path dir) throws Exception {
        LibvirtHostLab lab = dockerHost(dir, 7);

        assertThat(lab.virsh("virsh net-destroy default").ok()).isTrue();

        assertThat(lab.host().nft(List.of("list", "table", "ip", "libvirt_network"))).isEqualTo(CHAINS_ONLY);
        assertThat(lab.virsh("virsh net-start default").ok()).isTrue();
        assertThat(lab.host().nft(List.of("list", "table", "ip", "libvirt_network")))
                .contains("oif \"virbr0\" ip daddr 192.168.122.0/24 ct state established,related counter packets 0 bytes 0 accept");
    }
}
