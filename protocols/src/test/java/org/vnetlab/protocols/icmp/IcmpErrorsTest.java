package org.vnetlab.protocols.icmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Captures;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.ethernet.EthernetFrame;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/**
 * ICMP errors built the way Linux's __icmp_send builds them reproduce, byte for byte, the errors a real
 * kernel sent in the reference captures (only the IP identification, which the kernel draws, is taken
 * from the capture).
 */
class IcmpErrorsTest {
    static final Ipv4Address HOST_UPLINK = Ipv4Address.parse("192.168.0.10");
    static final Ipv4Address VIRBR0 = Ipv4Address.parse("192.168.122.1");

    private static Ipv4Packet datagram(String file, int number) throws ParseException {
        return Ipv4Packet.checked(EthernetFrame.checked(Captures.frame(file, number).buf()).payload());
    }

    @Test
    void rejectOfAForwardedPingIsTheKernelsPortUnreachable() throws ParseException {
        // host-enp3s0 #45: the LAN pings the guest; FORWARD's REJECT answers with #46 after the TTL decrement.
        Ipv4Packet ping = datagram("host-enp3s0.pcap", 45);
        ping.decrementTtlWithChecksumUpdate();
        Ipv4Packet real = datagram("host-enp3s0.pcap", 46);

        IcmpMessage error = IcmpErrors.destinationUnreachable(IcmpCode.PORT_UNREACHABLE, ping, 1500);
        ByteBuf built = Frames.ipv4(IcmpErrors.header(HOST_UPLINK, ping, real.identification(), 64, error), error);

        assertThat(Captures.hexOf(built)).isEqualTo(Captures.hexOf(real.buffer()));
        assertThat(real.tos()).as("TOS (0 & 0x1e) | 0xc0").isEqualTo(0xc0);
        assertThat(real.ttl()).isEqualTo(64);
        assertThat(real.dontFragment()).isFalse();
        assertThat(real.totalLength()).as("the whole 84-byte datagram quoted").isEqualTo(20 + 8 + 84);
    }

    @Test
    void rejectOfAForwardedSynIsTheKernelsPortUnreachable() throws ParseException {
        // host-enp3s0 #47 (TCP SYN to the guest's 8080) answered by #48.
        Ipv4Packet syn = datagram("host-enp3s0.pcap", 47);
        syn.decrementTtlWithChecksumUpdate();
        Ipv4Packet real = datagram("host-enp3s0.pcap", 48);

        IcmpMessage error = IcmpErrors.destinationUnreachable(IcmpCode.PORT_UNREACHABLE, syn, 1500);
        ByteBuf built = Frames.ipv4(IcmpErrors.header(HOST_UPLINK, syn, real.identification(), 64, error), error);

        assertThat(Captures.hexOf(built)).isEqualTo(Captures.hexOf(real.buffer()));
    }

    @Test
    void ttlExpiryAtTheHostIsTheKernelsTimeExceeded() throws ParseException {
        // guest-eth0 #57: ping with TTL 1 to 8.8.8.8; virbr0's address answers with #58, quoting TTL 1 as received.
        Ipv4Packet ping = datagram("guest-eth0.pcap", 57);
        Ipv4Packet real = datagram("guest-eth0.pcap", 58);

        IcmpMessage error = IcmpErrors.timeExceeded(IcmpCode.TTL_EXCEEDED, ping, 1500);
        ByteBuf built = Frames.ipv4(IcmpErrors.header(VIRBR0, ping, real.identification(), 64, error), error);

        assertThat(Captures.hexOf(built)).isEqualTo(Captures.hexOf(real.buffer()));
    }

    @Test
    void theQuoteIsCutSoTheErrorFitsIn576Bytes() {
        assertThat(IcmpErrors.quoteLength(84, 1500)).isEqualTo(84);
        assertThat(IcmpErrors.quoteLength(1500, 1500)).as("576 - 20 - 8").isEqualTo(548);
        assertThat(IcmpErrors.quoteLength(1500, 9000)).isEqualTo(548);
        assertThat(IcmpErrors.quoteLength(1500, 100)).as("a smaller route MTU caps it further").isEqualTo(72);
        assertThat(IcmpErrors.quoteLength(1500, 49)).isEqualTo(21);
        assertThat(IcmpErrors.quoteLength(1500, 48)).as("no room beyond an IP header: Linux sends nothing").isEqualTo(-1);

        ByteBuf big = Frames.ipv4(Ipv4Header.of(Ipv4Address.parse("192.168.122.55"), Ipv4Address.parse("8.8.8.8"),
                IpProtocol.ICMP, 64, 1, true, 0), new IcmpMessage.Echo(true, 1, 1, new byte[1472]));
        assertThat(IcmpErrors.quote(big, 1500)).hasSize(548);
        assertThatThrownBy(() -> IcmpErrors.quote(big, 40)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorTosKeepsOnlyTheTosBitsAndAddsInternetControlPrecedence() {
        assertThat(IcmpErrors.tos(0x00)).isEqualTo(0xc0);
        assertThat(IcmpErrors.tos(0x10)).isEqualTo(0xd0);
        assertThat(IcmpErrors.tos(0xb8)).as("DSCP EF: precedence replaced, ECN dropped").isEqualTo(0xd8);
        assertThat(IcmpErrors.tos(0x03)).isEqualTo(0xc2);
    }

    @Test
    void noErrorAboutErrorsOrLaterFragments() throws ParseException {
        assertThat(IcmpErrors.mayAnswerWithError(datagram("host-enp3s0.pcap", 45))).as("an echo request").isTrue();
        assertThat(IcmpErrors.mayAnswerWithError(datagram("host-enp3s0.pcap", 47))).as("a TCP SYN").isTrue();
        assertThat(IcmpErrors.mayAnswerWithError(datagram("guest-eth0.pcap", 58))).as("a time exceeded").isFalse();
        Ipv4Header laterFragment = new Ipv4Header(0, 9, false, false, 1480, 64, IpProtocol.UDP,
                Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.2"), new byte[0], 8);
        ByteBuf buf = Unpooled.buffer(laterFragment.totalLength());
        laterFragment.emit(buf, 0);
        buf.writerIndex(laterFragment.totalLength());
        assertThat(IcmpErrors.mayAnswerWithError(Ipv4Packet.checked(buf))).isFalse();
    }
}
