package org.vnetlab.emulator.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpPacket;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.tcp.TcpFlags;
import org.vnetlab.protocols.tcp.TcpOption;
import org.vnetlab.protocols.tcp.TcpSegment;
import org.vnetlab.protocols.udp.UdpDatagram;

class TransportTest {
    Net net;
    IpStack client;
    IpStack server;

    @BeforeEach
    void two_hosts() {
        net = new Net();
        client = net.stack("client");
        server = net.stack("server");
        net.wire(client, "eth0", "10.0.0.1/24", server, "eth0", "10.0.0.2/24");
    }

    @Test
    void udp_datagram_reaches_a_bound_socket_with_source_and_interface() throws Exception {
        List<UdpSocket.Datagram> got = new ArrayList<>();
        server.openUdp().bind(Net.ip("0.0.0.0"), 53).onReceive(got::add);
        UdpSocket c = client.openUdp();
        c.sendTo(Net.ip("10.0.0.2"), 53, "query".getBytes(StandardCharsets.US_ASCII));
        net.lab.scheduler().runUntilIdle();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).source()).isEqualTo(Net.ip("10.0.0.1"));
        assertThat(got.get(0).sourcePort()).isEqualTo(c.localPort()).isBetween(32768, 60999);
        assertThat(got.get(0).device()).isEqualTo("eth0");
        assertThat(new String(got.get(0).data(), StandardCharsets.US_ASCII)).isEqualTo("query");
        Ipv4Packet ip = net.ipSentOn("client/eth0").get(0).ip();
        assertThat(ip.dontFragment()).as("UDP sockets default to IP_PMTUDISC_WANT").isTrue();
        assertThat(UdpDatagram.checked(ip.payload()).verifyChecksum(ip.source(), ip.destination())).isTrue();
    }

    @Test
    void udp_to_a_closed_port_is_port_unreachable_and_a_connected_socket_sees_connection_refused() throws Exception {
        List<SocketError> connectedErrors = new ArrayList<>();
        List<SocketError> unconnectedErrors = new ArrayList<>();
        UdpSocket connected = client.openUdp().onError(connectedErrors::add);
        connected.connect(Net.ip("10.0.0.2"), 5353);
        connected.send("x".getBytes(StandardCharsets.US_ASCII));
        UdpSocket unconnected = client.openUdp().onError(unconnectedErrors::add);
        unconnected.sendTo(Net.ip("10.0.0.2"), 5354, "y".getBytes(StandardCharsets.US_ASCII));
        net.lab.scheduler().runUntilIdle();

        assertThat(connectedErrors).extracting(SocketError::errno).containsExactly(Errno.ECONNREFUSED);
        assertThat(connectedErrors.get(0).toString()).contains("Connection refused");
        assertThat(unconnectedErrors).as("no IP_RECVERR, not connected: Linux reports nothing").isEmpty();
        assertThat(server.counter(Mib.UDP_NO_PORTS)).isEqualTo(2);

        Ipv4Packet error = net.ipSentOn("server/eth0").get(0).ip();
        IcmpPacket icmp = IcmpPacket.checked(error.payload());
        assertThat(icmp.code()).isEqualTo(IcmpCode.PORT_UNREACHABLE);
        assertThat(error.source()).isEqualTo(Net.ip("10.0.0.2"));
        assertThat(error.tos()).isEqualTo(0xc0);
        Ipv4Packet quoted = icmp.quoted();
        assertThat(quoted.protocol()).isEqualTo(IpProtocol.UDP);
        assertThat(quoted.totalLength()).isEqualTo(29);
    }

    @Test
    void udp_broadcast_needs_so_broadcast_and_reaches_a_wildcard_socket_without_icmp_for_nobody() throws Exception {
        List<UdpSocket.Datagram> got = new ArrayList<>();
        server.openUdp().bind(Net.ip("0.0.0.0"), 67).onReceive(got::add);
        UdpSocket c = client.openUdp().bindToDevice("eth0");
        try {
            c.sendTo(Net.ip("255.255.255.255"), 67, new byte[10]);
            throw new AssertionError("EACCES expected");
        } catch (SocketException e) {
            assertThat(e.errno()).isEqualTo(Errno.EACCES);
        }
        c.setBroadcast(true);
        c.sendTo(Net.ip("255.255.255.255"), 67, new byte[10]);
        c.sendTo(Net.ip("10.0.0.255"), 9999, new byte[10]);
        net.lab.scheduler().runUntilIdle();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).destination()).isEqualTo(Net.ip("255.255.255.255"));
        assertThat(net.sentOn("client/eth0").get(0).frame().destination().isBroadcast()).isTrue();
        assertThat(net.ipSentOn("server/eth0")).as("no port unreachable about a broadcast").isEmpty();
    }

    @Test
    void tcp_connect_to_a_closed_port_gets_rst_ack_and_connection_refused() throws Exception {
        List<SocketError> errors = new ArrayList<>();
        client.connect(Net.ip("10.0.0.2"), 81, new TcpConnection.Handler() {
            @Override
            public void failed(TcpConnection c, SocketError e) { errors.add(e); }
        });
        net.lab.scheduler().runUntilIdle();
        assertThat(errors).extracting(SocketError::errno).containsExactly(Errno.ECONNREFUSED);

        TcpSegment syn = TcpSegment.checked(net.ipSentOn("client/eth0").get(0).ip().payload());
        assertThat(syn.optionList()).extracting(o -> o.getClass().getSimpleName())
                .containsExactly("Mss", "SackPermitted", "Timestamps", "NoOp", "WindowScale");
        assertThat(syn.window()).isEqualTo(64240);
        Ipv4Packet rstIp = net.ipSentOn("server/eth0").get(0).ip();
        TcpSegment rst = TcpSegment.checked(rstIp.payload());
        assertThat(TcpFlags.toString(rst.flags())).isEqualTo("RA");
        assertThat(rst.sequence()).isZero();
        assertThat(rst.acknowledgment()).isEqualTo((syn.sequence() + 1) & 0xffffffffL);
        assertThat(rst.window()).isZero();
        assertThat(rstIp.identification()).isZero();
        assertThat(rstIp.dontFragment()).isTrue();
        assertThat(rst.verifyChecksum(rstIp.source(), rstIp.destination())).isTrue();
        assertThat(client.counter(Mib.TCP_ATTEMPT_FAILS)).isEqualTo(1);
        assertThat(server.counter(Mib.TCP_OUT_RSTS)).isEqualTo(1);
    }

    @Test
    void tcp_http_like_exchange_then_close_from_both_sides() throws Exception {
        StringBuilder serverGot = new StringBuilder();
        server.listen(Net.ip("0.0.0.0"), 80, conn -> new TcpConnection.Handler() {
            @Override
            public void received(TcpConnection c, byte[] data) {
                serverGot.append(new String(data, StandardCharsets.US_ASCII));
                if (serverGot.toString().endsWith("\r\n\r\n")) {
                    try {
                        c.write("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello".getBytes(StandardCharsets.US_ASCII));
                    } catch (SocketException e) {
                        throw new AssertionError(e);
                    }
                    c.close();
                }
            }
        });
        StringBuilder clientGot = new StringBuilder();
        List<String> events = new ArrayList<>();
        TcpConnection conn = client.connect(Net.ip("10.0.0.2"), 80, new TcpConnection.Handler() {
            @Override
            public void connected(TcpConnection c) {
                events.add("connected");
                try {
                    c.write("GET / HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (SocketException e) {
                    throw new AssertionError(e);
                }
            }

            @Override
            public void received(TcpConnection c, byte[] data) { clientGot.append(new String(data, StandardCharsets.US_ASCII)); }

            @Override
            public void peerClosed(TcpConnection c) {
                events.add("eof");
                c.close();
            }

            @Override
            public void closed(TcpConnection c) { events.add("closed"); }
        });
        net.lab.scheduler().runUntilIdle();

        assertThat(serverGot.toString()).startsWith("GET / HTTP/1.1");
        assertThat(clientGot.toString()).endsWith("hello");
        assertThat(events).containsExactly("connected", "eof", "closed");
        assertThat(conn.state()).as("the passive closer: CLOSE_WAIT, LAST_ACK, closed").isEqualTo(TcpConnection.State.CLOSED);
        assertThat(server.tcp().connections()).extracting(TcpConnection::state)
                .as("the active closer waits in TIME_WAIT (a housekeeping timer)").containsExactly(TcpConnection.State.TIME_WAIT);
        net.lab.scheduler().runFor(Net.seconds(61));
        assertThat(server.tcp().connections()).isEmpty();

        List<Ipv4Packet> fromClient = net.ipSentOn("client/eth0").stream().map(Net.Captured::ip).toList();
        List<Ipv4Packet> fromServer = net.ipSentOn("server/eth0").stream().map(Net.Captured::ip).toList();
        // connected socket: IP IDs count up from a random start; the SYN-ACK has ID 0 (ip_build_and_send_pkt)
        for (int i = 1; i < fromClient.size(); i++) {
            assertThat(fromClient.get(i).identification()).isEqualTo((fromClient.get(0).identification() + i) & 0xffff);
        }
        assertThat(fromServer.get(0).identification()).isZero();
        TcpSegment synAck = TcpSegment.checked(fromServer.get(0).payload());
        assertThat(TcpFlags.toString(synAck.flags())).isEqualTo("SA");
        assertThat(synAck.optionList()).anyMatch(o -> o instanceof TcpOption.Timestamps);
        for (Ipv4Packet p : fromClient) {
            TcpSegment s = TcpSegment.checked(p.payload());
            assertThat(s.verifyChecksum(p.source(), p.destination())).isTrue();
            assertThat(p.dontFragment()).isTrue();
        }
        TcpSegment serverFin = fromServer.stream().map(p -> {
            try {
                return TcpSegment.checked(p.payload());
            } catch (org.vnetlab.protocols.ParseException e) {
                throw new AssertionError(e);
            }
        }).filter(s -> s.has(TcpFlags.FIN)).findFirst().orElseThrow();
        assertThat(serverFin.has(TcpFlags.ACK)).isTrue();
    }

    @Test
    void tcp_connect_to_a_silent_host_retries_the_syn_with_doubling_timeouts_and_times_out_at_127_s() throws Exception {
        server.setPacketFilter((hook, p) -> hook == org.vnetlab.emulator.netfilter.Hook.INPUT
                ? new FilterVerdict.Drop("test") : FilterVerdict.ACCEPT);
        List<SocketError> errors = new ArrayList<>();
        List<Long> when = new ArrayList<>();
        client.connect(Net.ip("10.0.0.2"), 80, new TcpConnection.Handler() {
            @Override
            public void failed(TcpConnection c, SocketError e) {
                errors.add(e);
                when.add(net.lab.now());
            }
        });
        net.lab.scheduler().runUntilIdle();
        List<Long> syns = net.ipSentOn("client/eth0").stream().map(Net.Captured::time).toList();
        assertThat(syns).containsExactly(0L, Net.seconds(1), Net.seconds(3), Net.seconds(7), Net.seconds(15), Net.seconds(31), Net.seconds(63));
        assertThat(errors).extracting(SocketError::errno).containsExactly(Errno.ETIMEDOUT);
        assertThat(when).containsExactly(Net.seconds(127));
    }

    @Test
    void windows_profile_uses_ttl_128_its_syn_options_and_gives_up_after_21_s() throws Exception {
        Net n = new Net();
        IpStack win = n.stack("win", OsProfile.WINDOWS);
        IpStack srv = n.stack("srv");
        n.wire(win, "eth0", "10.0.0.5/24", srv, "eth0", "10.0.0.6/24");
        srv.setPacketFilter((hook, p) -> hook == org.vnetlab.emulator.netfilter.Hook.INPUT ? new FilterVerdict.Drop("test") : FilterVerdict.ACCEPT);
        List<Long> when = new ArrayList<>();
        win.connect(Net.ip("10.0.0.6"), 80, new TcpConnection.Handler() {
            @Override
            public void failed(TcpConnection c, SocketError e) { when.add(n.lab.now()); }
        });
        n.lab.scheduler().runUntilIdle();
        List<Net.Captured> syns = n.ipSentOn("win/eth0");
        assertThat(syns).extracting(Net.Captured::time).containsExactly(0L, Net.seconds(3), Net.seconds(9));
        assertThat(syns.get(0).ip().ttl()).isEqualTo(128);
        assertThat(syns.get(1).ip().identification()).isEqualTo((syns.get(0).ip().identification() + 1) & 0xffff);
        assertThat(TcpSegment.checked(syns.get(0).ip().payload()).optionList()).extracting(o -> o.getClass().getSimpleName())
                .containsExactly("Mss", "NoOp", "WindowScale", "NoOp", "NoOp", "SackPermitted");
        assertThat(when).containsExactly(Net.seconds(21));
    }
}
