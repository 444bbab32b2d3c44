package org.vnetlab.emulator.netfilter.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.ChainRef;
import org.vnetlab.emulator.netfilter.Counter;
import org.vnetlab.emulator.netfilter.Policy;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.TableName;

/** The iptables command subset a sysadmin types, with iptables' own results and error texts. */
class IptablesCommandTest {

    static Ruleset run(Ruleset r, String... commands) throws InputException {
        for (String c : commands) r = IptablesCommand.parse(c).apply(r).ruleset();
        return r;
    }

    static String rules(Ruleset r, String table) throws InputException {
        return IptablesCommand.parse("iptables -t " + table + " -S").apply(r).output();
    }

    static InputException fails(Ruleset r, String command) {
        return catchThrowableOfType(InputException.class, () -> IptablesCommand.parse(command).apply(r));
    }

    @Test
    void appendInsertReplaceDelete() throws InputException {
        Ruleset r = run(Ruleset.EMPTY,
                "iptables -A INPUT -i lo -j ACCEPT",
                "iptables -A INPUT -p tcp --dport 22 -j ACCEPT",
                "iptables -I INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
                "iptables -I INPUT 3 -p icmp --icmp-type echo-request -j ACCEPT",
                "iptables -R INPUT 4 -p tcp --dport 2222 -j ACCEPT",
                "iptables -D INPUT -i lo -j ACCEPT");
        assertThat(rules(r, "filter")).isEqualTo("""
                -P INPUT ACCEPT
                -P FORWARD ACCEPT
                -P OUTPUT ACCEPT
                -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
                -A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT
                -A INPUT -p tcp -m tcp --dport 2222 -j ACCEPT
                """);
        r = run(r, "iptables -D INPUT 2");
        assertThat(rules(r, "filter")).doesNotContain("icmp");
    }

    @Test
    void deleteBySpecificationComparesTheStoredRuleNotTheSpelling() throws InputException {
        Ruleset r = run(Ruleset.EMPTY, "iptables -A INPUT -p udp -d 53 -j ACCEPT");
        // -d 53 and -d 53.0.0.0/32 are the same stored rule
        r = run(r, "iptables -D INPUT --protocol udp --destination 53.0.0.0/32 --jump ACCEPT");
        assertThat(rules(r, "filter")).doesNotContain("-A INPUT");
    }

