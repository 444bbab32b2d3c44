package org.vnetlab.emulator.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.Mib;
import org.vnetlab.emulator.stack.PacketSocket;
import org.vnetlab.emulator.stack.SocketException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.tcp.TcpFlags;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * A guest that sends garbage (bad header and transport checksums, truncated datagrams, nonsense ethertypes and
 * headers, ICMP errors quoting nonsense, and ICMP errors quoting another guest's flows with wrong ports or
 * identifiers) every few milliseconds while another guest pings, resolves and fetches a page: that guest sees
 * exactly what it sees without the garbage, the host's conntrack table holds exactly the same entries, and the
 * host counts the garbage where Linux would.
 */
class GarbageSendersTest {
    static final MacAddress VICTIM = MacAddress.parse("52:54:00:12:34:56");
    static final MacAddress NOISY = MacAddress.parse("52:54:00:66:66:66");
    static final Ipv4Address DNS = Ipv4Address.parse("8.8.8.8");
    static final Ipv4Address WEB = Ipv4Address.parse("142.250.1.1");

    record Run(List<String> outputs, String conntrack, IpStack host, LibvirtHostLab lab) {}

    Run run(boolean garbage) throws Exception {
        LibvirtHostLab lab = ArticleLab.build(5);
        Guest victim = lab.addGuest("victim", OsProfile.debian("victim"), VICTIM);
        Guest noisy = lab.addGuest("noisy", OsProfile.debian("noisy"), NOISY);
        lab.runFor(SimTime.seconds(30));
        Ipv4Address v = victim.lease().orElseThrow().address();
        Ipv4Address n = noisy.lease().orElseThrow().address();
        Timer t = null;
        if (garbage) {
            MacAddress gw = lab.host().stack().iface("virbr0").orElseThrow().device().mac();
            List<ByteBuf> frames = garbage(n, v, gw);
            PacketSocket raw = noisy.stack().openPacketSocket(noisy.nic().name(), f -> { });
            int[] next = {0};
            t = lab.lab().scheduler().every(SimTime.millis(1), SimTime.millis(3), "garbage", () -> {
                try {
                    raw.send(Unpooled.copiedBuffer(frames.get(next[0]++ % frames.size())));
                } catch (SocketException e) {
                    throw new AssertionError(e);
                }
            });
        }
        List<String> out = new ArrayList<>();
        for (String cmd : List.of("ping -c 3 8.8.8.8", "dig google.com", "curl -s http://142.250.1.1/", "ping -c 2 192.168.122.1")) {
            out.add(cmd + "\n" + victim.run(cmd).output());
        }
        if (t != null) t.cancel();
        return new Run(out, lab.host().conntrackList(), lab.host().stack(), lab);
    }

    @Test
    void anotherGuestsGarbageChangesNothingForTheFlowsOfAGuestAndIsCounted() throws Exception {
        Run clean = run(false);
        Run noisy = run(true);
        assertThat(noisy.outputs()).isEqualTo(clean.outputs());
        assertThat(clean.outputs().get(0)).contains("3 received");
        assertThat(clean.outputs().get(1)).contains("status: NOERROR");
        assertThat(noisy.conntrack()).as("garbage creates no conntrack entry (invalid or never tracked)").isEqualTo(clean.conntrack());

        IpStack host = noisy.host();
        assertThat(host.counter(Mib.IP_EXT_IN_CSUM_ERRORS)).isPositive();
        assertThat(host.counter(Mib.IP_EXT_IN_TRUNCATED_PKTS)).isPositive();
        long rounds = host.counter(Mib.IP_EXT_IN_CSUM_ERRORS); // one bad-checksum frame per round of the garbage list
        assertThat(host.counter(Mib.IP_IN_HDR_ERRORS)).as("bad checksum, IHL 3, total length below IHL, a 1-byte datagram")
                .isBetween(4 * rounds - 3, 4 * rounds + 3);
        assertThat(host.counter(Mib.IP_EXT_IN_TRUNCATED_PKTS)).isBetween(rounds - 1, rounds + 1);
        assertThat(host.counter(Mib.ICMP_IN_ERRORS)).as("ICMP errors to the host quoting 10 bytes").isPositive();
        assertThat(clean.host().counter(Mib.IP_IN_HDR_ERRORS)).isZero();
        IpStack dns = noisy.lab().internet().stack();
        assertThat(dns.counter(Mib.UDP_IN_CSUM_ERRORS)).as("forwarded untouched, refused by the resolver's own stack").isPositive();
        assertThat(noisy.lab().guest("victim").run("cat /proc/net/snmp").output()).startsWith("Ip: Forwarding DefaultTTL")
                .contains("\nUdp: InDatagrams NoPorts InErrors");
    }

