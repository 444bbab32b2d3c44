package org.vnetlab.emulator.stack.netfilter;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.bridge.Bridge;
import org.vnetlab.emulator.bridge.BridgeConfig;
import org.vnetlab.emulator.link.Link;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.Mib;
import org.vnetlab.emulator.stack.PacketFilter;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * A Linux bridge forwards what it cannot read above Ethernet unchanged; with br_netfilter calling iptables,
 * br_validate_ipv4 drops a bad IPv4 header first and counts it in the host's namespace (InHdrErrors, with
 * InCsumErrors for the checksum, InTruncatedPkts for a datagram longer than the frame).
 */
class BridgeValidationTest {
    static final MacAddress G1 = MacAddress.parse("52:54:00:00:00:01");
    static final MacAddress G2 = MacAddress.parse("52:54:00:00:00:02");
    static final Ipv4Address A2 = Ipv4Address.parse("192.168.122.2");
    static final Ipv4Address A3 = Ipv4Address.parse("192.168.122.3");

    final Lab lab = new Lab(3);
    final IpStack host = new IpStack(lab, "host");
    final Bridge br = new Bridge(lab, "host",
            BridgeConfig.of("virbr0", MacAddress.parse("52:54:00:ff:ff:01")).withForwardDelay(0).withStp(false));
    final List<byte[]> atG2 = new ArrayList<>();
    final LinkDevice g1;

    BridgeValidationTest() {
        g1 = port(1, G1);
        LinkDevice g2 = port(2, G2);
        g2.setReceiver((dev, f) -> atG2.add(ByteBufUtil.getBytes(f)));
        br.setUp(true);
        g2.transmit(Frames.ethernetIpv4(new EthernetHeader(G1, G2, EtherType.IPV4),
                Ipv4Header.of(A3, A2, IpProtocol.UDP, 64, 1, false, 0), new UdpHeader(1, 2, 0), new byte[4])); // the bridge learns G2
        lab.scheduler().runUntilIdle();
    }

    LinkDevice port(int n, MacAddress mac) {
        LinkDevice guest = new LinkDevice(lab, "g" + n, "eth0", mac);
        LinkDevice tap = new LinkDevice(lab, "host", "vnet" + n, MacAddress.parse("fe:54:00:00:00:0" + n));
        guest.setUp(true);
        tap.setUp(true);
        Link.connect(lab, "vnet" + n, guest, tap);
        br.addPort(tap);
        return guest;
    }

    static ByteBuf datagram(int id) {
        return Frames.ethernetIpv4(new EthernetHeader(G2, G1, EtherType.IPV4),
                Ipv4Header.of(A2, A3, IpProtocol.UDP, 64, id, false, 0), new UdpHeader(1000, 53, 0), new byte[8]);
    }

    static List<ByteBuf> garbage() {
        List<ByteBuf> l = new ArrayList<>();
        for (int kind = 0; kind < 4; kind++) {
            ByteBuf f = datagram(kind);
            switch (kind) {
                case 0 -> f.setShort(24, f.getUnsignedShort(24) ^ 0x00ff); // header checksum
                case 1 -> f.setShort(16, 900); // total length past the frame
                case 2 -> f.setByte(14, 0x46); // a 24-byte header: its checksum no longer holds either
                default -> f.setByte(14, 0x65); // version 6 behind an IPv4 ethertype
            }
            if (kind == 1 || kind == 3) {
                f.setShort(24, 0);
                f.setShort(24, InternetChecksum.compute(f, 14, 20));
            }
            l.add(f);
        }
        return l;
    }

    @Test
    void withoutBrNetfilterGarbageIsBridgedUnchanged() {
        List<byte[]> sent = new ArrayList<>();
        for (ByteBuf f : garbage()) {
            sent.add(ByteBufUtil.getBytes(f));
            g1.transmit(f);
        }
        lab.scheduler().runUntilIdle();
        assertThat(atG2).hasSize(4);
        for (int i = 0; i < 4; i++) assertThat(atG2.get(i)).isEqualTo(sent.get(i));
        assertThat(host.counter(Mib.IP_IN_HDR_ERRORS)).isZero();
    }

    @Test
    void brNetfilterDropsBadHeadersAndCountsThemInTheHostsNamespace() {
        br.setFilter(new BridgeNetfilter("virbr0", PacketFilter.ACCEPT_ALL, host::countMib));
        for (ByteBuf f : garbage()) g1.transmit(f);
        lab.scheduler().runUntilIdle();
        assertThat(atG2).isEmpty();
        assertThat(host.counter(Mib.IP_IN_HDR_ERRORS)).as("checksum, 24-byte header with a stale checksum, version 6").isEqualTo(3);
        assertThat(host.counter(Mib.IP_EXT_IN_CSUM_ERRORS)).isEqualTo(2);
        assertThat(host.counter(Mib.IP_EXT_IN_TRUNCATED_PKTS)).isEqualTo(1);

        g1.transmit(datagram(9));
        lab.scheduler().runUntilIdle();
        assertThat(atG2).as("a good datagram still crosses").hasSize(1);
    }
}
