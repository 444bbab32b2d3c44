package org.vnetlab.emulator.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.nftables.syntax.NftCommandLine;
import org.vnetlab.emulator.nftables.syntax.NftParser;

/**
 * The nft commands a sysadmin types and the checks nft and the kernel make: where rules go, which handles they
 * get, what {@code -e}/{@code -a} print, and every refusal as a {@code file:line:column} error with nothing
 * applied.
 */
class CommandsTest {
    static final String FW = """
            table inet fw {
            	chain input {
            		type filter hook input priority filter; policy drop;
            		ct state established,related accept
            		tcp dport 22 accept
            	}
            }
            """;

    NftRuleset state = NftRuleset.EMPTY;
    final NftCounters counters = new NftCounters();

    NftCommandLine.Result nft(String... args) {
        NftCommandLine.Result r = NftCommandLine.run(state, counters, List.of(args), f -> Optional.ofNullable(Map.of("fw.nft", FW).get(f)));
        state = r.ruleset();
        return r;
    }

    @Test
    void rulesGoWhereAddInsertPositionAndIndexSay() {
        nft("-f", "fw.nft");
        nft("insert", "rule", "inet", "fw", "input", "iif", "lo", "accept");
        nft("add", "rule", "inet", "fw", "input", "position", "3", "udp", "dport", "53", "accept");
        nft("insert", "rule", "inet", "fw", "input", "position", "3", "udp", "dport", "67", "accept");
        nft("add", "rule", "inet", "fw", "input", "index", "0", "udp", "dport", "68", "accept");
        nft("insert", "rule", "inet", "fw", "input", "index", "0", "udp", "dport", "69", "accept");

        // what the real nft 1.0.6 listed after the same commands
        assertThat(nft("-a", "list", "chain", "inet", "fw", "input").stdout()).isEqualTo("""
                table inet fw {
                	chain input { # handle 1
                		type filter hook input priority filter; policy drop;
                		udp dport 69 accept # handle 8
                		iif "lo" accept # handle 4
                		udp dport 68 accept # handle 7
                		ct state established,related accept # handle 2
                		udp dport 67 accept # handle 6
                		tcp dport 22 accept # handle 3
                		udp dport 53 accept # handle 5
                	}
                }
                """);
    }

    @Test
    void echoPrintsTheRuleAsNftStoredItWithItsHandle() {
        nft("add", "table", "ip", "x");
        assertThat(nft("-ae", "add", "chain", "ip", "x", "c", "{ type filter hook input priority 0; policy accept; }").stdout())
                .isEqualTo("add chain ip x c { type filter hook input priority filter; policy accept; } # handle 1\n");
        assertThat(nft("-ae", "add", "rule", "ip", "x", "c", "tcp", "dport", "ssh", "counter", "accept").stdout())
                .isEqualTo("add rule ip x c tcp dport 22 counter packets 0 bytes 0 accept # handle 2\n");
        assertThat(nft("-ae", "insert", "rule", "ip", "x", "c", "position", "2", "udp", "dport", "53", "accept").stdout())
                .isEqualTo("insert rule ip x c handle 2 udp dport 53 accept # handle 3\n");
        assertThat(nft("-e", "delete", "rule", "ip", "x", "c", "handle", "2").stdout()).isEmpty();
    }

    @Test
    void checkOnlyChangesNothing() {
        nft("-f", "fw.nft");
        NftRuleset before = state;

        NftCommandLine.Result r = nft("-c", "add", "rule", "inet", "fw", "input", "accept");

        assertThat(r.exitCode()).isZero();
        assertThat(state).isEqualTo(before);
    }

    @Test
    void deleteFlushAndList() {
        nft("-f", "fw.nft");
        nft("delete", "rule", "inet", "fw", "input", "handle", "2");
        assertThat(nft("list", "table", "inet", "fw").stdout()).doesNotContain("established");
        nft("flush", "chain", "inet", "fw", "input");
        nft("add", "chain", "inet", "fw", "other");
        assertThat(nft("list", "tables").stdout()).isEqualTo("table inet fw\n");
        assertThat(nft("list", "chains").stdout()).isEqualTo("""
                table inet fw {
                	chain input {
                		type filter hook input priority filter; policy drop;
                	}
                	chain other {
                	}
                }
                """);
        nft("delete", "chain", "inet", "fw", "other");
        nft("flush", "ruleset");
        assertThat(nft("list", "ruleset").stdout()).isEmpty();
    }

