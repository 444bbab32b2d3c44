package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.tcp.TcpSegment;

/**
 * MASQUERADE with its port range used up towards one destination, as the kernel handles it (nf_nat_core.c,
 * nf_conntrack_core.c): nf_nat_l4proto_unique_tuple tries the range from a random offset, finds every port
 * taken and gives up with a tuple that is still in use; nf_nat_setup_info accepts it anyway ("at worst ...
 * we will end up with a final duplicate in __nf_conntrack_confirm and drop the packet"), and the confirm
 * step finds the reply tuple taken, cannot resolve the clash (the other entry is NATed and a different flow)
 * and returns NF_DROP. The new connection's first packet dies; nothing else changes. Tuples are unique per
 * destination, so the same ports are free again towards another one.
 */
class NatPortExhaustionTest {
    static final MacAddress M = MacAddress.parse("52:54:00:aa:bb:01");
    static final String GUEST = "192.168.122.55";
    static final String SERVER = "142.250.1.1";
    static final String UPLINK = "192.168.0.10";
    static final String RULES = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            -A POSTROUTING -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p tcp -j MASQUERADE --to-ports 1024-1027
            COMMIT
            """;

    final PathRunner host;
    long now = 1_000_000_000L;

    NatPortExhaustionTest() throws InputException {
        ArticleHost h = new ArticleHost();
        Netfilter nf = Netfilter.iptables(IptablesSaveParser.parse(RULES, "rules").ruleset(), new RuleCounters(), h,
                ConntrackSettings.DEFAULTS, 11);
        host = new PathRunner(nf, h, true);
    }

    PathRunner.Result syn(int sport, String dst, int dport) {
        now += 1_000_000;
        return host.receive(Packets.tcp(GUEST, sport, dst, dport, 64, 1000, 0, 0x02, 0), "virbr0", M, M, now);
    }

    static int sourcePort(PathRunner.Result r) {
        try {
            ByteBuf p = r.packet().orElseThrow();
            Ipv4Packet ip = Ipv4Packet.checked(p);
            assertThat(ip.source().toString()).isEqualTo(UPLINK);
            return TcpSegment.checked(ip.payload()).sourcePort();
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theConnectionAfterTheLastFreePortIsDroppedAtConfirmAndTheOthersKeepTheirs() {
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            PathRunner.Result r = syn(40001 + i, SERVER, 80);
            assertThat(r.disposition()).isEqualTo(Disposition.FORWARDED);
            ports.add(sourcePort(r));
        }
        assertThat(ports).containsExactlyInAnyOrder(1024, 1025, 1026, 1027);
        assertThat(host.netfilter().conntrack().count()).isEqualTo(4);

        PathRunner.Result fifth = syn(40005, SERVER, 80);

        assertThat(fifth.disposition()).isEqualTo(Disposition.DROPPED_BY_CONNTRACK);
        assertThat(fifth.packet()).isEmpty();
        assertThat(fifth.trace().reason()).contains("conntrack confirm");
        // the dropped packet's unconfirmed entry is freed: the table holds the four connections, unchanged
        assertThat(host.netfilter().conntrack().count()).isEqualTo(4);
        assertThat(host.netfilter().conntrack().entries()).hasSize(4);
    }

    @Test
    void anotherDestinationStillGetsAPortFromTheSameRange() {
        for (int i = 0; i < 4; i++) syn(40001 + i, SERVER, 80);
        assertThat(syn(40005, SERVER, 80).disposition()).isEqualTo(Disposition.DROPPED_BY_CONNTRACK);

        PathRunner.Result https = syn(40006, SERVER, 443);
        PathRunner.Result dns = syn(40007, "8.8.8.8", 53);

        assertThat(https.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(sourcePort(https)).isBetween(1024, 1027);
        assertThat(dns.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(sourcePort(dns)).isBetween(1024, 1027);
    }

    @Test
    void aPortFreedByAResetIsTakenByTheNextConnection() {
        int freed = -1;
        for (int i = 0; i < 4; i++) {
            PathRunner.Result r = syn(40001 + i, SERVER, 80);
            if (i == 2) freed = sourcePort(r);
        }
        // the server refuses the third connection: a RST answering a SYN destroys the entry at once
        now += 1_000_000;
        PathRunner.Result rst = host.receive(Packets.tcp(SERVER, 80, UPLINK, freed, 60, 0, 1001, 0x14, 0), "enp3s0", M, M, now);
        assertThat(rst.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(host.netfilter().conntrack().count()).isEqualTo(3);

        PathRunner.Result next = syn(40005, SERVER, 80);

        assertThat(next.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(sourcePort(next)).isEqualTo(freed);
    }
}
