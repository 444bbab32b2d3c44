package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.protocols.MacAddress;

/** find_appropriate_src: a source that was remapped once keeps its mapping towards other destinations. */
class SourceMappingReuseTest {
    static final MacAddress M = MacAddress.parse("52:54:00:aa:bb:01");

    static int sourcePort(PathRunner.Result r) {
        return Datagram.read(r.packet().orElseThrow()).orElseThrow().tuple().orElseThrow().sourcePort();
    }

    @Test
    void aRemappedGuestPortIsReusedForTheSameGuestPortToAnotherServer() throws InputException {
        ArticleHost h = new ArticleHost();
        PathRunner host = new PathRunner(Netfilter.iptables(Rulesets.article(), new RuleCounters(), h,
                ConntrackSettings.DEFAULTS, 11), h, true);
        ByteBuf first = Packets.udp("192.168.122.2", 40000, "8.8.8.8", 53, 64, 10);
        assertThat(sourcePort(host.receive(first, "virbr0", M, M, 1_000))).isEqualTo(40000);
        // a second guest, same port, same server: the reply tuple is taken, so MASQUERADE picks another port
        int remapped = sourcePort(host.receive(Packets.udp("192.168.122.3", 40000, "8.8.8.8", 53, 64, 10), "virbr0", M, M, 2_000));
        assertThat(remapped).isNotEqualTo(40000);
        // that guest's port towards another server: 40000 would be free there, yet its existing mapping wins
        int again = sourcePort(host.receive(Packets.udp("192.168.122.3", 40000, "1.1.1.1", 53, 64, 10), "virbr0", M, M, 3_000));
        assertThat(again).isEqualTo(remapped);
    }
}
