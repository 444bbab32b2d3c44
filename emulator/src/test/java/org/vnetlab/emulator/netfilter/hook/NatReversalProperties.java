package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.conntrack.ConntrackTuple;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.checksum.InternetChecksum;

/** De-NAT(NAT(p)) restores the original flow, and every rewrite leaves valid checksums. */
class NatReversalProperties {
    static final MacAddress M = MacAddress.parse("52:54:00:aa:bb:01");

    static boolean checksumsValid(ByteBuf p) {
        Datagram d = Datagram.read(p).orElseThrow();
        if (!InternetChecksum.verify(p, 0, d.headerLength())) return false;
        int len = d.l4Length();
        long seed = d.protocol() == 1 ? 0 : InternetChecksum.pseudoHeaderSum(d.source().bits(), d.destination().bits(), d.protocol(), len);
        return InternetChecksum.fold(InternetChecksum.partialSum(p, d.l4Offset(), len, seed)) == 0xffff;
    }

    @Property(tries = 60)
    void repliesToMasqueradedFlowsComeBackToTheGuestUnchanged(@ForAll @IntRange(min = 2, max = 254) int guestHost,
            @ForAll @IntRange(min = 1, max = 65535) int sport, @ForAll @IntRange(min = 1, max = 65535) int dport,
            @ForAll boolean tcp, @ForAll @IntRange(min = 1, max = 223) int a, @ForAll @IntRange(min = 0, max = 255) int b)
            throws InputException {
        if (a == 127 || a == 192) return;
        ArticleHost h = new ArticleHost();
        PathRunner host = new PathRunner(Netfilter.iptables(Rulesets.article(), new RuleCounters(), h,
                ConntrackSettings.DEFAULTS, sport), h, true);
        String guest = "192.168.122." + guestHost;
        String remote = a + "." + b + ".7.9";
        ByteBuf out = tcp ? Packets.tcp(guest, sport, remote, dport, 64, 77, 0, 0x02, 0) : Packets.udp(guest, sport, remote, dport, 64, 13);
        ConntrackTuple original = Datagram.read(out).orElseThrow().tuple().orElseThrow();
        PathRunner.Result sent = host.receive(out, "virbr0", M, M, 1_000_000);
        assertThat(sent.disposition()).isEqualTo(Disposition.FORWARDED);
        ByteBuf wire = sent.packet().get();
        assertThat(checksumsValid(wire)).isTrue();
        ConntrackTuple translated = Datagram.read(wire).orElseThrow().tuple().orElseThrow();
        assertThat(translated.source()).isEqualTo(ArticleHost.ENP3S0);
        assertThat(translated.sourcePort()).isBetween(1024, 65535);

        ByteBuf reply = tcp ? Packets.tcp(remote, dport, "192.168.0.10", translated.sourcePort(), 60, 900, 78, 0x12, 0)
                : Packets.udp(remote, dport, "192.168.0.10", translated.sourcePort(), 60, 5);
        PathRunner.Result back = host.receive(reply, "enp3s0", M, M, 2_000_000);
        assertThat(back.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(checksumsValid(back.packet().get())).isTrue();
        assertThat(Datagram.read(back.packet().get()).orElseThrow().tuple().orElseThrow()).isEqualTo(original.inverted());
    }
}
