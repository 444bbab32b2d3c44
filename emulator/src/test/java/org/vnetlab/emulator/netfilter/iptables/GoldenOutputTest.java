package org.vnetlab.emulator.netfilter.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.TableName;

/**
 * Every output format against what the real iptables v1.8.9 (nf_tables) printed for the same input
 * (golden/everything.rules, restored with counters in a private network namespace; golden/regenerate.sh).
 */
class GoldenOutputTest {
    static SaveFile loaded;

    @BeforeAll
    static void load() throws InputException {
        loaded = IptablesSaveParser.parse(Fixtures.resource("golden/everything.rules"), "everything.rules");
    }

    static Table table(String name) {
        return loaded.ruleset().table(TableName.of(name).orElseThrow()).orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "mangle", "nat", "filter"})
    void iptablesSaveMatchesTheRealTool(String t) {
        assertThat(IptablesSave.table(table(t), loaded.counters(), false)).isEqualTo(Fixtures.resource("golden/save-" + t + ".txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "mangle", "nat", "filter"})
    void iptablesSaveWithCountersMatchesTheRealTool(String t) {
        assertThat(IptablesSave.table(table(t), loaded.counters(), true)).isEqualTo(Fixtures.resource("golden/save-c-" + t + ".txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "mangle", "nat", "filter"})
    void listRulesMatchesTheRealTool(String t) {
        assertThat(Listing.listRules(table(t), loaded.counters(), false)).isEqualTo(Fixtures.resource("golden/S-" + t + ".txt"));
        assertThat(Listing.listRules(table(t), loaded.counters(), true)).isEqualTo(Fixtures.resource("golden/S-v-" + t + ".txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"raw", "mangle", "nat", "filter"})
    void listMatchesTheRealTool(String t) {
        Table tb = table(t);
        assertThat(Listing.list(tb, loaded.counters(), new Listing.Options(true, false, false, false)))
                .isEqualTo(Fixtures.resource("golden/L-n-" + t + ".txt"));
        assertThat(Listing.list(tb, loaded.counters(), new Listing.Options(true, true, false, false)))
                .isEqualTo(Fixtures.resource("golden/L-n-v-" + t + ".txt"));
        assertThat(Listing.list(tb, loaded.counters(), new Listing.Options(true, true, true, true)))
                .isEqualTo(Fixtures.resource("golden/L-n-v-x-line-" + t + ".txt"));
        assertThat(Listing.list(tb, loaded.counters(), new Listing.Options(false, false, false, false)))
                .isEqualTo(Fixtures.resource("golden/L-" + t + ".txt"));
        assertThat(Listing.list(tb, loaded.counters(), new Listing.Options(false, true, false, false)))
                .isEqualTo(Fixtures.resource("golden/L-v-" + t + ".txt"));
    }

    @Test
    void singleChainAndSingleRuleListings() throws InputException {
        Ruleset r = loaded.ruleset();
        assertThat(IptablesCommand.parse("iptables -S INPUT 3").apply(r, loaded.counters()).output())
                .isEqualTo(Fixtures.resource("golden/S-INPUT-3.txt"));
        assertThat(IptablesCommand.parse("iptables -S LIBVIRT_OUT").apply(r, loaded.counters()).output())
                .isEqualTo(Fixtures.resource("golden/S-LIBVIRT_OUT.txt"));
        assertThat(IptablesCommand.parse("iptables -L LIBVIRT_FWI -n -v").apply(r, loaded.counters()).output())
                .isEqualTo(Fixtures.resource("golden/L-LIBVIRT_FWI.txt"));
    }
}
