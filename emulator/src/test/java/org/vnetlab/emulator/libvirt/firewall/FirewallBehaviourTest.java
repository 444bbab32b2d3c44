package org.vnetlab.emulator.libvirt.firewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vnetlab.emulator.libvirt.ArticleDocuments;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkStartException;
import org.vnetlab.emulator.libvirt.NetworkXmlParser;
import org.vnetlab.emulator.libvirt.SharedData;
import org.vnetlab.emulator.libvirt.TextDiff;

/** What libvirt's firewall code does beyond its golden test data: removal, SNAT, other modes, re-setup. */
class FirewallBehaviourTest {

    private static NetworkDefinition network(String name) throws InputException, NetworkStartException {
        return NetworkXmlParser.parse(SharedData.libvirt("tests/networkxml2firewalldata/" + name + ".xml"));
    }

    private static NetworkDefinition edited(String name, String find, String replace) throws InputException, NetworkStartException {
        String xml = SharedData.read(SharedData.libvirt("tests/networkxml2firewalldata/" + name + ".xml"));
        assertThat(xml).contains(find);
        return NetworkXmlParser.parse(name + "-edited.xml", xml.replace(find, replace));
    }

    static List<String> networks() {
        return List.of("route-default", "isolated", "nat-port-range", "forward-dev", "nat-no-dhcp", "nat-tftp", "nat-many-ips");
    }

    /** net-destroy deletes exactly the rules net-start inserted: same arguments, --delete for --insert. */
    @ParameterizedTest
    @MethodSource("networks")
    void removalDeletesExactlyWhatWasInserted(String name) throws InputException, NetworkStartException {
        NetworkDefinition def = network(name);
        List<List<String>> inserted = new ArrayList<>();
        for (FirewallCommand c : IptablesFirewall.add(def)) {
            inserted.add(c.argv().stream().map(a -> a.equals("--insert") ? "--delete" : a).toList());
        }
        List<List<String>> deleted = IptablesFirewall.remove(def).stream().map(FirewallCommand::argv).toList();
        assertThat(deleted).containsExactlyInAnyOrderElementsOf(inserted);
        boolean dhcp4 = def.ips().stream().anyMatch(ip -> ip.hasDhcp() && ip.address() instanceof org.vnetlab.emulator.libvirt.IpAddress.V4);
        assertThat(deleted.get(0).contains("CHECKSUM")).as("with IPv4 DHCP, the checksum fix goes first").isEqualTo(dhcp4);
    }

    @Test
    void natAddressRangeUsesSnatInsteadOfMasquerade() throws InputException, NetworkStartException {
        NetworkDefinition def = edited("nat-port-range", "<port start='500' end='1000'/>",
                "<address start='203.0.113.10' end='203.0.113.20'/>\n      <port start='500' end='1000'/>");
        List<String> nat = IptablesFirewall.add(def).stream().map(FirewallCommand::toString)
                .filter(s -> s.contains("192.168.122.0/24") && s.contains("--jump SNAT")).toList();
        assertThat(nat).containsExactly(
                "iptables -w --table nat --insert LIBVIRT_PRT --source 192.168.122.0/24 ! --destination 192.168.122.0/24 --jump SNAT --to-source 203.0.113.10-203.0.113.20",
                "iptables -w --table nat --insert LIBVIRT_PRT --source 192.168.122.0/24 -p udp ! --destination 192.168.122.0/24 --jump SNAT --to-source 203.0.113.10-203.0.113.20:500-1000",
                "iptables -w --table nat --insert LIBVIRT_PRT --source 192.168.122.0/24 -p tcp ! --destination 192.168.122.0/24 --jump SNAT --to-source 203.0.113.10-203.0.113.20:500-1000");
        assertThat(NftablesFirewall.add(def).stream().map(FirewallCommand::toString))
                .contains("nft -ae insert rule ip libvirt_network guest_nat meta l4proto tcp ip saddr 192.168.122.0/24 "
                        + "ip daddr != 192.168.122.0/24 counter snat to 203.0.113.10-203.0.113.20:500-1000");
    }

    @Test
    void natIpv6YesMasqueradesIpv6ToWithoutABroadcastExemption() throws InputException, NetworkStartException {
        NetworkDefinition def = edited("nat-port-range", "<nat>", "<nat ipv6='yes'>");
        List<String> v6 = IptablesFirewall.add(def).stream().filter(c -> c.tool() == FirewallCommand.Tool.IP6TABLES)
                .map(FirewallCommand::toString).filter(s -> s.contains("LIBVIRT_PRT")).toList();
        assertThat(v6).containsExactly(
                "ip6tables -w --table nat --insert LIBVIRT_PRT --source 2001:db8:ca2:2::/64 ! --destination 2001:db8:ca2:2::/64 --jump MASQUERADE",
                "ip6tables -w --table nat --insert LIBVIRT_PRT --source 2001:db8:ca2:2::/64 -p udp ! --destination 2001:db8:ca2:2::/64 --jump MASQUERADE --to-ports 500-1000",
                "ip6tables -w --table nat --insert LIBVIRT_PRT --source 2001:db8:ca2:2::/64 -p tcp ! --destination 2001:db8:ca2:2::/64 --jump MASQUERADE --to-ports 500-1000",
                "ip6tables -w --table nat --insert LIBVIRT_PRT --source 2001:db8:ca2:2::/64 --destination ff02::/16 --jump RETURN");
    }