    @Test
    void aFailingCommandChangesNothingAndSaysWhy() {
        nft("-f", "fw.nft");
        NftRuleset before = state;

        NftCommandLine.Result missing = nft("delete", "rule", "inet", "fw", "input", "handle", "99");
        NftCommandLine.Result noTable = nft("list", "table", "ip", "nope");

        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).startsWith("Error: nft:1:34: No such file or directory: no rule with handle 99");
        assertThat(noTable.exitCode()).isEqualTo(1);
        assertThat(state).isEqualTo(before);
    }

    @Test
    void anUnsupportedExpressionIsAnErrorAtItsLineAndColumnAndNothingLoads() {
        String text = """
                table ip t {
                	chain c {
                		type filter hook input priority 0; policy accept;
                		tcp dport 22 accept
                		ip ttl 1 accept
                	}
                }
                """;

        assertThatThrownBy(() -> Fixtures.load("host.nft", text))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("host.nft:5:3: unsupported expression or statement near 'ip'");
    }

    @Test
    void nft106WantsASeparatorBeforeAClosingBrace() {
        assertThatThrownBy(() -> Fixtures.load("x.nft", "table ip t {\n\tchain c { counter drop }\n}\n"))
                .hasMessageStartingWith("x.nft:2:25: expected a newline or ';' before '}'");
    }

    @Test
    void theKernelsChecksAtCommitTime() {
        assertThatThrownBy(() -> Fixtures.load("a.nft", "add table ip t\nadd chain ip t c\nadd rule ip t c jump d\n"))
                .hasMessageStartingWith("a.nft:3:17: No such file or directory: chain d does not exist");
        assertThatThrownBy(() -> Fixtures.load("b.nft", """
                table ip t {
                	chain in {
                		type filter hook input priority 0; policy accept;
                		jump a
                	}
                	chain a {
                		jump b
                	}
                	chain b {
                		jump a
                	}
                }
                """)).hasMessage("b.nft:10:3: Too many links: chains a -> b -> a form a loop reached from base chain in near 'jump'");
        assertThatThrownBy(() -> Fixtures.load("c.nft", """
                table ip t {
                	chain f {
                		type filter hook forward priority 0; policy accept;
                		jump n
                	}
                	chain n {
                		masquerade
                	}
                }
                """)).hasMessage("c.nft:7:3: Operation not supported: masquerade is only allowed in nat chains "
                + "(chain n is reached from base chain f) near 'masquerade'");
        assertThatThrownBy(() -> Fixtures.load("d.nft", """
                table ip t {
                	chain p {
                		type nat hook prerouting priority dstnat; policy accept;
                		masquerade
                	}
                }
                """)).hasMessageContaining("masquerade is not allowed on the prerouting hook");
        assertThatThrownBy(() -> Fixtures.load("e.nft", "table ip t {\n\tchain p {\n\t\ttype nat hook postrouting priority 100;\n"
                + "\t\tsnat to 1.2.3.4:80\n\t}\n}\n"))
                .hasMessageContaining("transport protocol mapping is only valid after transport protocol match");
        assertThatThrownBy(() -> Fixtures.load("f.nft", "table ip t {\n\tchain c {\n\t\treject with icmpx port-unreachable\n\t}\n}\n"))
                .hasMessageContaining("abstracted ICMP unreachable not supported");
    }

    @Test
    void aChainStillInUseCannotBeDeleted() {
        nft("-f", "fw.nft");
        nft("add", "chain", "inet", "fw", "x");
        nft("add", "rule", "inet", "fw", "input", "jump", "x");

        NftCommandLine.Result r = nft("delete", "chain", "inet", "fw", "x");

        assertThat(r.stderr()).contains("Device or resource busy: chain input jumps to x");
    }

    @Test
    void iptablesNftTablesAreKeptAsNftListedThem() throws Exception {
        String dump = Fixtures.text("docker-breaks-libvirt/host-nft-list-ruleset.txt");
        String stdout = String.join("", dump.lines().filter(l -> !l.startsWith("# Warning")).map(l -> l + "\n").toList());

        NftRuleset r = NftRuleset.EMPTY.apply(NftParser.parse("host", dump));

        assertThat(r.table(Family.IP, "filter").orElseThrow().managedBy()).contains("iptables-nft");
        assertThat(r.table(Family.IP, "libvirt_network").orElseThrow().managedBy()).isEmpty();
        assertThat(Fixtures.list(r)).isEqualTo(stdout);
    }

    @Test
    void setsAndElementsCanBeChanged() {
        nft("add", "table", "ip", "t");
        nft("add", "set", "ip", "t", "blocked", "{ type ipv4_addr; flags interval; }");
        nft("add", "element", "ip", "t", "blocked", "{ 10.0.0.0/24, 10.0.1.0/24, 192.168.1.7 }");
        nft("delete", "element", "ip", "t", "blocked", "{ 192.168.1.7 }");

        assertThat(nft("list", "set", "ip", "t", "blocked").stdout()).isEqualTo("""
                table ip t {
                	set blocked {
                		type ipv4_addr
                		flags interval
                		elements = { 10.0.0.0/23 }
                	}
                }
                """);
        assertThat(nft("add", "element", "ip", "t", "blocked", "{ 300.1.1.1 }").stderr()).contains("not a valid ipv4_addr");
    }
}
