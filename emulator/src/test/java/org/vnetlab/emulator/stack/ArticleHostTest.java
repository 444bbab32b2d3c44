package org.vnetlab.emulator.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.bridge.Bridge;
import org.vnetlab.emulator.bridge.BridgeConfig;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.Nexthop;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.link.Link;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.SaveFile;
import org.vnetlab.emulator.stack.netfilter.NetfilterPacketFilter;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpType;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/**
 * The article's host, wired as the reference captures were taken: guest — vnet0 on virbr0 (192.168.122.1)
 * — host (enp3s0 192.168.0.10, ip_forward=1, the article's iptables-save) — router 192.168.0.1 | 203.0.113.2
 * — internet 203.0.113.1 with 8.8.8.8.
 */
class ArticleHostTest {
    Net net;
    IpStack host;
    IpStack guest;
    IpStack router;
    IpStack internet;
    NetfilterPacketFilter netfilter;

    static String articleRuleset() throws Exception {
        Path article = Path.of(System.getProperty("vnetlab.shared", "../../shared"), "ref", "article", "article.txt");
        List<String> lines = Files.readAllLines(article, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        // section 4 holds the nat table then the filter table, each from '*table' to 'COMMIT'
        boolean in = false;
        int tables = 0;
        for (String l : lines) {
            String t = l.strip();
            if (t.startsWith("*nat") || t.startsWith("*filter")) in = true;
            if (in) out.append(t).append('\n');
            if (in && t.equals("COMMIT")) {
                in = false;
                if (++tables == 2) break;
            }
        }
        return out.toString();
    }

    @BeforeEach
    void article_host() throws Exception {
        net = new Net();
        host = net.stack("host");
        guest = net.stack("guest");
        router = net.stack("router");
        internet = net.stack("inet");

        LinkDevice enp3s0 = new LinkDevice(net.lab, "host", "enp3s0", MacAddress.parse("00:d8:61:0a:0b:10"));
        LinkDevice vnet0 = new LinkDevice(net.lab, "host", "vnet0", MacAddress.parse("fe:54:00:aa:bb:01"));
        Bridge virbr0 = new Bridge(net.lab, "host", BridgeConfig.of("virbr0", MacAddress.parse("52:54:00:73:62:06")));
        virbr0.addPort(vnet0);
        host.attach(enp3s0);
        host.attach(virbr0);
        host.addAddress("enp3s0", "192.168.0.10/24");
        host.addAddress("virbr0", "192.168.122.1/24");
        host.addDefaultRoute(Net.ip("192.168.0.1"), "enp3s0", 0);
        host.addDefaultRoute(Net.ip("192.168.0.1"), "enp3s0", 100);
        host.setIpForward(true);
        host.setSettings(host.settings().withAll(host.settings().all().withRpFilter(2)));

        LinkDevice guestEth0 = new LinkDevice(net.lab, "guest", "eth0", MacAddress.parse("52:54:00:aa:bb:01"));
        guest.attach(guestEth0);
        guest.addAddress("eth0", "192.168.122.55/24");
        guest.addDefaultRoute(Net.ip("192.168.122.1"), "eth0", 0);
        Link.connect(net.lab, "vnet0", vnet0, guestEth0);

        LinkDevice lan = new LinkDevice(net.lab, "router", "eth0", MacAddress.parse("00:11:32:00:00:01"));
        router.attach(lan);
        router.addAddress("eth0", "192.168.0.1/24");
        Link.connect(net.lab, "lan", enp3s0, lan);
        LinkDevice wan = net.device(router, "wan0", "203.0.113.2/30");
        LinkDevice inet = net.device(internet, "wan0", "203.0.113.1/30");
        Link.connect(net.lab, "wan", wan, inet);
        internet.addAddress("wan0", "8.8.8.8/32");
        internet.addDefaultRoute(Net.ip("203.0.113.2"), "wan0", 0);
        router.addDefaultRoute(Net.ip("203.0.113.1"), "wan0", 0);
        router.addRoute(Route.unicast(Ipv4Prefix.parse("192.168.122.0/24"), Nexthop.via(Net.ip("192.168.0.10"), "eth0"), 0));
        router.setIpForward(true);

        for (LinkDevice d : List.of(enp3s0, vnet0, guestEth0, lan)) d.setUp(true);
        virbr0.setUp(true);

        SaveFile save = IptablesSaveParser.parse(articleRuleset(), "article.txt");
        Netfilter nf = Netfilter.iptables(save.ruleset(), save.counters(), host.hostNetwork(), ConntrackSettings.DEFAULTS, 7);
        netfilter = new NetfilterPacketFilter(nf, net.lab);
        host.setPacketFilter(netfilter);
    }

    @Test
    void a_guest_ping_to_8_8_8_8_is_masqueraded_out_of_enp3s0_and_the_reply_comes_back_with_ttl_62() throws Exception {
        List<PingSocket.Reply> replies = new ArrayList<>();
        PingSocket ping = guest.openPing(4099).onReply(replies::add);
        ping.send(Net.ip("8.8.8.8"), 1, Net.pingData());
        net.lab.scheduler().runUntilIdle();

        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).from()).isEqualTo(Net.ip("8.8.8.8"));
        assertThat(replies.get(0).ttl()).isEqualTo(62);
        Ipv4Packet out = net.ipSentOn("host/enp3s0").get(0).ip();
        assertThat(out.source()).isEqualTo(Net.ip("192.168.0.10"));
        assertThat(out.ttl()).isEqualTo(63);
        assertThat(out.verifyChecksum()).isTrue();
        Ipv4Packet fromGuest = net.ipSentOn("guest/eth0").get(0).ip();
        assertThat(out.identification()).as("IP ID untouched by forwarding and NAT").isEqualTo(fromGuest.identification());
        assertThat(netfilter.traces()).anyMatch(t -> t.disposition() == Disposition.FORWARDED
                && t.render().contains("MASQUERADE"));
    }

    /** Two guest pings to 8.8.8.8; the first traced or not, the second traced. Returns the second's traces. */
    private List<org.vnetlab.emulator.trace.Trace> twoPings(boolean firstTraced) throws SocketException {
        List<PingSocket.Reply> replies = new ArrayList<>();
        PingSocket ping = guest.openPing(4099).onReply(replies::add);
        netfilter.setTracing(firstTraced);
        ping.send(Net.ip("8.8.8.8"), 1, Net.pingData());
        net.lab.scheduler().runUntilIdle();
        assertThat(replies).hasSize(1);
        assertThat(netfilter.traces().isEmpty()).isEqualTo(!firstTraced);
        netfilter.clearTraces();
        netfilter.setTracing(true);
        ping.send(Net.ip("8.8.8.8"), 2, Net.pingData());
        net.lab.scheduler().runUntilIdle();
        assertThat(replies).hasSize(2);
        assertThat(replies.get(1).ttl()).isEqualTo(62);
        assertThat(net.ipSentOn("host/enp3s0").get(1).ip().source()).isEqualTo(Net.ip("192.168.0.10"));
        return netfilter.traces();
    }

    @Test
    void with_tracing_off_packets_go_the_same_way_untraced_and_later_traces_are_the_same_with_the_same_ids() throws Exception {
        List<org.vnetlab.emulator.trace.Trace> always = twoPings(true);
        article_host();
        List<org.vnetlab.emulator.trace.Trace> later = twoPings(false);
        assertThat(later).isNotEmpty();
        assertThat(later).extracting(t -> t.id() + "\n" + t.render())
                .containsExactlyElementsOf(always.stream().map(t -> t.id() + "\n" + t.render()).toList());
    }

    @Test
    void an_inbound_ping_from_the_lan_to_the_guest_is_rejected_with_port_unreachable_from_192_168_0_10() throws Exception {
        List<PingSocket.Failure> failures = new ArrayList<>();
        PingSocket ping = router.openPing(4102).onFailure(failures::add);
        ping.send(Net.ip("192.168.122.55"), 1, Net.pingData());
        net.lab.scheduler().runUntilIdle();

        assertThat(failures).hasSize(1);
        SocketError.Icmp icmp = failures.get(0).error().icmp().orElseThrow();
        assertThat(icmp.type()).isEqualTo(IcmpType.DESTINATION_UNREACHABLE);
        assertThat(icmp.code()).isEqualTo(IcmpCode.PORT_UNREACHABLE);
        assertThat(icmp.from()).isEqualTo(Net.ip("192.168.0.10"));
        assertThat(net.ipSentOn("guest/eth0")).isEmpty();
        Ipv4Packet reject = net.ipSentOn("host/enp3s0").get(0).ip();
        assertThat(reject.tos()).isEqualTo(0xc0);
        assertThat(reject.ttl()).isEqualTo(64);
        assertThat(reject.dontFragment()).isFalse();
        assertThat(netfilter.traces()).anyMatch(t -> t.disposition() == Disposition.REJECTED);
    }

    @Test
    void a_guest_ping_with_ttl_1_dies_at_the_host_before_forward_with_time_exceeded_from_virbr0() throws Exception {
        List<PingSocket.Failure> failures = new ArrayList<>();
        PingSocket ping = guest.openPing(4101).onFailure(failures::add).setTtl(1);
        ping.send(Net.ip("8.8.8.8"), 1, Net.pingData());
        net.lab.scheduler().runUntilIdle();

        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).error().icmp().orElseThrow().type()).isEqualTo(IcmpType.TIME_EXCEEDED);
        assertThat(failures.get(0).error().icmp().orElseThrow().from()).isEqualTo(Net.ip("192.168.122.1"));
        assertThat(net.ipSentOn("host/enp3s0")).isEmpty();
        assertThat(netfilter.netfilter().conntrack().entries()).as("never confirmed: no conntrack entry left")
                .noneMatch(e -> e.original().format().contains("192.168.122.55"));
    }

    @Test
    void the_guest_pings_its_gateway_and_gets_the_reply_from_192_168_122_1() throws Exception {
        List<PingSocket.Reply> replies = new ArrayList<>();
        guest.openPing(4098).onReply(replies::add).send(Net.ip("192.168.122.1"), 1, Net.pingData());
        net.lab.scheduler().runUntilIdle();
        assertThat(replies).extracting(PingSocket.Reply::ttl).containsExactly(64);
    }
}
