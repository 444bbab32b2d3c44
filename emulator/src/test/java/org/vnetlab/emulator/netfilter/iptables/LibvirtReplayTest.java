package org.vnetlab.emulator.netfilter.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.TableName;

/**
 * libvirt's own firewall command lists (tests/networkxml2firewalldata, long options, '!' before the next
 * option) replayed through IptablesCommand. ip6tables commands are left out: vnetlab models IPv4 only.
 */
class LibvirtReplayTest {
    static final String DATA = "ref/libvirt/tests/networkxml2firewalldata/";

    /** The IPv4 commands of a libvirt args file, as one script. */
    static String ipv4Only(String text) {
        return IptablesScript.commands(text).stream()
                .map(IptablesScript.Command::text)
                .filter(c -> c.startsWith("iptables "))
                .collect(Collectors.joining("\n"));
    }

    static Ruleset replay(String... files) throws InputException {
        Ruleset r = Ruleset.EMPTY;
        for (String f : files) {
            r = IptablesScript.apply(r, new RuleCounters(), ipv4Only(Fixtures.sharedText(f)), f).ruleset();
        }
        return r;
    }

    @Test
    void baseThenNatDefaultGivesTheDerivedDefaultNetworkSaveFile() throws InputException {
        Ruleset r = replay(DATA + "base.iptables", DATA + "nat-default-linux.args");
        String expected = Fixtures.sharedText("ref/libvirt/derived/default-network.iptables-save.txt").lines()
                .filter(l -> !l.startsWith("#"))
                .collect(Collectors.joining("\n", "", "\n"));
        // The derived file lists tables as iptables-legacy does (last registered first: mangle, nat, filter);
        // a replay creates them in the order libvirt first touches them (filter, nat, mangle).
        assertThat(r.tables()).extracting(t -> t.name()).containsExactly(TableName.FILTER, TableName.NAT, TableName.MANGLE);
        String printed = IptablesSave.print(r, new RuleCounters(),
                IptablesSave.Options.plain().inOrder(List.of(TableName.MANGLE, TableName.NAT, TableName.FILTER)));
        assertThat(printed).isEqualTo(expected);
    }

    @Test
    void theDerivedSaveFileRoundTripsByteForByte() throws InputException {
        String text = Fixtures.sharedText("ref/libvirt/derived/default-network.iptables-save.txt");
        SaveFile f = IptablesSaveParser.parse(text, "default-network.iptables-save.txt");
        String withoutComments = text.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n", "", "\n"));
        assertThat(IptablesSave.print(f.ruleset(), f.counters(), IptablesSave.Options.plain())).isEqualTo(withoutComments);
        assertThat(f.warnings()).isEmpty();
    }

    @Test
    void listRulesOnAFreshHostPrintsOnlyPolicies() throws InputException {
        String out = IptablesScript.apply(Ruleset.EMPTY, new RuleCounters(),
                "iptables \\\n-w \\\n--table filter \\\n--list-rules\n", "x").output();
        assertThat(out).isEqualTo("-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"isolated-linux.iptables", "nat-port-range-linux.iptables", "forward-dev-linux.iptables",
            "nat-no-dhcp-linux.iptables", "nat-tftp-linux.iptables", "route-default-linux.args"})
    void everyLibvirtNetworkTypeReplaysOnTheBaseChains(String file) throws InputException {
        Ruleset r = replay(DATA + "base.iptables", DATA + file);
        String printed = IptablesSave.print(r);
        long commands = IptablesScript.commands(ipv4Only(Fixtures.sharedText(DATA + file))).size();
        long base = IptablesScript.commands(ipv4Only(Fixtures.sharedText(DATA + "base.iptables"))).stream()
                .filter(c -> c.text().contains("--insert")).count();
        // every --insert became one rule
        assertThat(printed.lines().filter(l -> l.startsWith("-A ")).count()).isEqualTo(commands + base);
        // and the printed form reloads to the same ruleset
        assertThat(IptablesSaveParser.parse(printed, file).ruleset()).isEqualTo(r);
    }

    @Test
    void natPortRangeKeepsLibvirtsPorts() throws InputException {
        String printed = IptablesSave.print(replay(DATA + "base.iptables", DATA + "nat-port-range-linux.iptables"));
        assertThat(printed).contains("-A LIBVIRT_PRT -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p tcp -j MASQUERADE --to-ports 500-1000\n");
    }

    @Test
    void derivedManyIpsReplays() throws InputException {
        Ruleset r = replay(DATA + "base.iptables", "ref/libvirt/derived/networkxml2firewalldata/nat-many-ips-linux.iptables");
        assertThat(IptablesSave.print(r)).contains("-A LIBVIRT_FWO -s 192.168.150.0/24 -i virbr0 -j ACCEPT\n");
    }
}
