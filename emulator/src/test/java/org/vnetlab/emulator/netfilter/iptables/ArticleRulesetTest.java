package org.vnetlab.emulator.netfilter.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.AddressFilter;
import org.vnetlab.emulator.netfilter.ChainRef;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.protocols.Ipv4Address;

/** The article's iptables-save blocks: they load as iptables loads them, print canonically, and the lint explains -d 53. */
class ArticleRulesetTest {
    static SaveFile article;

    @BeforeAll
    static void load() throws InputException {
        article = IptablesSaveParser.parse(Fixtures.resource("article.rules"), "article.rules");
    }

    @Test
    void loadsWithoutErrorOrWarning() {
        assertThat(article.warnings()).isEmpty();
        assertThat(article.ruleset().tables()).extracting(t -> t.name()).containsExactly(TableName.NAT, TableName.FILTER);
        assertThat(article.counters().policy(new ChainRef(TableName.NAT, "POSTROUTING")).packets()).isEqualTo(3497);
    }

    @Test
    void dashD53IsTheAddress53000NotAPort() {
        Rule r = article.ruleset().table(TableName.FILTER).orElseThrow().chain("LIBVIRT_OUT").orElseThrow().rule(1);
        assertThat(r.destination()).isEqualTo(new AddressFilter(Ipv4Address.of(53, 0, 0, 0), Ipv4Address.parse("255.255.255.255"), false));
        assertThat(r.matches()).isEmpty();
        assertThat(r.text()).isEqualTo("-d 53.0.0.0/32 -o virbr0 -p udp -j ACCEPT");
        assertThat(r.origin().line()).isEqualTo(41);
        assertThat(r.origin().written()).isEqualTo("-A LIBVIRT_OUT -o virbr0 -p udp -d 53 -j ACCEPT");
    }

    @Test
    void printsExactlyWhatIptablesSavePrintedForIt() {
        String expected = Fixtures.resource("article-canonical.rules").lines().filter(l -> !l.startsWith("#"))
                .collect(Collectors.joining("\n", "", "\n"));
        String printed = IptablesSave.print(article.ruleset(), article.counters(),
                IptablesSave.Options.plain().inOrder(IptablesSave.Options.NFT_ORDER));
        assertThat(printed).isEqualTo(expected);
    }

    @Test
    void lintFlagsTheFourAddressesThatWereMeantAsPorts() {
        List<LintFinding> findings = RulesetLint.check(article.ruleset());
        assertThat(findings).extracting(f -> f.origin().line()).containsExactly(41, 42, 43, 44);
        assertThat(findings.get(0).message()).isEqualTo(
                "-d 53 means destination address 53.0.0.0/32, not port 53; you probably meant `-m udp --dport 53`");
        assertThat(findings.get(1).message()).endsWith("you probably meant `-m tcp --dport 53`");
        assertThat(findings.get(2).message()).startsWith("-d 68 means destination address 68.0.0.0/32, not port 68");
        assertThat(findings.get(0).rule()).isEqualTo("-A LIBVIRT_OUT -d 53.0.0.0/32 -o virbr0 -p udp -j ACCEPT");
        assertThat(findings.get(0).toString()).startsWith("article.rules:41: filter -A LIBVIRT_OUT");
    }

    @Test
    void listRowsMatchTheRuleTextsTheReferenceHostReported() {
        // summary.md quotes `iptables -L -n -v` rows (counters cut, blanks collapsed) as table:CHAIN #N TEXT (+k)
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-z]+):([A-Z_]+) #(\\d+) ([^(<|]*?) \\(\\+\\d+\\)")
                .matcher(Fixtures.sharedText("ref/captures/article/summary.md"));
        int seen = 0;
        while (m.find()) {
            TableName tn = TableName.of(m.group(1)).orElseThrow();
            var table = article.ruleset().table(tn).orElseThrow();
            var chain = table.chain(m.group(2)).orElseThrow();
            String row = Listing.row(table, chain, Integer.parseInt(m.group(3)), article.counters(), Listing.Options.NUMERIC_VERBOSE);
            // drop the two counter columns, collapse the column padding
            String text = row.strip().split("\\s+", 3)[2].replaceAll("\\s+", " ").strip();
            assertThat(text).as(m.group(0)).isEqualTo(m.group(4).strip());
            seen++;
        }
        assertThat(seen).isGreaterThan(50);
    }

    @Test
    void theCanonicalFormHasNothingLeftForTheLintToExplain() throws InputException {
        SaveFile canonical = IptablesSaveParser.parse(Fixtures.resource("article-canonical.rules"), "c");
        assertThat(canonical.ruleset()).isEqualTo(article.ruleset());
        assertThat(RulesetLint.check(canonical.ruleset())).isEmpty();
    }
}