    @Test
    void iptablesOwnErrorTexts() throws InputException {
        Ruleset r = run(Ruleset.EMPTY, "iptables -N A", "iptables -A INPUT -j A", "iptables -A A -j ACCEPT");
        assertThat(fails(r, "iptables -D INPUT -p tcp -j ACCEPT").problem())
                .isEqualTo("iptables: Bad rule (does a matching rule exist in that chain?).");
        assertThat(fails(r, "iptables -A NOPE -j ACCEPT").problem()).isEqualTo("iptables: No chain/target/match by that name.");
        assertThat(fails(r, "iptables -D INPUT 5").problem()).isEqualTo("iptables: Index of deletion too big.");
        assertThat(fails(r, "iptables -I INPUT 3 -j ACCEPT").problem()).isEqualTo("iptables: Index of insertion too big.");
        assertThat(fails(r, "iptables -R INPUT 9 -j ACCEPT").problem()).isEqualTo("iptables: Index of replacement too big.");
        assertThat(fails(r, "iptables -N A").problem()).isEqualTo("iptables: Chain already exists.");
        assertThat(fails(r, "iptables -X A").problem()).isEqualTo("iptables: Directory not empty.");
        assertThat(fails(r, "iptables -P A ACCEPT").problem()).isEqualTo("iptables: Bad built-in chain name.");
        assertThat(fails(r, "iptables -P INPUT REJECT").problem()).isEqualTo("iptables: Bad policy name. Run `dmesg' for more information.");
        assertThat(fails(r, "iptables -E A INPUT").problem()).isEqualTo("iptables: File exists.");
        assertThat(fails(r, "iptables -t foo -L").problem()).isEqualTo("table 'foo' does not exist");
        assertThat(fails(r, "iptables -A INPUT -j").problem()).isEqualTo("option \"-j\" requires an argument");
        assertThat(fails(r, "iptables -L -A INPUT").problem()).isEqualTo("Cannot use -A with -L");
        assertThat(fails(r, "iptables ! -A INPUT").problem()).isEqualTo("unexpected '!' flag");
        assertThat(fails(r, "iptables -A INPUT !").problem()).isEqualTo("nothing appropriate following !");
        assertThat(fails(r, "iptables -N TOOLONGNAME_ABCDEFGHIJKLMNOPQRSTU").problem())
                .isEqualTo("chain name `TOOLONGNAME_ABCDEFGHIJKLMNOPQRSTU' too long (must be under 29 chars)");
        assertThat(fails(r, "iptables -N ACCEPT").problem()).isEqualTo("chain name may not clash with target name");
        assertThat(fails(r, "iptables -A INPUT -i ''").problem()).isEqualTo("Empty interface is likely to be undesired");
        assertThat(fails(r, "iptables -I INPUT 0 -j ACCEPT").problem()).isEqualTo("Invalid rule number `0'");
        assertThat(fails(r, "iptables -A INPUT -j ACCEPT -j DROP").problem()).isEqualTo("multiple -j flags not allowed");
        assertThat(fails(r, "iptables -t nat -A POSTROUTING -j MASQUERADE --to-ports 5").problem())
                .isEqualTo("Need TCP, UDP, SCTP or DCCP with port specification");
        assertThat(fails(r, "iptables -A INPUT -m conntrack -j ACCEPT").problem()).isEqualTo("conntrack: At least one option is required");
        assertThat(fails(r, "iptables -t nat -A PREROUTING -j DROP").problem())
                .isEqualTo("The \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.");
        assertThat(fails(r, "ip6tables -L").problem()).isEqualTo("ip6tables is not supported");
    }

    @Test
    void deletingAReferencedChainFails() throws InputException {
        Ruleset r = run(Ruleset.EMPTY, "iptables -N A", "iptables -A INPUT -j A");
        InputException e = fails(r, "iptables -X A");
        assertThat(e.problem()).isEqualTo("CHAIN_DEL failed (Device or resource busy): chain A");
        r = run(r, "iptables -D INPUT -j A", "iptables -X A");
        assertThat(rules(r, "filter")).doesNotContain("-N A");
    }

    @Test
    void renameMovesReferencesAndCounters() throws InputException {
        RuleCounters k = new RuleCounters();
        Ruleset r = run(Ruleset.EMPTY, "iptables -N OLD", "iptables -A OLD -j ACCEPT", "iptables -A INPUT -g OLD");
        k.countRule(new RuleRef(TableName.FILTER, "OLD", 1), 100);
        r = IptablesCommand.parse("iptables -E OLD NEW").apply(r, k).ruleset();
        assertThat(rules(r, "filter")).contains("-A INPUT -g NEW\n", "-A NEW -j ACCEPT\n");
        assertThat(k.rule(new RuleRef(TableName.FILTER, "NEW", 1))).isEqualTo(new Counter(1, 100));
    }

    @Test
    void policyFlushAndDeleteAll() throws InputException {
        Ruleset r = run(Ruleset.EMPTY, "iptables -P FORWARD DROP", "iptables -N X", "iptables -A X -j ACCEPT",
                "iptables -A FORWARD -j ACCEPT", "iptables -F", "iptables -X");
        assertThat(r.tableOrEmpty(TableName.FILTER).chain("FORWARD").orElseThrow().policy()).contains(Policy.DROP);
        assertThat(rules(r, "filter")).isEqualTo("-P INPUT ACCEPT\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n");
    }

