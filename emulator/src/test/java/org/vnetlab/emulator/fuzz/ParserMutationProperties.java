package org.vnetlab.emulator.fuzz;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.vnetlab.emulator.input.InputException;

/**
 * Every parser of user input against mutations of every real input bundled for it: a few lines deleted,
 * duplicated, swapped or cut, tokens deleted, duplicated, swapped or corrupted. Each mutated file either
 * loads or raises InputException pointing at one of its lines, with a column and a problem; no other
 * exception may escape. (A mutation may well leave a valid file: a duplicated comment, a number still in
 * range.) Seeded, so a run is repeatable; jqwik shrinks a failure to the fewest edits.
 */
class ParserMutationProperties {
    static final int TRIES = 250;

    static void loadsOrPointsAtALine(TextParser parser, int pick, List<TextMutation> edits) {
        BundledInput input = parser.inputs().get(Math.floorMod(pick, parser.inputs().size()));
        String mutated = TextMutation.applyAll(input.text(), edits);
        try {
            parser.parse(input.name(), mutated);
            Statistics.collect("loaded");
        } catch (InputException e) {
            InputErrors.assertPointsIntoFile(e, input.name(), new BundledInput(input.name(), mutated).lineCount());
            Statistics.collect("refused");
        }
    }

    @Provide
    Arbitrary<List<TextMutation>> edits() {
        Arbitrary<Integer> any = Arbitraries.integers().between(0, 1 << 20);
        Arbitrary<TextMutation> one = Combinators.combine(Arbitraries.of(TextMutation.Kind.class), any, any, any)
                .as(TextMutation::new);
        return one.list().ofMinSize(1).ofMaxSize(3);
    }

    @Property(tries = TRIES, seed = "1")
    void iptablesSave(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.IPTABLES_SAVE, pick, edits);
    }

    @Property(tries = TRIES, seed = "2")
    void iptablesScript(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.IPTABLES_SCRIPT, pick, edits);
    }

    @Property(tries = TRIES, seed = "3")
    void iptablesCommand(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.IPTABLES_COMMAND, pick, edits);
    }

    @Property(tries = TRIES, seed = "4")
    void libvirtCommandLog(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.LIBVIRT_COMMAND_LOG, pick, edits);
    }

    @Property(tries = TRIES, seed = "5")
    void networkXml(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.NETWORK_XML, pick, edits);
    }

    @Property(tries = TRIES, seed = "6")
    void networkSchema(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.NETWORK_SCHEMA, pick, edits);
    }

    @Property(tries = TRIES, seed = "7")
    void dnsmasqConf(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.DNSMASQ_CONF, pick, edits);
    }

    @Property(tries = TRIES, seed = "8")
    void dnsmasqDhcpHosts(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.DNSMASQ_DHCP_HOSTS, pick, edits);
    }

    @Property(tries = TRIES, seed = "9")
    void dnsmasqAddnHosts(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.DNSMASQ_ADDN_HOSTS, pick, edits);
    }

    @Property(tries = TRIES, seed = "10")
    void ipRoute(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.IP_ROUTE, pick, edits);
    }

    @Property(tries = TRIES, seed = "11")
    void routeN(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.ROUTE_N, pick, edits);
    }

    @Property(tries = TRIES, seed = "12")
    void ipAddr(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.IP_ADDR, pick, edits);
    }

    @Property(tries = TRIES, seed = "13")
    void ipBrief(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.IP_BRIEF, pick, edits);
    }

    @Property(tries = TRIES, seed = "14")
    void sysctlDump(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.SYSCTL_DUMP, pick, edits);
    }

    @Property(tries = TRIES, seed = "15")
    void sysctlConf(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.SYSCTL_CONF, pick, edits);
    }

    @Property(tries = TRIES, seed = "16")
    void sysctlLoad(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.SYSCTL_LOAD, pick, edits);
    }

    @Property(tries = TRIES, seed = "17")
    void resolvConf(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.RESOLV_CONF, pick, edits);
    }

    @Property(tries = TRIES, seed = "18")
    void ipconfig(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.IPCONFIG, pick, edits);
    }

    @Property(tries = TRIES, seed = "19")
    void hostDumpFile(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.HOST_DUMP_FILE, pick, edits);
    }

    @Property(tries = TRIES, seed = "30")
    void ipsetSave(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.IPSET_SAVE, pick, edits);
    }

    @Property(tries = TRIES, seed = "31")
    void networkConf(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.NETWORK_CONF, pick, edits);
    }

    @Property(tries = TRIES, seed = "32")
    void nftFile(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.NFT_FILE, pick, edits);
    }

    @Property(tries = TRIES, seed = "33")
    void nftCommands(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.NFT_COMMANDS, pick, edits);
    }

    @Property(tries = TRIES, seed = "34")
    void iptablesRestore(@ForAll @IntRange(max = 999) int pick, @ForAll("edits") List<TextMutation> edits) {
        loadsOrPointsAtALine(TextParsers.IPTABLES_RESTORE, pick, edits);
    }
}
