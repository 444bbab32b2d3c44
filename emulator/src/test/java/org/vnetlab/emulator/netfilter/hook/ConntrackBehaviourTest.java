package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackEvent;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.conntrack.TcpState;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.protocols.MacAddress;

/** Conntrack's state machine, timeouts and limits, checked against the real kernel's conntrack -E lines. */
class ConntrackBehaviourTest {
    static final MacAddress M = MacAddress.parse("52:54:00:aa:bb:01");
    final List<ConntrackEvent> events = new ArrayList<>();
    PathRunner host;
    long now = 5_000_000_000L;

    ConntrackBehaviourTest() throws InputException { init(ConntrackSettings.DEFAULTS); }

    static ConntrackBehaviourTest with(ConntrackSettings s) throws InputException {
        ConntrackBehaviourTest t = new ConntrackBehaviourTest();
        t.events.clear();
        t.init(s);
        return t;
    }

    private void init(ConntrackSettings s) throws InputException {
        ArticleHost h = new ArticleHost();
        Netfilter nf = Netfilter.iptables(Rulesets.article(), new RuleCounters(), h, s, 7);
        nf.conntrack().addListener(events::add);
        host = new PathRunner(nf, h, true);
    }

    PathRunner.Result guest(ByteBuf p) { now += 100_000; return host.receive(p, "virbr0", M, M, now); }

    PathRunner.Result inet(ByteBuf p) { now += 100_000; return host.receive(p, "enp3s0", M, M, now); }

    List<String> lines() { return events.stream().map(e -> e.text().replaceAll(" id=\\d+$", "")).toList(); }

    @Test
    void anHttpExchangeWalksTheTcpStatesWithTheKernelsTimeouts() {
        String g = "192.168.122.55", s = "142.250.1.1", nat = "192.168.0.10";
        guest(Packets.tcp(g, 40003, s, 80, 64, 1000, 0, 0x02, 0));
        inet(Packets.tcp(s, 80, nat, 40003, 60, 5000, 1001, 0x12, 0));
        guest(Packets.tcp(g, 40003, s, 80, 64, 1001, 5001, 0x10, 0));
        guest(Packets.tcp(g, 40003, s, 80, 64, 1001, 5001, 0x18, 10));
        inet(Packets.tcp(s, 80, nat, 40003, 60, 5001, 1011, 0x18, 100));
        guest(Packets.tcp(g, 40003, s, 80, 64, 1011, 5101, 0x10, 0));
        guest(Packets.tcp(g, 40003, s, 80, 64, 1011, 5101, 0x11, 0));
        inet(Packets.tcp(s, 80, nat, 40003, 60, 5101, 1012, 0x11, 0));
        PathRunner.Result last = guest(Packets.tcp(g, 40003, s, 80, 64, 1012, 5102, 0x10, 0));

        assertThat(last.disposition()).isEqualTo(Disposition.FORWARDED);
        String t = "src=192.168.122.55 dst=142.250.1.1 sport=40003 dport=80";
        String r = "src=142.250.1.1 dst=192.168.0.10 sport=80 dport=40003";
        // conntrack-events.txt, the 07-tcp_http flow
        assertThat(lines()).containsExactly(
                "    [NEW] tcp      6 120 SYN_SENT " + t + " [UNREPLIED] " + r,
                " [UPDATE] tcp      6 60 SYN_RECV " + t + " " + r,
                " [UPDATE] tcp      6 432000 ESTABLISHED " + t + " " + r + " [ASSURED]",
                " [UPDATE] tcp      6 120 FIN_WAIT " + t + " " + r + " [ASSURED]",
                " [UPDATE] tcp      6 30 LAST_ACK " + t + " " + r + " [ASSURED]",
                " [UPDATE] tcp      6 120 TIME_WAIT " + t + " " + r + " [ASSURED]");
        assertThat(host.netfilter().conntrack().entries().get(0).tcpState()).isEqualTo(TcpState.TIME_WAIT);
    }

