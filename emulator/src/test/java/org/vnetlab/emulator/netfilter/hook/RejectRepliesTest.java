package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackEntry;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.conntrack.TcpState;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * The packets the host answers with: a REJECT's TCP reset as nf_send_reset builds it, and the net
 * unreachable of a packet with no route (ip_error), both carrying the offending packet's connection.
 */
class RejectRepliesTest {
    static final MacAddress M = MacAddress.parse("52:54:00:aa:bb:01");
    static final long SECOND = 1_000_000_000L;
    long now = 100 * SECOND;

    /** The host tracks connections: its INPUT rule needs conntrack (as libvirt's rules do), forwarded packets never meet it. */
    PathRunner host(String forwardRules, boolean defaultRoute) throws InputException {
        String text = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + "-A INPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n" + forwardRules + "COMMIT\n";
        ArticleHost h = IcmpRateLimitTest.articleHost(defaultRoute);
        return new PathRunner(Netfilter.iptables(Rulesets.parse(text), new RuleCounters(), h, ConntrackSettings.DEFAULTS, 5), h, true);
    }

    PathRunner.Result guest(PathRunner h, ByteBuf d) {
        now += SECOND / 100;
        return h.receive(d, "virbr0", M, M, now);
    }

    PathRunner.Result inet(PathRunner h, ByteBuf d) {
        now += SECOND / 100;
        return h.receive(d, "enp3s0", M, M, now);
    }

    static ByteBuf segment(int flags, long seq, long ack, int payload) {
        return Packets.tcp("192.168.122.55", 40001, "142.250.1.1", 80, 64, seq, ack, flags, payload);
    }

    static Datagram reply(PathRunner.Result r) {
        assertThat(r.replies()).hasSize(1);
        return Datagram.read(r.replies().get(0).packet().orElseThrow()).orElseThrow();
    }

    static final String RESET_ALL = "-A FORWARD -p tcp -j REJECT --reject-with tcp-reset\n";

    @Test
    void aSynIsAnsweredWithRstAckAcknowledgingTheSyn() throws InputException {
        PathRunner h = host(RESET_ALL, true);
        PathRunner.Result r = guest(h, segment(0x02, 1000, 0, 0));

        assertThat(r.disposition()).isEqualTo(Disposition.REJECTED);
        Datagram rst = reply(r);
        ByteBuf b = rst.buf();
        int t = rst.l4Offset();
        assertThat(rst.source()).isEqualTo(Packets.ip("142.250.1.1")).as("from the original destination");
        assertThat(rst.destination()).isEqualTo(Packets.ip("192.168.122.55"));
        assertThat(b.getUnsignedShort(t)).isEqualTo(80);
        assertThat(b.getUnsignedShort(t + 2)).isEqualTo(40001);
        assertThat(b.getUnsignedInt(t + 4)).as("seq").isZero();
        assertThat(b.getUnsignedInt(t + 8)).as("ack = seq + SYN").isEqualTo(1001);
        assertThat(b.getUnsignedByte(t + 13)).as("RST|ACK").isEqualTo((short) 0x14);
        assertThat(b.getUnsignedShort(t + 14)).as("window").isZero();
        // nf_reject_iphdr_put: TOS 0, ID 0, DF, the route's TTL
        assertThat(b.getUnsignedByte(1)).isZero();
        assertThat(b.getUnsignedShort(4)).isZero();
        assertThat(b.getUnsignedShort(6)).isEqualTo(0x4000);
        assertThat(rst.ttl()).isEqualTo(64);
        assertThat(rst.totalLength()).isEqualTo(40);
        assertThat(InternetChecksum.verify(b, 0, 20)).isTrue();
        assertThat(InternetChecksum.fold(InternetChecksum.partialSum(b, t, 20,
                InternetChecksum.pseudoHeaderSum(rst.source().bits(), rst.destination().bits(), 6, 20)))).isEqualTo(0xffff);
        // nf_ct_attach: the reset belongs to the rejected connection, in the reply direction
        assertThat(r.replies().get(0).trace().steps(TraceStep.HookEntered.class)).extracting(TraceStep.HookEntered::hook)
                .containsExactly("OUTPUT", "POSTROUTING");
        assertThat(h.netfilter().conntrack().entries()).as("the SYN's connection was never confirmed").isEmpty();
    }

    @Test
    void aSegmentWithAckIsAnsweredWithAPlainRstAtItsAckNumber() throws InputException {
        PathRunner h = host(RESET_ALL, true);
        Datagram rst = reply(guest(h, segment(0x18, 1001, 5000, 100)));
        int t = rst.l4Offset();
        assertThat(rst.buf().getUnsignedInt(t + 4)).as("seq = the segment's ack").isEqualTo(5000);
        assertThat(rst.buf().getUnsignedInt(t + 8)).isZero();
        assertThat(rst.buf().getUnsignedByte(t + 13)).as("RST only").isEqualTo((short) 0x04);
    }

    @Test
    void withoutAckTheResetAcknowledgesSynFinAndTheData() throws InputException {
        PathRunner h = host(RESET_ALL, true);
        Datagram rst = reply(guest(h, segment(0x01, 7000, 0, 10)));
        assertThat(rst.buf().getUnsignedInt(rst.l4Offset() + 8)).as("ack = seq + FIN + 10 bytes").isEqualTo(7011);
    }

