package org.vnetlab.emulator.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;

/** A host built with its {@code ipset save}: members known, missing sets refused as iptables refuses them. */
class HostIpsetsTest {
    private static final String RULES = """
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A INPUT -p tcp -m multiport --dports 22 -m set --match-set f2b-sshd src -j REJECT --reject-with icmp-port-unreachable
            COMMIT
            """;
    private static final String SETS = """
            create f2b-sshd hash:ip family inet hashsize 1024 maxelem 65536 timeout 600 bucketsize 12 initval 0x3fa379a3
            add f2b-sshd 192.168.0.20 timeout 599
            create f2b-sshd6 hash:ip family inet6 hashsize 1024 maxelem 65536 timeout 600 bucketsize 12 initval 0x1d3cd26d
            """;

    private static LibvirtHostLab lab(String rules, String sets) throws Exception {
        return LibvirtHostLab.builder(1).iptablesSave(rules, "iptables-save.txt").ipsetSave(sets, "ipset-save.txt").build();
    }

    @Test
    void aRuleNamingASetTheDumpDoesNotHoldIsRefusedAtItsPlace() {
        assertThatThrownBy(() -> lab(RULES.replace("f2b-sshd src", "f2b-ssh src"), SETS))
                .isInstanceOf(InputException.class)
                .hasMessage("iptables-save.txt:5:61: Set f2b-ssh doesn't exist. near 'f2b-ssh' (hint: the host's ipsets"
                        + " (ipset save) have no set f2b-ssh; iptables refuses a rule naming it)");
        assertThatThrownBy(() -> lab(RULES.replace("f2b-sshd src", "f2b-sshd6 src"), SETS))
                .hasMessageStartingWith("iptables-save.txt:5:61: The protocol family of set f2b-sshd6 is IPv6, which is not applicable.");
    }

    @Test
    void membersAreLoadedListedAndChangedAndLaterRulesAreChecked() throws Exception {
        LibvirtHostLab lab = lab(RULES, SETS);
        HostIpsets sets = lab.host().ipsets();
        assertThat(sets.known()).isTrue();
        assertThat(lab.assumptions()).contains("ipset timeouts are not modelled: the members of f2b-sshd, f2b-sshd6 stay for the"
                + " whole run (no member expires; a member added later gets no timeout)");
        assertThat(sets.list(Optional.of("f2b-sshd")).out()).isEqualTo("""
                Name: f2b-sshd
                Type: hash:ip
                Revision: 6
                Header: family inet hashsize 1024 maxelem 65536 timeout 600 bucketsize 12 initval 0x3fa379a3
                References: 1
                Number of entries: 1
                Members:
                192.168.0.20
                """);
        assertThat(sets.change(true, "f2b-sshd", "192.168.0.20", false))
                .isEqualTo(new HostIpsets.Result("", "ipset v7.17: Element cannot be added to the set: it's already added\n", 1));
        assertThat(sets.change(true, "f2b-sshd", "192.168.0.20", true).exit()).isZero();
        assertThat(sets.change(false, "f2b-sshd", "192.168.0.20", false).exit()).isZero();
        assertThat(sets.change(false, "f2b-sshd", "192.168.0.20", false).err()).contains("it's not added");
        assertThat(sets.change(true, "nope", "1.1.1.1", false).err()).isEqualTo("ipset v7.17: The set with the given name does not exist\n");
        assertThat(sets.save(Optional.empty()).out()).isEqualTo("""
                create f2b-sshd hash:ip family inet hashsize 1024 maxelem 65536 timeout 600 bucketsize 12 initval 0x3fa379a3
                create f2b-sshd6 hash:ip family inet6 hashsize 1024 maxelem 65536 timeout 600 bucketsize 12 initval 0x1d3cd26d
                """);
        assertThatThrownBy(() -> lab.host().firewall().command("iptables -A INPUT -m set --match-set nosuch src -j DROP"))
                .hasMessageContaining("Set nosuch doesn't exist.");
        assertThat(lab.host().firewall().ruleset().table(org.vnetlab.emulator.netfilter.TableName.FILTER).orElseThrow()
                .chain("INPUT").orElseThrow().rules()).hasSize(1);
    }

    @Test
    void withoutAnIpsetDumpTheSetsTheRulesNameAreAssumedEmpty() throws Exception {
        LibvirtHostLab lab = LibvirtHostLab.builder(1).iptablesSave(RULES, "iptables-save.txt").build();
        HostIpsets sets = lab.host().ipsets();
        assertThat(sets.known()).isFalse();
        assertThat(sets.names()).containsExactly("f2b-sshd");
        assertThat(sets.change(true, "f2b-sshd", "192.168.0.20", false).exit()).isZero();
        assertThat(sets.save(Optional.of("f2b-sshd")).out()).isEqualTo("create f2b-sshd hash:ip family inet hashsize 1024 maxelem 65536 bucketsize 12\n"
                + "add f2b-sshd 192.168.0.20\n");
        lab.host().firewall().command("iptables -A INPUT -m set --match-set other src -j DROP");
    }
}