    @Test
    void countersFollowRulesWhenOthersAreInsertedAndZeroResets() throws InputException {
        RuleCounters k = new RuleCounters();
        Ruleset r = IptablesCommand.parse("iptables -A INPUT -j ACCEPT").apply(Ruleset.EMPTY, k).ruleset();
        k.countRule(new RuleRef(TableName.FILTER, "INPUT", 1), 60);
        r = IptablesCommand.parse("iptables -I INPUT -p tcp -j ACCEPT").apply(r, k).ruleset();
        assertThat(k.rule(new RuleRef(TableName.FILTER, "INPUT", 2))).isEqualTo(new Counter(1, 60));
        assertThat(k.rule(new RuleRef(TableName.FILTER, "INPUT", 1))).isEqualTo(Counter.ZERO);
        String listed = IptablesCommand.parse("iptables -L INPUT -n -v -x --line-numbers").apply(r, k).output();
        assertThat(listed).contains("2           1       60 ACCEPT");
        IptablesCommand.parse("iptables -Z").apply(r, k);
        assertThat(k.rule(new RuleRef(TableName.FILTER, "INPUT", 2))).isEqualTo(Counter.ZERO);
    }

    @Test
    void setCountersAndCheck() throws InputException {
        RuleCounters k = new RuleCounters();
        Ruleset r = IptablesCommand.parse("iptables -A INPUT -j ACCEPT -c 10 2000").apply(Ruleset.EMPTY, k).ruleset();
        assertThat(k.rule(new RuleRef(TableName.FILTER, "INPUT", 1))).isEqualTo(new Counter(10, 2000));
        assertThat(IptablesCommand.parse("iptables -C INPUT -j ACCEPT").apply(r).output()).isEmpty();
        assertThat(fails(r, "iptables -C INPUT -j DROP").problem()).startsWith("iptables: Bad rule");
    }

    @Test
    void getoptConveniencesWork() throws InputException {
        Ruleset r = run(Ruleset.EMPTY,
                "sudo /usr/sbin/iptables -w 5 -tnat -AOUTPUT -ptcp --dport=80 -j DNAT --to 10.0.0.1:8080",
                "iptables --table=filter --append INPUT --src 10.0.0.1,10.0.0.2 --jump DROP");
        assertThat(rules(r, "nat")).contains("-A OUTPUT -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.0.0.1:8080\n");
        assertThat(rules(r, "filter")).contains("-A INPUT -s 10.0.0.1/32 -j DROP\n-A INPUT -s 10.0.0.2/32 -j DROP\n");
        String all = IptablesCommand.parse("iptables -nvL INPUT").apply(r).output();
        assertThat(all).startsWith("Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\n");
    }

    @Test
    void insertingAnAddressListPutsTheLastAddressFirst() throws InputException {
        Ruleset r = run(Ruleset.EMPTY, "iptables -I INPUT -s 1.1.1.1,2.2.2.2 -j DROP");
        assertThat(rules(r, "filter")).contains("-A INPUT -s 2.2.2.2/32 -j DROP\n-A INPUT -s 1.1.1.1/32 -j DROP\n");
    }

    @Test
    void optionsGoToTheNewestExtensionThatKnowsThem() throws InputException {
        Ruleset r = run(Ruleset.EMPTY, "iptables -A INPUT -p tcp ! --syn -m tcp --tcp-option 2 -j DROP",
                "iptables -A INPUT -m comment --comment x -p tcp --dport 22 -j ACCEPT");
        assertThat(rules(r, "filter")).contains(
                "-A INPUT -p tcp -m tcp ! --tcp-flags FIN,SYN,RST,ACK SYN -m tcp --tcp-option 2 -j DROP\n",
                "-A INPUT -p tcp -m comment --comment x -m tcp --dport 22 -j ACCEPT\n");
    }

    @Test
    void scriptsAreAllOrNothing() throws InputException {
        InputException e = catchThrowableOfType(InputException.class, () -> IptablesScript.apply(Ruleset.EMPTY, new RuleCounters(),
                "iptables -N A\n# a comment\n\niptables -A A -j ACCEPT \\\n  -m comment --comment ok\niptables -A B -j ACCEPT\n", "fw.sh"));
        assertThat(e.file()).isEqualTo("fw.sh");
        assertThat(e.line()).isEqualTo(6);
        assertThat(IptablesScript.commands("a \\\nb\nc\n")).containsExactly(
                new IptablesScript.Command(1, "a  b"), new IptablesScript.Command(3, "c"));
    }