    @Test
    void noResetForAResetNorForASegmentWithABadChecksum() throws InputException {
        PathRunner h = host(RESET_ALL, true);
        assertThat(guest(h, segment(0x04, 1000, 0, 0)).replies()).isEmpty();
        ByteBuf corrupt = segment(0x02, 1000, 0, 0);
        corrupt.setShort(36, corrupt.getUnsignedShort(36) ^ 0x0101);
        PathRunner.Result r = guest(h, corrupt);
        assertThat(r.disposition()).isEqualTo(Disposition.REJECTED);
        assertThat(r.replies()).isEmpty();
    }

    @Test
    void resettingAnEstablishedConnectionMovesItToCloseForTenSeconds() throws InputException {
        PathRunner h = host("-A FORWARD -p tcp -m tcp --dport 80 -m length --length 80:1500 -j REJECT --reject-with tcp-reset\n", true);
        guest(h, segment(0x02, 1000, 0, 0));
        inet(h, Packets.tcp("142.250.1.1", 80, "192.168.122.55", 40001, 62, 9000, 1001, 0x12, 0));
        guest(h, segment(0x10, 1001, 9001, 0));
        ConntrackEntry ct = h.netfilter().conntrack().entries().get(0);
        assertThat(ct.tcpState()).isEqualTo(TcpState.ESTABLISHED);

        PathRunner.Result r = guest(h, segment(0x18, 1001, 9001, 60));

        assertThat(r.disposition()).isEqualTo(Disposition.REJECTED);
        assertThat(ct.tcpState()).isEqualTo(TcpState.CLOSE);
        assertThat(ct.remainingSeconds(now)).isEqualTo(10);
        assertThat(ct.format(now, false)).startsWith("tcp      6 10 CLOSE src=192.168.122.55").endsWith("[ASSURED]");
    }

    @Test
    void withoutARouteTheGuestGetsNetUnreachableFromTheAddressFacingIt() throws InputException {
        PathRunner h = host("", false);
        PathRunner.Result r = guest(h, Packets.ping("192.168.122.55", "8.8.8.8", 64, 4101, 1));

        assertThat(r.disposition()).isEqualTo(Disposition.NO_ROUTE);
        Datagram err = reply(r);
        ByteBuf b = err.buf();
        assertThat(err.source()).isEqualTo(Packets.ip("192.168.122.1"));
        assertThat(err.destination()).isEqualTo(Packets.ip("192.168.122.55"));
        assertThat(b.getUnsignedByte(20)).as("destination unreachable").isEqualTo((short) 3);
        assertThat(b.getUnsignedByte(21)).as("net unreachable").isZero();
        assertThat(b.getUnsignedByte(1)).isEqualTo((short) 0xc0);
        assertThat(err.ttl()).isEqualTo(64);
        assertThat(b.getUnsignedByte(28 + 8)).as("quoted as received: routing fails before the TTL decrement").isEqualTo((short) 64);
        assertThat(err.totalLength()).isEqualTo(20 + 8 + 84);
        // the error carries the dropped ping's connection: RELATED in OUTPUT, not INVALID
        assertThat(r.replies().get(0).trace().render()).contains("conntrack: RELATED (related_reply, attached)");
        assertThat(h.netfilter().conntrack().entries()).isEmpty();
    }

    @Test
    void withoutForwardingNothingComesBack() throws InputException {
        ArticleHost hn = new ArticleHost();
        PathRunner h = new PathRunner(Netfilter.iptables(Rulesets.parse("*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n"), new RuleCounters(), hn,
                ConntrackSettings.DEFAULTS, 5), hn, false);
        PathRunner.Result r = guest(h, Packets.ping("192.168.122.55", "8.8.8.8", 64, 4101, 1));
        assertThat(r.disposition()).isEqualTo(Disposition.NO_ROUTE);
        assertThat(r.trace().reason()).isEqualTo("forwarding disabled (net.ipv4.ip_forward=0)");
        assertThat(r.replies()).isEmpty();
    }

    @Test
    void aRejectsIcmpErrorIsRelatedToTheRejectedConnectionInOutput() throws InputException {
        String rules = "-A FORWARD -i enp3s0 -j REJECT\n";
        String output = "-A OUTPUT -m conntrack --ctstate INVALID -j DROP\n";
        PathRunner h = host(rules + output, true);
        PathRunner.Result r = inet(h, Packets.ping("192.168.0.20", "192.168.122.55", 64, 9, 1));
        assertThat(r.disposition()).isEqualTo(Disposition.REJECTED);
        assertThat(r.replies()).singleElement().satisfies(rep -> assertThat(rep.disposition())
                .as("an INVALID-dropping OUTPUT chain lets the host's own error out").isEqualTo(Disposition.SENT));
        assertThat(r.replies().get(0).trace().render()).contains("conntrack: RELATED (related_reply, attached)")
                .contains("filter:OUTPUT #1 -m conntrack --ctstate INVALID -j DROP  -- no match");
    }
}
