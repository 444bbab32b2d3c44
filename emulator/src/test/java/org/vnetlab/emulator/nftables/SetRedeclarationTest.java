package org.vnetlab.emulator.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.nftables.syntax.NftParser;

/**
 * Declaring a set that exists again: the same type and flags add the elements; other flags are refused as the
 * kernel refuses them (nf_tables_newset: EEXIST). Found by Jazzer (nftFile, crash-4e530997…): an interval
 * redeclaration's prefixes were merged into the single-value set and threw ClassCastException.
 */
class SetRedeclarationTest {
    @Test
    void the_same_set_declared_again_adds_its_elements() throws InputException {
        NftRuleset r = NftRuleset.EMPTY.apply(NftParser.parse("f.nft", """
                table inet t {
                  set s { type ipv4_addr; elements = { 10.0.0.2 } }
                  set s { type ipv4_addr; elements = { 10.0.0.1 } }
                }
                """));
        assertThat(r.table(Family.INET, "t").orElseThrow().set("s").orElseThrow().elements()).hasSize(2);
    }

    @Test
    void declaring_it_again_with_flags_interval_is_refused_on_its_line() {
        assertThatThrownBy(() -> NftRuleset.EMPTY.apply(NftParser.parse("f.nft", """
                table inet t {
                  set s { type ipv4_addr; elements = { 10.0.0.1, 10.0.0.2 } }
                  set s { type ipv4_addr; flags interval; elements = { 10.0.0.0/8 } }
                }
                """))).isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.problem()).contains("File exists");
                });
    }
}
