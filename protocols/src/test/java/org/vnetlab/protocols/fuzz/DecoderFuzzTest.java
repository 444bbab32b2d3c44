package org.vnetlab.protocols.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.vnetlab.protocols.Dissector;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.arp.ArpMessage;
import org.vnetlab.protocols.arp.ArpPacket;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpOption;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsRecord;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.icmp.IcmpPacket;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.ipv4.TransportPorts;
import org.vnetlab.protocols.pcap.PcapRecord;
import org.vnetlab.protocols.pcap.PcapReader;
import org.vnetlab.protocols.pcap.PcapngCapture;
import org.vnetlab.protocols.pcap.PcapngPacket;
import org.vnetlab.protocols.pcap.PcapngReader;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.tcp.TcpOption;
import org.vnetlab.protocols.tcp.TcpSegment;
import org.vnetlab.protocols.udp.UdpDatagram;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * One Jazzer harness per decoder: whatever the bytes, decoding (and then touching every accessor and the
 * parsed representation, as a consumer would) either works or raises {@link ParseException}. Anything else
 * escaping is a finding. Under {@code mvn test} each harness replays its seeds in
 * {@code DecoderFuzzTestInputs/<method>/} (frames cut from the reference captures, hand-made edge cases, and
 * every input a fuzzing run found crashing); with {@code JAZZER_FUZZ=1} it fuzzes (docs/reliability.md).
 */
class DecoderFuzzTest {
    private static final Ipv4Address SOURCE = Ipv4Address.parse("192.168.122.55");
    private static final Ipv4Address DESTINATION = Ipv4Address.parse("8.8.8.8");

    /** A ParseException is the declared outcome for bad bytes; it must still say where and why. */
    private static void declared(ParseException e) {
        assertThat(e.layer()).isNotBlank();
        assertThat(e.getMessage()).isNotBlank();
        assertThat(e.offset()).isGreaterThanOrEqualTo(-1);
    }

    private static ByteBuf wrap(byte[] data) {
        return Unpooled.wrappedBuffer(data);
    }

    @FuzzTest
    void ethernet(byte[] data) {
        try {
            Dissector.dissect(wrap(data));
        } catch (ParseException e) {
            declared(e);
        }
    }

    @FuzzTest
    void arp(byte[] data) {
        try {
            ArpPacket p = ArpPacket.checked(wrap(data));
            ArpMessage m = ArpMessage.parse(p);
            ByteBuf out = Unpooled.buffer(m.length());
            out.writerIndex(m.length());
            m.emit(out, 0);
            p.toString();
        } catch (ParseException e) {
            declared(e);
        }
    }

    @FuzzTest
    void ipv4(byte[] data) {
        try {
            Ipv4Packet ip = Ipv4Packet.checked(wrap(data));
            Dissector.ipv4(ip, false);
            if (!ip.isFragment() || ip.fragmentOffset() == 0) TransportPorts.of(ip);
        } catch (ParseException e) {
            declared(e);
        }
        try {
            // how an ICMP error's quote is read: the datagram may be cut anywhere after the header
            Dissector.ipv4(Ipv4Packet.checkedTruncated(wrap(data)), true);
        } catch (ParseException e) {
            declared(e);
        }
    }

    @FuzzTest
    void icmp(byte[] data) {
        try {
            IcmpPacket icmp = IcmpPacket.checked(wrap(data));
            IcmpMessage m = IcmpMessage.parse(icmp);
            m.toString();
            icmp.verifyChecksum();
            icmp.toString();
            if (icmp.isError()) Dissector.ipv4(icmp.quoted(), true);
        } catch (ParseException e) {
            declared(e);
        }
    }

    @FuzzTest
    void udp(byte[] data) {
        for (boolean quoted : new boolean[] {false, true}) {
            try {
                UdpDatagram udp = quoted ? UdpDatagram.checkedTruncated(wrap(data)) : UdpDatagram.checked(wrap(data));
                UdpHeader.parse(udp).toString();
                udp.verifyChecksum(SOURCE, DESTINATION);
                udp.payload().readableBytes();
                udp.toString();
            } catch (ParseException e) {
                declared(e);
            }
        }
    }

    @FuzzTest
    void tcp(byte[] data) {
        for (boolean quoted : new boolean[] {false, true}) {
            try {
                TcpSegment tcp = quoted ? TcpSegment.checkedTruncated(wrap(data)) : TcpSegment.checked(wrap(data));
                TcpHeader h = TcpHeader.parse(tcp);
                h.toString();
                for (TcpOption o : tcp.optionList()) o.toString();
                tcp.verifyChecksum(SOURCE, DESTINATION);
                tcp.payload().readableBytes();
                tcp.toString();
            } catch (ParseException e) {
                declared(e);
            }
        }
    }

    @FuzzTest
    void dhcp(byte[] data) {
        DhcpMessage m;
        try {
            m = DhcpMessage.parse(data);
        } catch (ParseException e) {
            declared(e);
            return;
        }
        for (DhcpOption o : m.options()) o.toString();
        m.toString();
        // canonical by construction (see DhcpMessage): what we emit reads back as the same message
        byte[] emitted = m.toBytes();
        try {
            assertThat(DhcpMessage.parse(emitted)).isEqualTo(m);
        } catch (ParseException e) {
            throw new AssertionError("re-emitted message does not parse: " + Arrays.toString(emitted), e);
        }
    }

    @FuzzTest
    void dns(byte[] data) {
        DnsMessage m;
        try {
            m = DnsMessage.parse(data);
        } catch (ParseException e) {
            declared(e);
            return;
        }
        m.toString();
        m.rcode();
        for (DnsRecord r : m.answers()) r.toString();
        // dnsmasq answers and forwards what it parsed: a decoded message must encode again
        m.toWire();
    }

    @FuzzTest
    void pcap(byte[] data) {
        try {
            for (PcapRecord r : PcapReader.read(data)) {
                assertThat(r.data().length).isLessThanOrEqualTo(data.length);
            }
        } catch (ParseException e) {
            declared(e);
        }
    }

    @FuzzTest
    void pcapng(byte[] data) {
        try {
            PcapngCapture c = PcapngReader.read(data);
            for (PcapngPacket p : c.packets()) {
                assertThat(p.interfaceId()).isBetween(0, c.interfaces().size() - 1);
                assertThat(p.timestampNanos()).isNotNegative();
            }
        } catch (ParseException e) {
            declared(e);
        }
    }
}
