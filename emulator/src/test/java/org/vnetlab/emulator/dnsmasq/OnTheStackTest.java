package org.vnetlab.emulator.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.link.Link;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.SocketException;
import org.vnetlab.emulator.stack.UdpSocket;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * dnsmasq on the host's IP stack, against frames: the reference guest's DISCOVER, REQUEST and dig query are
 * put on the wire as captured, and what comes back must be the reference host's frames.
 */
class OnTheStackTest {
    private static final MacAddress VIRBR0 = MacAddress.parse("52:54:00:73:62:06");
    private static final MacAddress GUEST = MacAddress.parse("52:54:00:aa:bb:01");

    private record Frame(long nanos, byte[] bytes) {
        int etherType() { return (bytes[12] & 0xff) << 8 | (bytes[13] & 0xff); }
        int protocol() { return bytes[23] & 0xff; }
        boolean dontFragment() { return (bytes[20] & 0x40) != 0; }
        /** The frame with the IP ID and header checksum zeroed: the kernel's ID counter is its own. */
        byte[] withoutIpId() {
            byte[] b = bytes.clone();
            b[18] = b[19] = 0;
            b[24] = b[25] = 0;
            return b;
        }
    }

    private final Lab lab = new Lab(1);
    private final IpStack host = new IpStack(lab, "host");
    private final IpStack router = new IpStack(lab, "router");
    private final LinkDevice guestEth0 = new LinkDevice(lab, "guest", "eth0", GUEST);
    private final List<Frame> toGuest = new ArrayList<>();

    OnTheStackTest() {
        LinkDevice virbr0 = new LinkDevice(lab, "host", "virbr0", VIRBR0);
        host.attach(virbr0);
        host.addAddress("virbr0", "192.168.122.1/24");
        virbr0.setUp(true);
        guestEth0.setReceiver((dev, frame) -> toGuest.add(new Frame(lab.now(), ByteBufUtil.getBytes(frame))));
        guestEth0.setUp(true);
        Link.connect(lab, "vnet0", virbr0, guestEth0);

        LinkDevice enp3s0 = new LinkDevice(lab, "host", "enp3s0", MacAddress.parse("00:d8:61:0a:0b:10"));
        host.attach(enp3s0);
        host.addAddress("enp3s0", "192.168.0.10/24");
        enp3s0.setUp(true);
        LinkDevice lan0 = new LinkDevice(lab, "router", "lan0", MacAddress.parse("00:11:22:33:44:55"));
        router.attach(lan0);
        router.addAddress("lan0", "192.168.0.1/24");
        lan0.setUp(true);
        Link.connect(lab, "uplink", enp3s0, lan0);
        host.addDefaultRoute(Ipv4Address.parse("192.168.0.1"), "enp3s0", 0);
    }

    private Dnsmasq start(String... nameservers) throws SocketException {
        List<Ipv4Address> ns = new ArrayList<>();
        for (String n : nameservers) ns.add(Ipv4Address.parse(n));
        return StackDnsmasq.start(host, Configurations.reference(java.util.Map.of()), HostFiles.of(ns));
    }

    private void fromGuest(byte[] frame) {
        guestEth0.transmit(Unpooled.wrappedBuffer(frame));
    }

    @Test
    void theReferenceDhcpExchangeFrameByFrame() throws SocketException {
        Dnsmasq dnsmasq = start("192.168.0.1");
        fromGuest(ReferenceFrames.udp("dhcp.pcap", 1).frame());
        lab.scheduler().runFor(SimTime.seconds(3) + SimTime.millis(10));

        // the kernel resolves the probed address first: ARP who-has 192.168.122.55 until dnsmasq's wait ends
        List<Frame> arp = toGuest.stream().filter(f -> f.etherType() == 0x0806).toList();
        assertThat(arp).isNotEmpty().allSatisfy(f -> assertThat(Arrays.copyOfRange(f.bytes(), 38, 42))
                .containsExactly(192, 168, 122, 55));
        List<Frame> ip = toGuest.stream().filter(f -> f.etherType() == 0x0800).toList();
        assertThat(ip).hasSize(2);
        // the ARP entry dnsmasq writes for the OFFER releases the queued echo: echo first, then the OFFER
        Frame echo = ip.get(0);
        assertThat(echo.protocol()).isEqualTo(1);
        assertThat(echo.dontFragment()).isTrue();
        assertThat(Arrays.copyOfRange(echo.bytes(), 0, 6)).isEqualTo(GUEST.toBytes());
        assertThat(echo.bytes().length).isEqualTo(ReferenceFrames.udp("dhcp.pcap", 6).frame().length - 280);
        Frame offer = ip.get(1);
        assertThat(offer.nanos()).isEqualTo(SimTime.seconds(3));
        assertThat(offer.withoutIpId()).isEqualTo(new Frame(0, ReferenceFrames.udp("dhcp.pcap", 6).frame()).withoutIpId());

        fromGuest(ReferenceFrames.udp("dhcp.pcap", 9).frame());
        lab.scheduler().runFor(SimTime.millis(10));
        Frame ack = toGuest.get(toGuest.size() - 1);
        assertThat(ack.withoutIpId()).isEqualTo(new Frame(0, ReferenceFrames.udp("dhcp.pcap", 10).frame()).withoutIpId());
        assertThat(dnsmasq.leases().size()).isEqualTo(1);
    }

    @Test
    void theReferenceDigThroughTheUplinkAndBack() throws SocketException {
        start("192.168.0.1");
        List<byte[]> seenUpstream = new ArrayList<>();
        UdpSocket resolver = router.openUdp();
        resolver.onReceive(d -> {
            seenUpstream.add(d.data());
            byte[] answer = ReferenceFrames.udp("host-enp3s0.pcap", 8).payload();
            answer[0] = d.data()[0];
            answer[1] = d.data()[1];
            try {
                resolver.sendTo(d.source(), d.sourcePort(), answer);
            } catch (SocketException e) {
                throw new AssertionError(e);
            }
        });
        resolver.bind(Ipv4Address.parse("192.168.0.1"), 53);
        host.neighbours().set("virbr0", Ipv4Address.parse("192.168.122.55"), GUEST, false);

        fromGuest(ReferenceFrames.udp("guest-eth0.pcap", 21).frame());
        lab.scheduler().runFor(SimTime.seconds(1));

        byte[] upstreamQuery = ReferenceFrames.udp("host-enp3s0.pcap", 7).payload();
        assertThat(seenUpstream).singleElement().satisfies(q ->
                assertThat(Arrays.copyOfRange(q, 2, q.length)).isEqualTo(Arrays.copyOfRange(upstreamQuery, 2, upstreamQuery.length)));
        Frame reply = toGuest.stream().filter(f -> f.etherType() == 0x0800).reduce((a, b) -> b).orElseThrow();
        assertThat(reply.withoutIpId()).isEqualTo(new Frame(0, ReferenceFrames.udp("guest-eth0.pcap", 22).frame()).withoutIpId());
    }

    @Test
    void aStubResolverThatIsNotRunningLeavesTheGuestWithNothing() throws SocketException {
        start("127.0.0.53");
        host.neighbours().set("virbr0", Ipv4Address.parse("192.168.122.55"), GUEST, false);
        for (int attempt = 0; attempt < 3; attempt++) {
            fromGuest(ReferenceFrames.udp("guest-eth0.pcap", 21).frame());
            lab.scheduler().runFor(SimTime.seconds(5));
        }
        assertThat(toGuest).noneMatch(f -> f.etherType() == 0x0800);
    }
}