    @Test
    void restoreNoflushKeepsOtherRulesAndFlushesDeclaredChains() throws InputException {
        RuleCounters k = new RuleCounters();
        Ruleset base = run(Ruleset.EMPTY, "iptables -A INPUT -j ACCEPT", "iptables -N X", "iptables -A X -j DROP",
                "iptables -t nat -A POSTROUTING -j MASQUERADE");
        Ruleset r = IptablesSaveParser.restore(base, k, "*filter\n:X - [0:0]\n-A X -j RETURN\nCOMMIT\n", "in", true);
        assertThat(rules(r, "filter")).contains("-A INPUT -j ACCEPT\n", "-A X -j RETURN\n").doesNotContain("-A X -j DROP");
        Ruleset flushed = IptablesSaveParser.restore(base, k, "*filter\nCOMMIT\n", "in", false);
        assertThat(rules(flushed, "filter")).isEqualTo("-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n");
        assertThat(rules(flushed, "nat")).contains("MASQUERADE");
    }

    /** Seen with iptables-restore 1.8.9 (nf_tables) in a network namespace: [p:b] counts only with -c; a rule's -c always. */
    @Test
    void restoreLoadsTheFilesCountersOnlyWithDashC() throws InputException {
        String file = "*filter\n:FORWARD DROP [5:500]\n[7:700] -A FORWARD -i lo -j ACCEPT\n-A FORWARD -c 3 300 -o lo -j ACCEPT\nCOMMIT\n";
        Ruleset base = run(Ruleset.EMPTY, "iptables -P FORWARD DROP");
        RuleCounters live = new RuleCounters();
        ChainRef forward = new ChainRef(TableName.FILTER, "FORWARD");
        live.setPolicy(forward, new Counter(9, 900));

        RuleCounters plain = live.copy();
        IptablesSaveParser.restore(base, plain, file, "in", true, false);
        assertThat(plain.policy(forward)).isEqualTo(Counter.ZERO); // the chain line hands the kernel zeros
        assertThat(plain.rule(new RuleRef(TableName.FILTER, "FORWARD", 1))).isEqualTo(Counter.ZERO);
        assertThat(plain.rule(new RuleRef(TableName.FILTER, "FORWARD", 2))).isEqualTo(new Counter(3, 300));

        RuleCounters withC = live.copy();
        IptablesSaveParser.restore(base, withC, file, "in", true, true);
        assertThat(withC.policy(forward)).isEqualTo(new Counter(5, 500));
        assertThat(withC.rule(new RuleRef(TableName.FILTER, "FORWARD", 1))).isEqualTo(new Counter(7, 700));
    }

    @Test
    void listRulesOfOneChainAndRule() throws InputException {
        Ruleset r = run(Ruleset.EMPTY, "iptables -N X", "iptables -A X -j ACCEPT");
        assertThat(IptablesCommand.parse("iptables -S X").apply(r).output()).isEqualTo("-N X\n-A X -j ACCEPT\n");
        assertThat(IptablesCommand.parse("iptables -L X").apply(r).output()).isEqualTo(
                "Chain X (0 references)\ntarget     prot opt source               destination         \n"
                        + "ACCEPT     all  --  anywhere             anywhere            \n");
        IptablesCommand c = IptablesCommand.parse("iptables -t nat -S POSTROUTING");
        assertThat(List.of(c.table(), String.valueOf(c.command()), c.chain())).containsExactly("nat", "S", "POSTROUTING");
    }

    @Test
    void policyCountersViaChainRef() throws InputException {
        RuleCounters k = new RuleCounters();
        IptablesCommand.parse("iptables -P INPUT DROP -c 3 300").apply(Ruleset.EMPTY, k);
        assertThat(k.policy(new ChainRef(TableName.FILTER, "INPUT"))).isEqualTo(new Counter(3, 300));
    }
}
