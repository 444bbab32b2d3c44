package org.vnetlab.protocols.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Captures;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.arp.ArpMessage;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.tcp.TcpFlags;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.tcp.TcpOption;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * Frames built from only what matters (addresses, ports, ids, flags, options, payload) are the very frames
 * the real guest and host sent: Frames fills every length, type and checksum.
 */
class FramesTest {
    static final MacAddress GUEST_MAC = MacAddress.parse("52:54:00:aa:bb:01");
    static final MacAddress VIRBR0_MAC = MacAddress.parse("52:54:00:73:62:06");
    static final Ipv4Address GUEST = Ipv4Address.parse("192.168.122.55");
    static final Ipv4Address GW = Ipv4Address.parse("192.168.122.1");
    /** EtherType and payload lengths below are deliberately wrong: Frames must fix them. */
    static final EthernetHeader GUEST_TO_GW = new EthernetHeader(VIRBR0_MAC, GUEST_MAC, EtherType.of(0));

    private static String real(int number) {
        return ByteBufUtil.hexDump(Captures.frame("guest-eth0.pcap", number).bytes());
    }

    @Test
    void arpReply() {
        var frame = Frames.arp(new EthernetHeader(GUEST_MAC, VIRBR0_MAC, EtherType.IPV4), ArpMessage.reply(VIRBR0_MAC, GW, GUEST_MAC, GUEST));
        assertThat(ByteBufUtil.hexDump(frame)).isEqualTo(real(14));
    }

    @Test
    void pingOfTheRouter() {
        byte[] data = ByteBufUtil.decodeHexDump("20cb076b00000000fb63050000000000101112131415161718191a1b1c1d1e1f"
                + "202122232425262728292a2b2c2d2e2f3031323334353637");
        var frame = Frames.ethernetIpv4(GUEST_TO_GW,
                Ipv4Header.of(GUEST, Ipv4Address.parse("192.168.0.1"), IpProtocol.UDP, 64, 9620, true, 999),
                new IcmpMessage.Echo(true, 4098, 1, data));
        assertThat(ByteBufUtil.hexDump(frame)).isEqualTo(real(17));
    }

    @Test
    void digQueryToGoogleDns() {
        byte[] dns = ByteBufUtil.decodeHexDump("17250120000100000000000106676f6f676c6503636f6d000001000100002904d000000000000c000a000807885bd731dcdaba");
        var frame = Frames.ethernetIpv4(GUEST_TO_GW, Ipv4Header.of(GUEST, Ipv4Address.parse("8.8.8.8"), IpProtocol.TCP, 64, 12412, false, 0),
                new UdpHeader(40002, 53, 0), dns);
        assertThat(ByteBufUtil.hexDump(frame)).isEqualTo(real(24));
    }

    @Test
    void curlsSyn() {
        var syn = new TcpHeader(40003, 80, 2848270126L, 0, TcpFlags.SYN, 64240, 0, List.of(new TcpOption.Mss(1460),
                new TcpOption.SackPermitted(), new TcpOption.Timestamps(1061223623L, 0), new TcpOption.NoOp(), new TcpOption.WindowScale(10)));
        var frame = Frames.ethernetIpv4(GUEST_TO_GW, Ipv4Header.of(GUEST, Ipv4Address.parse("142.250.1.1"), IpProtocol.ICMP, 64, 21234, true, 0),
                syn, new byte[0]);
        assertThat(ByteBufUtil.hexDump(frame)).isEqualTo(real(26));
    }
}