    @Test
    void aPortRangeThatIsNotARangeStopsTheNetwork() throws InputException, NetworkStartException {
        NetworkDefinition def = edited("nat-port-range", "<port start='500' end='1000'/>", "<port start='1000' end='1000'/>");
        assertThatThrownBy(() -> IptablesFirewall.add(def)).isInstanceOf(NetworkStartException.class)
                .hasMessage("Invalid port range '1000-1000'.");
        assertThatThrownBy(() -> NftablesFirewall.add(def)).isInstanceOf(NetworkStartException.class);
    }

    @Test
    void openAndHostBridgeNetworksGetNoRules() throws InputException, NetworkStartException {
        NetworkDefinition open = edited("route-default", "mode='route'", "mode='open'");
        assertThat(IptablesFirewall.add(open)).isEmpty();
        assertThat(NftablesFirewall.add(open)).isEmpty();
        NetworkDefinition bridged = NetworkXmlParser.parse("br.xml",
                "<network><name>host-bridge</name><forward mode='bridge'/><bridge name='br0'/></network>");
        assertThat(IptablesFirewall.add(bridged)).isEmpty();
        assertThat(IptablesFirewall.remove(bridged)).isEmpty();
    }

    @Test
    void theArticlesNetworkGetsTheDefaultNatRules() throws InputException, NetworkStartException {
        NetworkDefinition article = NetworkXmlParser.parse("dumpxml", ArticleDocuments.dumpXml());
        NetworkDefinition natDefault = NetworkXmlParser.parse(
                SharedData.libvirt("derived/networkxml2firewalldata/nat-default.xml"));
        // the explicit <port start='1024' end='65535'/> is libvirt's default range
        assertThat(IptablesFirewall.add(article)).isEqualTo(IptablesFirewall.add(natDefault));
        assertThat(NftablesFirewall.add(article)).isEqualTo(NftablesFirewall.add(natDefault));
    }

    @Test
    void privateChainsAlreadyInPlaceAreLeftAlone() {
        Map<String, List<String>> existing = Map.of(
                "filter", List.of("-P INPUT ACCEPT", "-N LIBVIRT_INP", "-N LIBVIRT_OUT", "-N LIBVIRT_FWO",
                        "-N LIBVIRT_FWI", "-N LIBVIRT_FWX", "-A INPUT -j LIBVIRT_INP", "-A OUTPUT -j LIBVIRT_OUT",
                        "-A FORWARD -j LIBVIRT_FWX", "-A FORWARD -j LIBVIRT_FWI", "-A FORWARD -j LIBVIRT_FWO"),
                "nat", List.of("-N LIBVIRT_PRT", "-A POSTROUTING -j LIBVIRT_PRT"),
                "mangle", List.of("-N LIBVIRT_PRT"));
        List<String> setup = IptablesFirewall.privateChainSetup(Layer.IPV4, existing).stream()
                .map(FirewallCommand::toString).toList();
        assertThat(setup).containsExactly(
                "iptables -w --table filter --list-rules",
                "iptables -w --table nat --list-rules",
                "iptables -w --table mangle --list-rules",
                "iptables -w --table mangle --insert POSTROUTING --jump LIBVIRT_PRT");

        List<String> listing = List.of("table ip libvirt_network {", "\tchain forward {",
                "\t\ttype filter hook forward priority filter; policy accept;",
                "\t\tcounter packets 0 bytes 0 jump guest_cross", "\t}", "\tchain guest_output {", "\t}",
                "\tchain guest_input {", "\t}", "\tchain guest_cross {", "\t}", "}");
        assertThat(NftablesFirewall.privateChainSetup(Layer.IPV4, listing).stream().map(FirewallCommand::toString))
                .containsExactly(
                        "nft list table ip libvirt_network",
                        "nft insert rule ip libvirt_network forward counter jump guest_output",
                        "nft insert rule ip libvirt_network forward counter jump guest_input",
                        "nft add chain ip libvirt_network guest_nat { type nat hook postrouting priority 100; policy accept; }");
    }

    @Test
    void nftablesRulesAreRemovedByTheirHandlesNewestFirst() throws InputException, NetworkStartException {
        List<FirewallCommand> added = NftablesFirewall.add(network("route-default"));
        List<NftablesFirewall.AddedRule> withHandles = new ArrayList<>();
        for (int i = 0; i < added.size(); i++) withHandles.add(new NftablesFirewall.AddedRule(added.get(i), 10 + i));
        assertThat(NftablesFirewall.removal(withHandles).stream().map(FirewallCommand::toString)).containsExactly(
                "nft delete rule ip libvirt_network guest_input handle 14",
                "nft delete rule ip libvirt_network guest_output handle 13",
                "nft delete rule ip libvirt_network guest_cross handle 12",
                "nft delete rule ip libvirt_network guest_input handle 11",
                "nft delete rule ip libvirt_network guest_output handle 10");
    }

    @Test
    void theCommandLogQuotesWhatAShellWouldExpand() {
        FirewallCommand c = new FirewallCommand(FirewallCommand.Tool.NFT,
                List.of("add", "chain", "ip", "t", "c", "{ type nat; }", "it's", ""));
        assertThat(LibvirtCommandLog.format(c))
                .isEqualTo("nft \\\nadd \\\nchain \\\nip \\\nt \\\nc \\\n'{ type nat; }' \\\n'it'\\''s' \\\n''\n");
    }

    @Test
    void aMismatchIsReportedAsAUnifiedDiff() {
        assertThatThrownBy(() -> TextDiff.assertSameText("expected.txt", "a\nb\nc\n", "a\nB\nc\n"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("--- expected.txt").hasMessageContaining("-b\n+B\n");
    }
}
