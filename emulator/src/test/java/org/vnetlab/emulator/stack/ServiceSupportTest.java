package org.vnetlab.emulator.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/** What services running on stacks rely on: dnsmasq's unicast DHCP reply, raw frames, reproducible runs. */
class ServiceSupportTest {

    @Test
    void a_dhcp_server_answers_a_client_without_address_unicast_to_its_mac_without_arp() throws Exception {
        Net net = new Net();
        IpStack server = net.stack("server");
        IpStack client = net.stack("client");
        net.wire(server, "virbr0", "192.168.122.1/24", client, "eth0", null);
        MacAddress chaddr = client.iface("eth0").orElseThrow().device().mac();
        List<byte[]> seen = new ArrayList<>();
        client.openPacketSocket("eth0", f -> seen.add(io.netty.buffer.ByteBufUtil.getBytes(f)));

        UdpSocket dhcp = server.openUdp().bind(Net.ip("0.0.0.0"), 67).bindToDevice("virbr0");
        dhcp.setOptions(dhcp.options().withTos(0xc0).withPmtu(SendOptions.Pmtu.DONT).withDevice("virbr0"));
        // dnsmasq: SIOCSARP for yiaddr -> chaddr, then sendmsg to yiaddr:68
        server.neighbours().set("virbr0", Net.ip("192.168.122.55"), chaddr, false);
        dhcp.sendTo(Net.ip("192.168.122.55"), 68, new byte[300]);
        net.lab.scheduler().runUntilIdle();

        assertThat(net.sentOn("server/virbr0")).hasSize(1);
        Net.Captured offer = net.sentOn("server/virbr0").get(0);
        assertThat(offer.frame().destination()).isEqualTo(chaddr);
        Ipv4Packet ip = offer.ip();
        assertThat(ip.tos()).isEqualTo(0xc0);
        assertThat(ip.dontFragment()).isFalse();
        assertThat(ip.ttl()).isEqualTo(64);
        assertThat(ip.totalLength()).isEqualTo(20 + 8 + 300);
        assertThat(seen).hasSize(1);
    }

    @Test
    void the_same_seed_gives_byte_identical_traffic() throws Exception {
        assertThat(run()).isEqualTo(run());
    }

    private static List<String> run() throws Exception {
        Net net = new Net();
        IpStack a = net.stack("a");
        IpStack b = net.stack("b");
        net.wire(a, "eth0", "10.0.0.1/24", b, "eth0", "10.0.0.2/24");
        b.listen(Net.ip("0.0.0.0"), 80, c -> new TcpConnection.Handler() { });
        a.connect(Net.ip("10.0.0.2"), 80, new TcpConnection.Handler() {
            @Override
            public void connected(TcpConnection c) { c.close(); }
        });
        a.openPing(9).send(Net.ip("10.0.0.2"), 1, Net.pingData());
        a.openUdp().sendTo(Net.ip("10.0.0.2"), 9, new byte[3]);
        net.lab.scheduler().runFor(Net.seconds(100));
        return net.sent.stream().map(c -> c.iface() + " " + c.time() + " " + io.netty.buffer.ByteBufUtil.hexDump(c.bytes())).toList();
    }
}