    /** One of each kind of garbage, from the noisy guest {@code n}; some quote the victim {@code v}'s flows. */
    static List<ByteBuf> garbage(Ipv4Address n, Ipv4Address v, MacAddress gw) {
        MacAddress from = NOISY;
        EthernetHeader toGw = new EthernetHeader(gw, from, EtherType.IPV4);
        EthernetHeader toVictim = new EthernetHeader(VICTIM, from, EtherType.IPV4);
        List<ByteBuf> l = new ArrayList<>();
        ByteBuf badIpSum = Frames.ethernetIpv4(toGw, Ipv4Header.of(n, DNS, IpProtocol.UDP, 64, 1, false, 0), new UdpHeader(5353, 53, 0), new byte[12]);
        badIpSum.setShort(14 + 10, badIpSum.getUnsignedShort(14 + 10) ^ 0x1234);
        l.add(badIpSum);
        ByteBuf truncated = Frames.ethernetIpv4(toGw, Ipv4Header.of(n, DNS, IpProtocol.UDP, 64, 2, false, 0), new UdpHeader(5353, 53, 0), new byte[12]);
        truncated.setShort(14 + 2, 1400);
        fixIp(truncated);
        l.add(truncated);
        ByteBuf ihl3 = Frames.ethernetIpv4(toGw, Ipv4Header.of(n, DNS, IpProtocol.UDP, 64, 3, false, 0), new UdpHeader(5353, 53, 0), new byte[12]);
        ihl3.setByte(14, 0x43);
        fixIp(ihl3);
        l.add(ihl3);
        ByteBuf shortTotal = Frames.ethernetIpv4(toGw, Ipv4Header.of(n, DNS, IpProtocol.UDP, 64, 4, false, 0), new UdpHeader(5353, 53, 0), new byte[12]);
        shortTotal.setShort(14 + 2, 16);
        fixIp(shortTotal);
        l.add(shortTotal);
        ByteBuf badUdp = Frames.ethernetIpv4(toGw, Ipv4Header.of(n, DNS, IpProtocol.UDP, 64, 5, false, 0), new UdpHeader(5353, 53, 0), new byte[12]);
        badUdp.setShort(14 + 20 + 6, badUdp.getUnsignedShort(14 + 20 + 6) ^ 0x0f0f);
        l.add(badUdp);
        ByteBuf badTcp = Frames.ethernetIpv4(toGw, Ipv4Header.of(n, WEB, IpProtocol.TCP, 64, 6, false, 0),
                new TcpHeader(40001, 80, 1, 0, TcpFlags.SYN, 64240, 0, List.of()), new byte[0]);
        badTcp.setShort(14 + 20 + 16, badTcp.getUnsignedShort(14 + 20 + 16) ^ 0x0f0f);
        l.add(badTcp);
        l.add(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(
                "ffffffffffff" + "525400666666" + "88b5" + "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef")));
        l.add(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(
                "ffffffffffff" + "525400666666" + "0800" + "4f")));
        // ICMP errors quoting nonsense, to the host
        l.add(Frames.ethernetIpv4(toGw, Ipv4Header.of(n, Ipv4Address.parse("192.168.122.1"), IpProtocol.ICMP, 64, 7, false, 0),
                new IcmpMessage.DestinationUnreachable(3, new byte[10])));
        byte[] nonsense = ByteBufUtil.decodeHexDump("0f7700ff1234400001ff0000deadbeefcafebabe0102030405060708");
        l.add(Frames.ethernetIpv4(toGw, Ipv4Header.of(n, Ipv4Address.parse("192.168.122.1"), IpProtocol.ICMP, 64, 8, false, 0),
                new IcmpMessage.DestinationUnreachable(3, nonsense)));
        // ICMP errors quoting the victim's flows with wrong details, to the victim and towards the internet
        l.add(Frames.ethernetIpv4(toVictim, Ipv4Header.of(n, v, IpProtocol.ICMP, 64, 9, false, 0),
                new IcmpMessage.DestinationUnreachable(3, quote(v, Ipv4Address.parse("192.168.122.1"), IpProtocol.UDP, 1, 53))));
        l.add(Frames.ethernetIpv4(toVictim, Ipv4Header.of(n, v, IpProtocol.ICMP, 64, 10, false, 0),
                new IcmpMessage.DestinationUnreachable(1, quote(v, WEB, IpProtocol.TCP, 2, 80))));
        l.add(Frames.ethernetIpv4(toVictim, Ipv4Header.of(n, v, IpProtocol.ICMP, 64, 11, false, 0),
                new IcmpMessage.TimeExceeded(0, quote(v, DNS, IpProtocol.ICMP, 0x0800, 0x7777))));
        l.add(Frames.ethernetIpv4(toGw, Ipv4Header.of(n, DNS, IpProtocol.ICMP, 64, 12, false, 0),
                new IcmpMessage.DestinationUnreachable(3, quote(DNS, v, IpProtocol.UDP, 53, 3))));
        return l;
    }

    /** The first 28 bytes of a datagram {@code src -> dst}: a header and 8 bytes whose first 4 are the ports (or ICMP type/code, id). */
    static byte[] quote(Ipv4Address src, Ipv4Address dst, IpProtocol proto, int first, int second) {
        ByteBuf d = Frames.ipv4(Ipv4Header.of(src, dst, proto, 64, 99, false, 8), new IcmpMessage.Other(0, 0, 0, new byte[0]));
        byte[] q = ByteBufUtil.getBytes(d, 0, 28);
        q[9] = (byte) proto.value();
        q[20] = (byte) (first >> 8);
        q[21] = (byte) first;
        q[22] = (byte) (second >> 8);
        q[23] = (byte) second;
        q[10] = 0;
        q[11] = 0;
        int sum = InternetChecksum.compute(Unpooled.wrappedBuffer(q), 0, 20);
        q[10] = (byte) (sum >> 8);
        q[11] = (byte) sum;
        return q;
    }

    static void fixIp(ByteBuf f) {
        int ihl = Math.max(20, (f.getUnsignedByte(14) & 0x0f) * 4);
        f.setShort(14 + 10, 0);
        f.setShort(14 + 10, InternetChecksum.compute(f, 14, ihl));
    }
}
