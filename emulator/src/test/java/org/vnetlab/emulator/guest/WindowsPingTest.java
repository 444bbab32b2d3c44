package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.icmp.IcmpPacket;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/** Windows 10's ping.exe on the reference rig: text, exit status, outcomes and the echo requests' bytes. */
class WindowsPingTest {
    private static final Ipv4Address GOOGLE_DNS = Ipv4Address.parse("8.8.8.8");

    private static Rig rig() {
        return new Rig(OsProfile.windows10("WIN10")).withDns("8.8.8.8");
    }

    @Test
    void repliesPrintTimeAndTtlThenStatistics() {
        CommandResult r = rig().guest.run("ping 8.8.8.8");
        // the first round trip includes the router's ARP for the internet edge across the 5 ms wire
        assertThat(r.output()).isEqualTo("""

                Pinging 8.8.8.8 with 32 bytes of data:
                Reply from 8.8.8.8: bytes=32 time=20ms TTL=62
                Reply from 8.8.8.8: bytes=32 time=10ms TTL=62
                Reply from 8.8.8.8: bytes=32 time=10ms TTL=62
                Reply from 8.8.8.8: bytes=32 time=10ms TTL=62

                Ping statistics for 8.8.8.8:
                    Packets: Sent = 4, Received = 4, Lost = 0 (0% loss),
                Approximate round trip times in milli-seconds:
                    Minimum = 10ms, Maximum = 20ms, Average = 12ms
                """);
        assertThat(r.exitStatus()).isZero();
        assertThat(r.outcomes()).hasSize(4).allMatch(o -> o instanceof Outcome.Reply rep && rep.from().equals(GOOGLE_DNS) && rep.ttl() == 62);
    }

    @Test
    void echoRequestsCarryIdOneTheAlphabetPayloadTtl128AndNoDf() throws ParseException {
        Rig rig = rig();
        rig.guest.run("ping -n 2 8.8.8.8");
        List<Ipv4Packet> sent = rig.sentIp(1);
        assertThat(sent).hasSize(2);
        for (Ipv4Packet ip : sent) {
            assertThat(ip.ttl()).isEqualTo(128);
            assertThat(ip.dontFragment()).isFalse();
            IcmpPacket icmp = IcmpPacket.checked(ip.payload());
            assertThat(icmp.identifier()).isEqualTo(1);
            assertThat(icmp.data().toString(StandardCharsets.US_ASCII)).isEqualTo("abcdefghijklmnopqrstuvwabcdefghi");
        }
    }

    @Test
    void sequenceNumbersKeepCountingAcrossRuns() throws ParseException {
        Rig rig = rig();
        rig.guest.run("ping -n 2 8.8.8.8");
        rig.guest.run("ping -n 2 8.8.8.8");
        List<Integer> seqs = new java.util.ArrayList<>();
        for (Ipv4Packet ip : rig.sentIp(1)) seqs.add(IcmpPacket.checked(ip.payload()).sequence());
        assertThat(seqs).containsExactly(1, 2, 3, 4);
    }

    @Test
    void noAnswerPrintsRequestTimedOutAfterFourSecondsEachAndExitsOne() {
        Rig rig = rig();
        rig.router.enable("blackhole");
        long start = rig.lab.now();
        CommandResult r = rig.guest.run("ping -n 2 8.8.8.8");
        assertThat(r.output()).isEqualTo("""

                Pinging 8.8.8.8 with 32 bytes of data:
                Request timed out.
                Request timed out.

                Ping statistics for 8.8.8.8:
                    Packets: Sent = 2, Received = 0, Lost = 2 (100% loss),
                """);
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(r.outcome()).isInstanceOf(Outcome.Timeout.class);
        assertThat(rig.lab.now() - start).isEqualTo(8_000_000_000L);
    }

    @Test
    void ttlOneExpiresAtTheHost() {
        CommandResult r = rig().guest.run("ping -n 1 -i 1 8.8.8.8");
        assertThat(r.output()).contains("Reply from 192.168.122.1: TTL expired in transit.\n")
                .contains("Packets: Sent = 1, Received = 1, Lost = 0 (0% loss),")
                .doesNotContain("Approximate round trip times");
        // ICMP errors count as received, so ping.exe exits 0 on them
        assertThat(r.exitStatus()).isZero();
        assertThat(r.outcome()).isEqualTo(new Outcome.TtlExceeded(Ipv4Address.parse("192.168.122.1")));
    }

    @Test
    void ttlTwoExpiresAtTheRouter() {
        CommandResult r = rig().guest.run("ping -n 1 -i 2 8.8.8.8");
        assertThat(r.output()).contains("Reply from 192.168.0.1: TTL expired in transit.\n");
    }

    @Test
    void rejectedEchoShowsDestinationPortUnreachableFromTheHost() {
        Rig rig = rig();
        rig.host.setPacketFilter(new RejectIcmp(Ipv4Address.parse("192.168.0.10"), IpProtocol.ICMP));
        CommandResult r = rig.guest.run("ping -n 1 8.8.8.8");
        assertThat(r.output()).isEqualTo("""

                Pinging 8.8.8.8 with 32 bytes of data:
                Reply from 192.168.0.10: Destination port unreachable.

                Ping statistics for 8.8.8.8:
                    Packets: Sent = 1, Received = 1, Lost = 0 (0% loss),
                """);
        assertThat(r.outcome()).isEqualTo(new Outcome.Unreachable(3, 3, Ipv4Address.parse("192.168.0.10")));
    }

    @Test
    void aRouterThatIsDownIsAHostUnreachableFromTheHost() {
        Rig rig = rig();
        rig.router.enable("down");
        CommandResult r = rig.guest.run("ping -n 1 8.8.8.8");
        // the host's ARP for 192.168.0.1 fails after 3 probes; it answers the guest with host unreachable
        assertThat(r.output()).containsPattern("Reply from 192\\.168\\.\\d+\\.\\d+: Destination host unreachable\\.\n");
        assertThat(r.outcome()).isInstanceOf(Outcome.Unreachable.class);
        assertThat(((Outcome.Unreachable) r.outcome()).code()).isEqualTo(1);
    }

    @Test
    void namesResolveThroughTheConfiguredServerFirst() {
        CommandResult r = rig().guest.run("ping -n 1 google.com");
        assertThat(r.output()).startsWith("\nPinging google.com [142.250.72.14] with 32 bytes of data:\nReply from 142.250.72.14: bytes=32 time=");
    }

    @Test
    void anUnknownNameIsReportedAsPingDoes() {
        CommandResult r = rig().guest.run("ping nowhere.example");
        assertThat(r.output()).isEqualTo("Ping request could not find host nowhere.example. Please check the name and try again.\n");
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(r.outcome()).isInstanceOf(Outcome.NxDomain.class);
    }

    @Test
    void aBadOptionIsNamed() {
        CommandResult r = rig().guest.run("ping -x 8.8.8.8");
        assertThat(r.output()).startsWith("Bad option -x.\n");
        assertThat(r.outcome()).isEqualTo(new Outcome.UsageError("-x", "unknown ping option"));
        assertThat(rig().guest.run("ping -t 8.8.8.8").outcome()).isInstanceOf(Outcome.UsageError.class);
    }
}
