package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.ChainRef;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.SaveFile;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.protocols.MacAddress;

/**
 * Connections are tracked in a namespace only while a rule needs them (nf_ct_netns_get by the conntrack,
 * state and connmark matches, CONNMARK and the NAT targets), as the kernel oracle showed for
 * nft_nat.sh: with a stateless filter table the host's conntrack stayed empty; a MASQUERADE rule started
 * tracking; restoring the nat table empty stopped it again (no new entries, no nat policy counts), the old
 * entries staying until they expire.
 */
class ConntrackOnDemandTest {
    static final MacAddress M = MacAddress.parse("52:54:00:aa:bb:01");
    static final String FILTER = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            + "-A FORWARD -p udp -j ACCEPT\nCOMMIT\n";
    static final String NAT_HEAD = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n";

    final ArticleHost h = new ArticleHost();
    SaveFile save;
    Netfilter nf;
    PathRunner host;

    void load(String rules) throws InputException {
        save = IptablesSaveParser.parse(rules, "rules");
        nf = Netfilter.iptables(save.ruleset(), save.counters(), h, ConntrackSettings.DEFAULTS, 3);
        host = new PathRunner(nf, h, true);
    }

    void forward(int sport, long now) {
        host.receive(Packets.udp("192.168.122.55", sport, "8.8.8.8", 53, 64, 30), "virbr0", M, M, now);
    }

    @Test
    void aStatelessRulesetTracksNothing() throws InputException {
        load(FILTER);
        forward(40001, 1_000_000);

        assertThat(nf.conntrack().entries()).isEmpty();
    }

    @Test
    void aNatRuleStartsTrackingAndAnEmptyNatTableStopsIt() throws InputException {
        load(FILTER + NAT_HEAD + "-A POSTROUTING -o enp3s0 -j MASQUERADE\nCOMMIT\n");
        forward(40001, 1_000_000);
        assertThat(nf.conntrack().entries()).hasSize(1);

        SaveFile empty = IptablesSaveParser.parse(FILTER + NAT_HEAD + "COMMIT\n", "empty-nat");
        nf.replaceRuleset(empty.ruleset(), empty.counters());
        forward(40002, 2_000_000);

        assertThat(nf.conntrack().entries()).as("the first flow's entry stays, the second is not tracked").hasSize(1);
        assertThat(empty.counters().policy(new ChainRef(TableName.NAT, "POSTROUTING")).packets())
                .as("nat chains are walked only for a new connection").isZero();
    }

    @Test
    void aConntrackMatchAloneIsEnough() throws InputException {
        load("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + "-A FORWARD -m conntrack --ctstate NEW -j ACCEPT\nCOMMIT\n");
        forward(40001, 1_000_000);

        assertThat(nf.conntrack().entries()).hasSize(1);
    }

    @Test
    void nfDefragIpv4ComesAndGoesWithConntrackFirstOnPreroutingAndOutput() throws InputException {
        load(FILTER);
        assertThat(nf.chains(org.vnetlab.emulator.netfilter.Hook.PREROUTING)).extracting(BaseChain::name).doesNotContain("defrag PREROUTING");

        load(FILTER + NAT_HEAD + "-A POSTROUTING -o enp3s0 -j MASQUERADE\nCOMMIT\n");
        for (org.vnetlab.emulator.netfilter.Hook hook : java.util.List.of(org.vnetlab.emulator.netfilter.Hook.PREROUTING,
                org.vnetlab.emulator.netfilter.Hook.OUTPUT)) {
            BaseChain first = nf.chains(hook).get(0);
            assertThat(first.name()).isEqualTo("defrag " + hook.name());
            assertThat(first.priority()).isEqualTo(BaseChain.Priority.CONNTRACK_DEFRAG);
        }
        SaveFile stateless = IptablesSaveParser.parse(FILTER, "stateless");
        nf.replaceRuleset(stateless.ruleset(), stateless.counters());
        assertThat(nf.chains(org.vnetlab.emulator.netfilter.Hook.PREROUTING)).extracting(BaseChain::name).doesNotContain("defrag PREROUTING");
    }

    @Test
    void withNoIpLayerBehindItAFragmentPassesUnreassembledAndTheTraceSaysSo() throws InputException {
        load(FILTER + NAT_HEAD + "-A POSTROUTING -o enp3s0 -j MASQUERADE\nCOMMIT\n");
        io.netty.buffer.ByteBuf first = Packets.udp("192.168.122.55", 40001, "8.8.8.8", 53, 64, 30);
        first.setShort(6, 0x2000);
        first.setShort(10, 0);
        first.setShort(10, org.vnetlab.protocols.checksum.InternetChecksum.compute(first, 0, 20));
        PathRunner.Result r = host.receive(first, "virbr0", M, M, 1_000_000);

        assertThat(r.trace().render()).contains("defrag: fragment not reassembled (no IP fragment queue behind this hook)")
                .contains("INVALID");
        assertThat(nf.conntrack().entries()).isEmpty();
    }
}
