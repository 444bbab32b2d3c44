package org.vnetlab.emulator.netfilter.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Match;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.TableName;

/**
 * {@code -m rpfilter} as iptables 1.8.9 (nf_tables) loads, saves and lists it, and where the kernel accepts
 * it (raw or mangle, PREROUTING only); texts taken from the real tools in a scratch namespace.
 */
class RpfilterMatchTest {
    static final String RAW = """
            *raw
            :PREROUTING ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A PREROUTING -s 192.168.0.0/16 -m rpfilter --loose --accept-local --invert -j ACCEPT
            -A PREROUTING -m rpfilter
            -A PREROUTING -m rpfilter --validmark -j DROP
            COMMIT
            """;

    @Test
    void optionsAreFlagsSavedInIptablesOrder() throws InputException {
        SaveFile save = IptablesSaveParser.parse(RAW, "raw.rules");
        assertThat(save.ruleset().table(TableName.RAW).orElseThrow().chain("PREROUTING").orElseThrow().rule(1).matches())
                .containsExactly(new Match.Rpfilter(true, false, true, true));
        assertThat(IptablesSave.print(save.ruleset())).contains(
                "-A PREROUTING -s 192.168.0.0/16 -m rpfilter --loose --accept-local --invert -j ACCEPT\n",
                "-A PREROUTING -m rpfilter\n",
                "-A PREROUTING -m rpfilter --validmark -j DROP\n");
    }

    @Test
    void listedLikeIptablesL() throws InputException {
        Ruleset r = IptablesSaveParser.parse(RAW, "raw.rules").ruleset();
        String listed = IptablesCommand.parse("iptables -t raw -L PREROUTING -n").apply(r).output();
        assertThat(listed).contains("ACCEPT     0    --  192.168.0.0/16       0.0.0.0/0            rpfilter loose accept-local invert\n")
                .contains("           0    --  0.0.0.0/0            0.0.0.0/0            rpfilter\n");
    }

    @Test
    void onlyInRawOrMangleAndOnlyFromPrerouting() {
        InputException filter = catchThrowableOfType(InputException.class, () -> IptablesSaveParser.parse(
                "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m rpfilter -j ACCEPT\nCOMMIT\n", "f.rules"));
        assertThat(filter.problem()).isEqualTo("RULE_APPEND failed (Invalid argument): rule in chain INPUT");
        assertThat(filter.hint()).hasValueSatisfying(h -> assertThat(h).contains("only valid in the raw or mangle table"));

        InputException output = catchThrowableOfType(InputException.class, () -> IptablesSaveParser.parse(
                "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -m rpfilter -j ACCEPT\nCOMMIT\n", "r.rules"));
        assertThat(output.problem()).isEqualTo("RULE_APPEND failed (Invalid argument): rule in chain OUTPUT");
        assertThat(output.hint()).hasValueSatisfying(h -> assertThat(h).contains("only valid in PREROUTING"));
    }

    @Test
    void invertIsAnOptionNotANegation() {
        InputException e = catchThrowableOfType(InputException.class, () -> IptablesSaveParser.parse(
                "*raw\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -m rpfilter ! --invert\nCOMMIT\n", "r.rules"));
        assertThat(e.problem()).isEqualTo("rpfilter: option \"--invert\" cannot be inverted.");
    }
}