    @Test
    void anOutOfWindowResetIsInvalidAndLeavesTheConnection() {
        String g = "192.168.122.55", s = "142.250.1.1", nat = "192.168.0.10";
        guest(Packets.tcp(g, 40010, s, 80, 64, 1000, 0, 0x02, 0));
        inet(Packets.tcp(s, 80, nat, 40010, 60, 5000, 1001, 0x12, 0));
        guest(Packets.tcp(g, 40010, s, 80, 64, 1001, 5001, 0x10, 0));
        PathRunner.Result rst = inet(Packets.tcp(s, 80, nat, 40010, 60, 900_000_000, 0, 0x04, 0));

        assertThat(rst.trace().render()).contains("conntrack: INVALID");
        // INVALID: no connection, so no de-NAT, and LIBVIRT_FWI #1 (RELATED,ESTABLISHED) does not match
        assertThat(rst.disposition()).isNotEqualTo(Disposition.FORWARDED);
        assertThat(host.netfilter().conntrack().entries()).hasSize(1);
        assertThat(host.netfilter().conntrack().entries().get(0).tcpState()).isEqualTo(TcpState.ESTABLISHED);
    }

    @Test
    void udpIsAssuredOnlyWhenStillActiveTwoSecondsAfterItsFirstPacketAndThenGetsTheStreamTimeout() {
        String g = "192.168.122.55";
        guest(Packets.udp(g, 40020, "8.8.8.8", 53, 64, 20));
        inet(Packets.udp("8.8.8.8", 53, "192.168.0.10", 40020, 60, 40));
        now += 3_000_000_000L;
        guest(Packets.udp(g, 40020, "8.8.8.8", 53, 64, 20));
        String t = "src=192.168.122.55 dst=8.8.8.8 sport=40020 dport=53";
        String r = "src=8.8.8.8 dst=192.168.0.10 sport=53 dport=40020";
        assertThat(lines()).containsExactly(
                "    [NEW] udp      17 30 " + t + " [UNREPLIED] " + r,
                " [UPDATE] udp      17 30 " + t + " " + r,
                " [UPDATE] udp      17 120 " + t + " " + r + " [ASSURED]");
    }

    @Test
    void entriesExpireOnTheEmulatedClock() {
        guest(Packets.udp("192.168.122.55", 40030, "8.8.8.8", 53, 64, 20));
        now += 29_000_000_000L;
        assertThat(host.netfilter().conntrack().list(now)).contains("udp      17 1 src=192.168.122.55").contains("1 flow entries");
        now += 1_000_000_000L;
        assertThat(host.netfilter().conntrack().list(now)).contains("0 flow entries");
        assertThat(lines().get(lines().size() - 1)).startsWith("[DESTROY] udp      17 ");
    }

    @Test
    void aSysctlShortensATimeout() throws InputException {
        ConntrackBehaviourTest t = with(
                ConntrackSettings.DEFAULTS.withSysctl("net.netfilter.nf_conntrack_udp_timeout", "10"));
        t.guest(Packets.udp("192.168.122.55", 40031, "8.8.8.8", 53, 64, 20));
        assertThat(t.lines().get(0)).contains("udp      17 10 ");
    }

    @Test
    void aFullTableDropsNewConnectionsAndSaysSoInTheKernelLog() throws InputException {
        ConntrackBehaviourTest t = with(
                ConntrackSettings.DEFAULTS.withSysctl("net.netfilter.nf_conntrack_max", "1"));
        String g = "192.168.122.55", s = "142.250.1.1", nat = "192.168.0.10";
        t.guest(Packets.tcp(g, 40040, s, 80, 64, 1000, 0, 0x02, 0));
        t.inet(Packets.tcp(s, 80, nat, 40040, 60, 5000, 1001, 0x12, 0));
        t.guest(Packets.tcp(g, 40040, s, 80, 64, 1001, 5001, 0x10, 0));
        PathRunner.Result second = t.guest(Packets.udp(g, 40041, "8.8.8.8", 53, 64, 20));

        assertThat(second.disposition()).isEqualTo(Disposition.DROPPED_BY_CONNTRACK);
        assertThat(t.host.netfilter().kernelLog().entries("host")).singleElement().satisfies(line -> {
            assertThat(line.text()).isEqualTo("nf_conntrack: nf_conntrack: table full, dropping packet");
            assertThat(line.nanos()).as("stamped when the packet was dropped").isEqualTo(t.now);
        });
    }

    @Test
    void anEchoReplyWithoutARequestIsInvalid() {
        PathRunner.Result r = inet(Packets.pong("8.8.8.8", "192.168.122.55", 60, 1, 1));
        assertThat(r.trace().render()).contains("conntrack: INVALID");
        assertThat(r.disposition()).isEqualTo(Disposition.REJECTED);
    }
}
