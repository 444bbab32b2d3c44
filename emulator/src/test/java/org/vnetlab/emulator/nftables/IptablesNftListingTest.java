package org.vnetlab.emulator.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.lab.HostIptables;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkXmlParser;
import org.vnetlab.emulator.libvirt.SharedData;
import org.vnetlab.emulator.libvirt.firewall.FirewallCommand;
import org.vnetlab.emulator.libvirt.firewall.IptablesFirewall;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.SaveFile;
import org.vnetlab.emulator.netfilter.hook.PathRunner;
import org.vnetlab.emulator.nftables.firewall.HostFirewall;
import org.vnetlab.emulator.nftables.firewall.IptablesNftText;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.protocols.MacAddress;

/**
 * {@code nft list ruleset} of a host whose iptables is iptables-nft: its tables rendered from the live iptables
 * model, byte for byte as nft 1.0.6 printed them over iptables 1.8.9 (goldens recorded by
 * nftables/iptables-nft/record.sh in a private network namespace, from the same iptables-nft-save text).
 */
class IptablesNftListingTest {
    final ArticleHost host = new ArticleHost();

    HostFirewall firewall(SaveFile save) throws Exception {
        return HostFirewall.builder().iptablesNft(save.ruleset(), save.counters()).build(host, ConntrackSettings.DEFAULTS, 3);
    }

    static SaveFile saved(String name) throws Exception {
        return IptablesSaveParser.parse(Fixtures.text("iptables-nft/" + name + ".saved"), name + ".saved");
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker", "article", "matches", "extensions", "libvirt", "probes"})
    void listsTheTablesAsTheRealNftDoes(String name) throws Exception {
        HostFirewall fw = firewall(saved(name));

        assertThat(fw.nftListRuleset(false)).isEqualTo(Fixtures.text("iptables-nft/" + name + ".golden"));
        assertThat(fw.nftListRuleset(true)).isEqualTo(Fixtures.text("iptables-nft/" + name + ".handles.golden"));
    }

    @Test
    void iptablesCommandsShowInTheNextListingWithTheHandlesTheKernelGave() throws Exception {
        SaveFile save = saved("article");
        HostFirewall fw = firewall(save);
        HostIptables iptables = new HostIptables(save.ruleset(), save.counters());
        iptables.setKernel(r -> {
            fw.netfilter().replaceRuleset(r, iptables.counters());
            fw.iptablesChanged(r);
        });

        for (String line : Fixtures.text("iptables-nft/article.then").lines().toList()) {
            if (!line.isBlank() && !line.startsWith("#")) iptables.command(line);
        }

        assertThat(fw.nftListRuleset(true)).isEqualTo(Fixtures.text("iptables-nft/article.then.golden"));
    }

    /** The libvirt golden's commands are what vnetlab's libvirt runs for its default network on a fresh host. */
    @Test
    void libvirtCommandsAreWhatLibvirtsIptablesBackendRunsForTheDefaultNetwork() throws Exception {
        NetworkDefinition def = NetworkXmlParser.parse(SharedData.libvirt("derived/networkxml2firewalldata/nat-default.xml"));
        List<FirewallCommand> all = new ArrayList<>(IptablesFirewall.privateChainSetup());
        all.addAll(IptablesFirewall.add(def));
        List<String> expected = all.stream()
                .filter(c -> c.tool() == FirewallCommand.Tool.IPTABLES && !c.args().contains("--list-rules"))
                .map(FirewallCommand::toString).toList();

        assertThat(commands("libvirt")).isEqualTo(expected);
    }

    /** The same commands on vnetlab's empty iptables-nft host give the ruleset the real tools saved. */
    @Test
    void libvirtCommandsOnAnEmptyHostSaveAsTheRealToolSaved() throws Exception {
        HostIptables iptables = new HostIptables(org.vnetlab.emulator.netfilter.Ruleset.EMPTY, new org.vnetlab.emulator.netfilter.RuleCounters());
        for (String line : commands("libvirt")) iptables.command(line);

        assertThat(IptablesSaveParser.parse(iptables.save(), "vnetlab").ruleset())
                .isEqualTo(saved("libvirt").ruleset());
    }

    static List<String> commands(String name) throws Exception {
        return Fixtures.text("iptables-nft/" + name + ".commands").lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    /** Forms whose nft 1.0.6 text was never recorded are refused by name, not guessed. */
    @ParameterizedTest
    @ValueSource(strings = {
        "-A INPUT -m hashlimit --hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-mode srcip --hashlimit-name a --hashlimit-htable-expire 1500|--hashlimit-htable-expire 1500",
        "-A PREROUTING -m rpfilter --loose --validmark|--validmark with --loose"})
    void unrecordedFormsAreRefusedByName(String caseText) throws Exception {
        String[] c = caseText.split("\\|");
        SaveFile save = IptablesSaveParser.parse("*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n" + c[0] + "\nCOMMIT\n", "t");
        org.vnetlab.emulator.netfilter.Rule rule = save.ruleset().table(org.vnetlab.emulator.netfilter.TableName.MANGLE).orElseThrow()
                .chains().stream().filter(ch -> !ch.rules().isEmpty()).findFirst().orElseThrow().rules().get(0);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IptablesNftText.rule(rule, org.vnetlab.emulator.netfilter.Counter.ZERO))
                .isInstanceOf(IptablesNftText.Unprintable.class).hasMessageContaining(c[1]);
    }

    @Test
    void countersAreIptablesCountersAfterTraffic() throws Exception {
        SaveFile save = saved("article");
        HostFirewall fw = firewall(save);
        for (int i = 0; i < 3; i++) {
            new PathRunner(fw.netfilter(), host, true).receive(Packets.ping("192.168.122.55", "8.8.8.8", 64, 1, i + 1), "virbr0",
                    MacAddress.parse("52:54:00:aa:bb:01"), MacAddress.parse("52:54:00:73:62:06"), 1_000_000L * (i + 1));
        }

        // FORWARD's three jumps, LIBVIRT_FWO's accept, nat's jump and LIBVIRT_PRT's masquerade (first packet only)
        String listing = fw.nftListRuleset(false);
        assertThat(listing).contains("\t\tcounter packets 3 bytes 252 jump LIBVIRT_FWX\n")
                .contains("\t\tiifname \"virbr0\" ip saddr 192.168.122.0/24 counter packets 3 bytes 252 accept\n")
                .contains("\t\tip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 counter packets 1 bytes 84 masquerade\n");
        for (String rule : List.of("LIBVIRT_FWX", "LIBVIRT_FWI", "LIBVIRT_FWO")) {
            assertThat(listing).contains("counter packets 3 bytes 252 jump " + rule + "\n");
        }
        assertThat(save.counters().rule(new org.vnetlab.emulator.netfilter.RuleRef(org.vnetlab.emulator.netfilter.TableName.FILTER,
                "LIBVIRT_FWO", 1)).packets()).isEqualTo(3);
    }
}
