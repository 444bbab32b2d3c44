package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.ChainRef;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.netfilter.iptables.IptablesSave;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.protocols.MacAddress;

/**
 * A 10 000-rule iptables-save (a block list of 9 000 networks in a user chain, 999 port rules and an ICMP
 * rule in FORWARD) loads, prints back to what it read, and decides every probe packet by the first rule that
 * matches, exactly as a plain first-match walk over the same rules says. Correctness at this size, not speed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeRulesetTest {
    static final int BLOCKED_NETWORKS = 9000;
    static final int FIRST_PORT = 1000;
    static final int PORT_RULES = 998;
    static final MacAddress M = MacAddress.parse("52:54:00:aa:bb:01");

    String text;
    Ruleset ruleset;

    /** Block list network i is 10.(i / 256).(i % 256).0/24. */
    static String blocked(int i) { return "10." + i / 256 + "." + i % 256 + ".0/24"; }

    static String tenThousandRules() {
        StringBuilder sb = new StringBuilder("""
                *filter
                :INPUT ACCEPT [0:0]
                :FORWARD DROP [0:0]
                :OUTPUT ACCEPT [0:0]
                :BLOCKLIST - [0:0]
                -A FORWARD -j BLOCKLIST
                """);
        for (int p = 0; p < PORT_RULES; p++) {
            sb.append("-A FORWARD -s 192.168.122.0/24 -p tcp -m tcp --dport ").append(FIRST_PORT + p).append(" -j ACCEPT\n");
        }
        sb.append("-A FORWARD -p icmp -j ACCEPT\n");
        for (int i = 0; i < BLOCKED_NETWORKS; i++) sb.append("-A BLOCKLIST -d ").append(blocked(i)).append(" -j DROP\n");
        return sb.append("COMMIT\n").toString();
    }

    /** The oracle: where a first-match walk over the generated rules ends for a TCP packet from the guest. */
    record Expected(Disposition disposition, Optional<RuleRef> decisive) {}

    static Expected oracleTcp(String dst, int dport) {
        String[] o = dst.split("\\.");
        if (o[0].equals("10")) {
            int i = Integer.parseInt(o[1]) * 256 + Integer.parseInt(o[2]);
            if (i < BLOCKED_NETWORKS) {
                return new Expected(Disposition.DROPPED_BY_RULE, Optional.of(new RuleRef(TableName.FILTER, "BLOCKLIST", i + 1)));
            }
        }
        int p = dport - FIRST_PORT;
        if (p >= 0 && p < PORT_RULES) {
            return new Expected(Disposition.FORWARDED, Optional.of(new RuleRef(TableName.FILTER, "FORWARD", p + 2)));
        }
        return new Expected(Disposition.DROPPED_BY_POLICY, Optional.empty());
    }

    @BeforeAll
    void load() throws InputException {
        text = tenThousandRules();
        ruleset = IptablesSaveParser.parse(text, "10k.rules").ruleset();
    }

    @Test
    void tenThousandRulesLoadAndPrintBackAsRead() throws InputException {
        int rules = ruleset.table(TableName.FILTER).orElseThrow().chains().stream().mapToInt(c -> c.rules().size()).sum();
        assertThat(rules).isEqualTo(10_000);
        String printed = IptablesSave.print(ruleset);
        assertThat(printed).contains("-A BLOCKLIST -d 10.35.39.0/24 -j DROP");
        assertThat(IptablesSaveParser.parse(printed, "printed").ruleset()).isEqualTo(ruleset);
    }

    @Test
    void everyProbeEndsWhereAFirstMatchWalkSaysAndCountsOnlyItsRule() throws InputException {
        RuleCounters counters = new RuleCounters();
        ArticleHost h = new ArticleHost();
        PathRunner host = new PathRunner(Netfilter.iptables(ruleset, counters, h, ConntrackSettings.DEFAULTS, 3), h, true);
        // the first, a middle and the last block-list rule, the first network after the list, and the internet;
        // the first, a middle and the last port rule, the first port after them
        List<String[]> probes = List.of(
                new String[] {"10.0.0.5", "1000"}, new String[] {"10.17.148.200", "1500"}, new String[] {"10.35.39.7", "1997"},
                new String[] {"10.35.40.1", "1000"}, new String[] {"10.35.40.1", "1998"}, new String[] {"8.8.8.8", "1000"},
                new String[] {"8.8.8.8", "1500"}, new String[] {"142.250.1.1", "1997"}, new String[] {"142.250.1.1", "80"},
                new String[] {"142.250.1.1", "1998"});
        int sport = 40000;
        for (String[] probe : probes) {
            int dport = Integer.parseInt(probe[1]);
            Expected e = oracleTcp(probe[0], dport);
            long before = e.decisive().map(r -> counters.rule(r).packets())
                    .orElseGet(() -> counters.policy(new ChainRef(TableName.FILTER, "FORWARD")).packets());

            PathRunner.Result r = host.receive(Packets.tcp("192.168.122.55", sport++, probe[0], dport, 64, 1, 0, 0x02, 0),
                    "virbr0", M, M, 1_000_000L);

            assertThat(r.disposition()).as("%s:%d", probe[0], dport).isEqualTo(e.disposition());
            long after = e.decisive().map(d -> counters.rule(d).packets())
                    .orElseGet(() -> counters.policy(new ChainRef(TableName.FILTER, "FORWARD")).packets());
            assertThat(after - before).as("%s:%d counted where decided", probe[0], dport).isEqualTo(1);
            e.decisive().ifPresent(d -> {
                // the rule before it did not match (FORWARD #1 is the jump every packet takes)
                int previous = d.number() - 1;
                if (previous > (d.chain().equals("FORWARD") ? 1 : 0)) {
                    assertThat(counters.rule(new RuleRef(TableName.FILTER, d.chain(), previous)).packets()).isZero();
                }
            });
        }
        // every probe walked through the jump to the block list
        assertThat(counters.rule(new RuleRef(TableName.FILTER, "FORWARD", 1)).packets()).isEqualTo(probes.size());
    }

    @Test
    void icmpPassesTheWholeBlockListAndTheLastRuleTakesIt() throws InputException {
        RuleCounters counters = new RuleCounters();
        ArticleHost h = new ArticleHost();
        PathRunner host = new PathRunner(Netfilter.iptables(ruleset, counters, h, ConntrackSettings.DEFAULTS, 3), h, true);

        PathRunner.Result r = host.receive(Packets.ping("192.168.122.55", "8.8.8.8", 64, 7, 1), "virbr0", M, M, 1_000_000L);

        assertThat(r.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(counters.rule(new RuleRef(TableName.FILTER, "FORWARD", PORT_RULES + 2)).packets()).isEqualTo(1);
        assertThat(counters.rule(new RuleRef(TableName.FILTER, "BLOCKLIST", BLOCKED_NETWORKS)).packets()).isZero();
    }
}
