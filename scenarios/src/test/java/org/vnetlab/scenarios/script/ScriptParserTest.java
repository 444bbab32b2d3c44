package org.vnetlab.scenarios.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.MacAddress;

/** The scenario grammar: what a script means, and how every mistake is named by file, line, column and token. */
class ScriptParserTest {

    @TempDir
    Path dir;

    static final String ISSUE_EXAMPLE = """
            topology libvirt-default dump=host/ guest=win10:windows:52:54:00:3b:7d:11
            on win10: ipconfig /renew          => lease 192.168.122.0/24 gateway 192.168.122.1 dns 192.168.122.1
            on win10: ping 8.8.8.8             => reply
            on host:  virsh net-edit default fixes/dns-forwarders.xml  => error "dns" not allowed
            on host:  virsh net-destroy default
            on host:  virsh net-start default
            on win10: nslookup google.com      => 142.250.72.14
            """;

    private Script parse(String text) throws InputException {
        return ScriptParser.parseText(text, "s.vnl", dir);
    }

    private InputException error(String text) {
        return org.junit.jupiter.api.Assertions.assertThrows(InputException.class, () -> parse(text));
    }

    @Test
    void theIssuesExampleReadsAsWritten() throws InputException {
        Script s = parse(ISSUE_EXAMPLE);
        Topology t = s.topology();
        assertThat(t.dump()).contains("host/");
        assertThat(t.guests()).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("win10");
            assertThat(g.os()).isEqualTo(Topology.GuestOs.WINDOWS);
            assertThat(g.mac()).isEqualTo(MacAddress.parse("52:54:00:3b:7d:11"));
        });
        assertThat(s.steps()).hasSize(6);
        Statement.Step renew = s.steps().get(0);
        assertThat(renew.node()).isEqualTo("win10");
        assertThat(renew.command().typed()).isEqualTo("ipconfig /renew");
        assertThat(renew.expectation().orElseThrow().describe())
                .isEqualTo("lease 192.168.122.0/24 gateway 192.168.122.1 dns 192.168.122.1");
        assertThat(s.steps().get(2).command().parts().get(0).invocation().argv())
                .containsExactly("virsh", "net-edit", "default", "fixes/dns-forwarders.xml");
        assertThat(s.steps().get(2).expectation().orElseThrow().describe()).isEqualTo("error \"\\\"dns\\\" not allowed\"");
        assertThat(s.steps().get(3).expectation()).isEmpty();
        assertThat(s.steps().get(5).expectation().orElseThrow().describe()).isEqualTo("resolves 142.250.72.14");
    }

    @Test
    void commentsBlankLinesTitleSeedNotesAndWaits() throws InputException {
        Script s = parse("""
                # a comment
                title DNS through a stub resolver
                set seed 42

                topology libvirt-default guest=vm:linux
                note the guest asks dnsmasq,
                wait 4s
                on vm: ping -c 1 192.168.122.1 => reply from 192.168.122.1
                """);
        assertThat(s.title()).contains("DNS through a stub resolver");
        assertThat(s.seed()).hasValue(42);
        assertThat(s.statements()).hasSize(3);
        assertThat(s.statements().get(0)).isEqualTo(new Statement.Note(new SourcePos("s.vnl", 6, 1), "the guest asks dnsmasq,"));
        assertThat(((Statement.Wait) s.statements().get(1)).nanos()).isEqualTo(4_000_000_000L);
        assertThat(s.topology().guests().get(0).mac()).isEqualTo(MacAddress.parse("52:54:00:aa:bb:01"));
        assertThat(s.topology().nodes()).containsExactly("host", "router", "internet", "vm");
    }

    @Test
    void continuationLinesJoinAndKeepTheirOwnPositions() throws InputException {
        Script s = parse("""
                topology libvirt-default guest=vm:linux
                on host: iptables -I FORWARD 1 \\
                           -o virbr0 -j ACCEPT => ok
                """);
        CommandLine cl = s.steps().get(0).command();
        assertThat(cl.typed()).isEqualTo("iptables -I FORWARD 1 -o virbr0 -j ACCEPT");
        Word o = cl.parts().get(0).invocation().words().get(4);
        assertThat(o.value()).isEqualTo("-o");
        assertThat(cl.positionOf(o)).isEqualTo(new SourcePos("s.vnl", 3, 12));
    }

    @Test
    void aContinuedLineReportsItsErrorOnThePhysicalLine() {
        InputException e = error("""
                topology libvirt-default guest=vm:linux
                on vm: ping \\
                   8.8.8.8 => replyy
                """);
        assertThat(e.getMessage()).isEqualTo("s.vnl:3:15: unknown expectation near 'replyy' (hint: expectations are: "
                + "reply, timeout, unreachable, reset, ttl-exceeded, no-route, lease, no-lease, resolves, NXDOMAIN, SERVFAIL, "
                + "REFUSED, ok, exit, error, output, without — or an IPv4 address (the name resolves to it))");
    }

    @Test
    void hereDocumentsGiveACommandItsInputAndLoseTheIndentOfTheirEnd() throws InputException {
        Script s = parse("""
                topology libvirt-default
                on host: cat > /etc/resolv.conf <<EOF => ok
                    nameserver 127.0.0.53
                    options edns0
                    EOF
                on host: cat /etc/resolv.conf
                """);
        assertThat(s.steps()).hasSize(2);
        Invocation inv = s.steps().get(0).command().parts().get(0).invocation();
        assertThat(inv.argv()).containsExactly("cat");
        assertThat(inv.stdin()).contains(new Invocation.Stdin.HereDoc("EOF", "nameserver 127.0.0.53\noptions edns0\n"));
        assertThat(inv.stdout().orElseThrow().path()).isEqualTo("/etc/resolv.conf");
        assertThat(s.steps().get(0).expectation().orElseThrow().describe()).isEqualTo("ok");
    }

    @Test
    void sudoAndCommandListsAndRedirections() throws InputException {
        Script s = parse("""
                topology libvirt-default
                on host: sudo virsh net-destroy default && sudo virsh net-start default
                on host: iptables-restore < fixes/rules.v4
                """);
        CommandLine cl = s.steps().get(0).command();
        assertThat(cl.parts()).hasSize(2);
        assertThat(cl.parts().get(0).invocation().sudo()).isTrue();
        assertThat(cl.parts().get(0).invocation().argv()).containsExactly("virsh", "net-destroy", "default");
        assertThat(cl.parts().get(1).connector()).isEqualTo(CommandLine.Connector.AND);
        Invocation restore = s.steps().get(1).command().parts().get(0).invocation();
        assertThat(restore.argv()).containsExactly("iptables-restore");
        assertThat(((Invocation.Stdin.FromFile) restore.stdin().orElseThrow()).path()).isEqualTo("fixes/rules.v4");
    }

    @Test
    void quotedArrowsAndOperatorsArePlainText() throws InputException {
        Script s = parse("""
                topology libvirt-default
                on host: iptables -A INPUT -m comment --comment "a => b && c" -j ACCEPT => ok
                """);
        assertThat(s.steps().get(0).command().parts()).hasSize(1);
        assertThat(s.steps().get(0).command().parts().get(0).invocation().argv()).contains("a => b && c");
    }

    @Test
    void includesAreReadFromTheScenarioFolderAndNameTheirOwnFile() throws Exception {
        Files.createDirectories(dir.resolve("fixes"));
        Files.writeString(dir.resolve("fixes/restore.vnl"), "# restore libvirt's rules\non host: virsh net-destroy default\non host: bogus-thing\n");
        Script ok = parse("topology libvirt-default\ninclude fixes/restore.vnl\n");
        assertThat(ok.steps()).hasSize(2);
        assertThat(ok.steps().get(0).pos()).isEqualTo(new SourcePos("fixes/restore.vnl", 2, 1));

        Files.writeString(dir.resolve("fixes/bad.vnl"), "on hots: virsh net-list\n");
        assertThat(error("topology libvirt-default\ninclude fixes/bad.vnl\n").getMessage())
                .isEqualTo("fixes/bad.vnl:1:4: unknown node near 'hots' (hint: nodes of this topology: host, router, internet)");
    }

    @Test
    void includeErrors() throws Exception {
        assertThat(error("topology libvirt-default\ninclude fixes/none.vnl\n").getMessage())
                .isEqualTo("s.vnl:2:9: no such file to include near 'fixes/none.vnl' (hint: include paths are relative to the scenario folder)");
        Files.writeString(dir.resolve("a.vnl"), "include b.vnl\n");
        Files.writeString(dir.resolve("b.vnl"), "include a.vnl\n");
        assertThat(error("topology libvirt-default\ninclude a.vnl\n").getMessage()).startsWith("b.vnl:1:9: include cycle near 'a.vnl'");
    }

    @Test
    void unknownStatementNamesItsToken() {
        InputException e = error("topology libvirt-default\n\n  ping 8.8.8.8\n");
        assertThat(e.file()).isEqualTo("s.vnl");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(3);
        assertThat(e.token()).isEqualTo("ping");
        assertThat(e.problem()).isEqualTo("unknown statement");
        assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("on NODE: COMMAND"));
    }

    @Test
    void nodeNameWithoutOnGetsAHint() {
        assertThat(error("topology libvirt-default guest=vm:linux\nvm: ping 8.8.8.8\n").getMessage())
                .isEqualTo("s.vnl:2:1: unknown statement near 'vm:' (hint: a step is written: on vm: COMMAND)");
    }

    @Test
    void unknownNodeListsTheNodes() {
        assertThat(error("topology libvirt-default guest=win10:windows\non win7: ping 8.8.8.8\n").getMessage())
                .isEqualTo("s.vnl:2:4: unknown node near 'win7' (hint: nodes of this topology: host, router, internet, win10)");
    }

    @Test
    void dumpFilesNamedInTheTopologyLine() throws InputException {
        Script s = parse("topology libvirt-default dump=host/ nft=r.nft network-conf=n.conf guest-settings=vm.txt\n");
        assertThat(s.topology().files()).isEqualTo(java.util.Map.of(Topology.DumpPart.NFT_RULESET, "r.nft",
                Topology.DumpPart.NETWORK_CONF, "n.conf", Topology.DumpPart.GUEST_SETTINGS, "vm.txt"));
        // ipconfig= is the older name of guest-settings=
        assertThat(parse("topology libvirt-default ipconfig=win.txt\n").topology().files())
                .isEqualTo(java.util.Map.of(Topology.DumpPart.GUEST_SETTINGS, "win.txt"));
        assertThat(error("topology libvirt-default ipconfig=a.txt guest-settings=b.txt\n").getMessage()).contains("'guest-settings' is given twice");
    }

    @Test
    void topologyMistakes() {
        assertThat(error("on host: virsh net-list\n").getMessage())
                .startsWith("s.vnl:1:1: a step before the topology line near 'on'");
        assertThat(error("note hi\n").getMessage())
                .startsWith("s.vnl:1:1: the scenario has no topology line");
        assertThat(error("topology libvirt-nat\n").getMessage())
                .startsWith("s.vnl:1:10: unknown topology near 'libvirt-nat'");
        assertThat(error("topology libvirt-default gust=vm:linux\n").getMessage())
                .isEqualTo("s.vnl:1:26: unknown topology key near 'gust' (hint: keys: dump, guest, lan, net-xml, iptables, sysctl, routes, addresses, resolv, nft, ipset, network-conf, guest-settings)");
        assertThat(error("topology libvirt-default guest=vm:solaris\n").getMessage())
                .isEqualTo("s.vnl:1:35: unknown guest operating system near 'solaris' (hint: windows or linux)");
        assertThat(error("topology libvirt-default guest=vm:linux:52:54:00:zz:00:01\n").getMessage())
                .startsWith("s.vnl:1:41: not a MAC address near '52:54:00:zz:00:01'");
        assertThat(error("topology libvirt-default guest=vm:linux guest=vm:windows\n").getMessage())
                .startsWith("s.vnl:1:47: node name used twice near 'vm'");
        assertThat(error("topology libvirt-default guest=host:linux\n").getMessage())
                .startsWith("s.vnl:1:32: 'host' is a node every topology has near 'host'");
        assertThat(error("topology libvirt-default lan=laptop:192.168.0.500\n").getMessage())
                .startsWith("s.vnl:1:37: not an IPv4 address near '192.168.0.500'");
        assertThat(error("topology libvirt-default\ntopology libvirt-default\n").getMessage())
                .startsWith("s.vnl:2:1: a scenario has one topology line near 'topology'");
    }

    @Test
    void stepMistakes() {
        assertThat(error("topology libvirt-default\non host virsh net-list\n").getMessage())
                .startsWith("s.vnl:2:1: missing ':' after the node name near 'on'");
        assertThat(error("topology libvirt-default\non host:\n").getMessage())
                .startsWith("s.vnl:2:8: missing command after 'host:'");
        assertThat(error("topology libvirt-default\non host: virsh net-list =>\n").getMessage())
                .startsWith("s.vnl:2:25: nothing expected after '=>' near '=>'");
        assertThat(error("topology libvirt-default\non host: virsh net-list =>ok\n").getMessage())
                .startsWith("s.vnl:2:25: put a blank after '=>' near '=>ok'");
        assertThat(error("topology libvirt-default\non host: echo \"unterminated\n").getMessage())
                .startsWith("s.vnl:2:15: unclosed quote near '\"'");
        assertThat(error("topology libvirt-default\non host: iptables-save | grep MASQ\n").getMessage())
                .startsWith("s.vnl:2:24: pipes are not supported near '|'");
        assertThat(error("topology libvirt-default\non host: iptables-save 2>/dev/null\n").getMessage())
                .startsWith("s.vnl:2:24: this redirection is not supported near '2>/dev/null'");
        assertThat(error("topology libvirt-default\non host: cat <<EOF\nnameserver 1.1.1.1\n").getMessage())
                .isEqualTo("s.vnl:2:14: here-document not closed near '<<EOF' (hint: end its text with a line holding only EOF)");
        assertThat(error("topology libvirt-default\non host: virsh \\\n").getMessage())
                .startsWith("s.vnl:2:16: the last line ends with a continuation backslash");
    }

    @Test
    void settingMistakes() {
        assertThat(error("set speed 3\ntopology libvirt-default\n").getMessage())
                .startsWith("s.vnl:1:5: unknown setting near 'speed'");
        assertThat(error("set seed forty\ntopology libvirt-default\n").getMessage())
                .startsWith("s.vnl:1:10: the seed must be a decimal number near 'forty'");
        assertThat(error("topology libvirt-default\nwait soon\n").getMessage())
                .startsWith("s.vnl:2:6: not a duration near 'soon'");
    }

    @Test
    void expectationMistakesPointIntoTheExpectation() {
        assertThat(error("topology libvirt-default guest=vm:linux\non vm: dhclient eth0 => lease 192.168.122.0/33\n").getMessage())
                .startsWith("s.vnl:2:31: not an IPv4 prefix near '192.168.122.0/33'");
        assertThat(error("topology libvirt-default guest=vm:linux\non vm: dhclient eth0 => lease gateway 192.168.122.256\n").getMessage())
                .startsWith("s.vnl:2:39: not an IPv4 address (the gateway) near '192.168.122.256'");
        assertThat(error("topology libvirt-default guest=vm:linux\non vm: ping 8.8.8.8 => unreachable port-closed\n").getMessage())
                .startsWith("s.vnl:2:36: unknown ICMP unreachable code near 'port-closed'");
        assertThat(error("topology libvirt-default guest=vm:linux\non vm: ping 8.8.8.8 => exit many\n").getMessage())
                .startsWith("s.vnl:2:29: an exit status must be a number 0..255 near 'many'");
    }
}
