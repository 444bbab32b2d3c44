package org.vnetlab.emulator.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.guest.CommandResult;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.guest.Outcome;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.internet.Internet;
import org.vnetlab.emulator.internet.InternetHost;
import org.vnetlab.emulator.link.Link;
import org.vnetlab.emulator.link.LinkProperties;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * The router and the internet behind it, driven from a Linux machine on the router's LAN
 * (192.168.0.20/24, gateway 192.168.0.1, resolver 8.8.8.8).
 */
class RouterTest {
    private final Lab lab = new Lab(7);
    private final Router router = Router.reference(lab);
    private final Internet internet = Internet.withDefaults(lab);
    private final Guest pc = Guest.create(lab, "pc", OsProfile.debian("pc"), MacAddress.parse("52:54:00:00:00:20"));

    RouterTest() {
        Link.connect(lab, "wan", router.wan(), internet.device(), LinkProperties.IDEAL.withLatency(SimTime.millis(1)));
        Link.connect(lab, "lan", pc.nic(), router.lan());
        run("ip addr add 192.168.0.20/24 dev eth0");
        run("ip route add default via 192.168.0.1");
        pc.setDnsServers(List.of(Ipv4Address.parse("8.8.8.8")));
    }

    private CommandResult run(String line) {
        return pc.run(line);
    }

    @Test
    void forwardsBothWaysTakingOneOffTheTtl() {
        CommandResult r = run("ping -c 1 8.8.8.8");
        assertThat(r.outcome()).isEqualTo(new Outcome.Reply(Ipv4Address.parse("8.8.8.8"), 63, ((Outcome.Reply) r.outcome()).rttNanos()));
        assertThat(run("dig +short @1.1.1.1 google.com").output()).isEqualTo("142.250.72.14\n");
        assertThat(run("curl http://google.com/").outcome()).isInstanceOf(Outcome.HttpResponse.class);
    }

    @Test
    void dropIcmpEatsPingsButNotDns() {
        router.enable("drop-icmp");
        assertThat(run("ping -c 1 -W 1 8.8.8.8").outcome()).isEqualTo(new Outcome.Timeout());
        assertThat(run("ping -c 1 192.168.0.1").outcome()).isInstanceOf(Outcome.Reply.class); // the router itself answers
        assertThat(run("dig +short @8.8.8.8 google.com").output()).isEqualTo("142.250.72.14\n");
        router.disable("drop-icmp");
        assertThat(run("ping -c 1 8.8.8.8").outcome()).isInstanceOf(Outcome.Reply.class);
    }

    @Test
    void blockDnsEatsDnsButNotPings() {
        router.enable(new RouterFault.BlockDns());
        assertThat(run("dig +tries=1 +timeout=1 @8.8.8.8 google.com").outcome()).isEqualTo(new Outcome.Timeout());
        assertThat(run("ping -c 1 8.8.8.8").outcome()).isInstanceOf(Outcome.Reply.class);
    }

    @Test
    void dropPrefixEatsOnlyThatPrefix() {
        router.enable("drop-prefix 8.8.8.0/24");
        assertThat(run("ping -c 1 -W 1 8.8.8.8").outcome()).isEqualTo(new Outcome.Timeout());
        assertThat(run("ping -c 1 1.1.1.1").outcome()).isInstanceOf(Outcome.Reply.class);
        assertThat(router.faults()).containsExactly(new RouterFault.DropPrefix(Ipv4Prefix.parse("8.8.8.0/24")));
    }

    @Test
    void blackholeSilencesEvenTheRouter() {
        router.enable("blackhole");
        assertThat(run("ping -c 1 -W 1 192.168.0.1").outcome()).isEqualTo(new Outcome.Timeout());
        assertThat(run("ping -c 1 -W 1 8.8.8.8").outcome()).isEqualTo(new Outcome.Timeout());
    }

    @Test
    void aRouterThatIsDownDoesNotEvenAnswerArp() {
        router.enable("down");
        CommandResult r = run("ping -c 1 192.168.0.1");
        // the neighbour entry fails after 3 ARP probes: the sender's own stack reports the host unreachable
        assertThat(r.output()).contains("From 192.168.0.20 icmp_seq=1 Destination Host Unreachable");
        router.disable("down");
        assertThat(run("ping -c 1 192.168.0.1").outcome()).isInstanceOf(Outcome.Reply.class);
    }

    @Test
    void masqueradeHidesTheLanBehindTheWanAddress() throws Exception {
        List<Ipv4Address> sources = new java.util.ArrayList<>();
        lab.addCaptureSink("internet/wan0", (path, t, dir, frame) -> {
            if (dir != org.vnetlab.emulator.sim.CaptureSink.Direction.INBOUND) return;
            try {
                var eth = org.vnetlab.protocols.ethernet.EthernetFrame.checked(frame);
                if (eth.etherType().value() == 0x0800) sources.add(org.vnetlab.protocols.ipv4.Ipv4Packet.checked(eth.payload()).source());
            } catch (org.vnetlab.protocols.ParseException e) {
                throw new AssertionError(e);
            }
        });
        run("ping -c 1 8.8.8.8");
        assertThat(sources).containsExactly(Ipv4Address.parse("192.168.0.20"));
        router.setMasquerade(true);
        sources.clear();
        CommandResult r = run("ping -c 1 8.8.8.8");
        assertThat(r.outcome()).isInstanceOf(Outcome.Reply.class);
        assertThat(sources).containsExactly(Ipv4Address.parse("203.0.113.2"));
        assertThat(router.netfilter().orElseThrow().traces()).isNotEmpty();
        router.enable("drop-icmp");
        assertThat(run("ping -c 1 -W 1 8.8.8.8").outcome()).isEqualTo(new Outcome.Timeout());
    }

    @Test
    void faultNamesAreParsedStrictly() {
        assertThat(RouterFault.parse("drop-icmp")).isEqualTo(new RouterFault.DropIcmp());
        assertThat(RouterFault.parse(" block-dns ")).isEqualTo(new RouterFault.BlockDns());
        assertThat(RouterFault.parse("drop-prefix 10.0.0.0/8").name()).isEqualTo("drop-prefix 10.0.0.0/8");
        assertThat(RouterFault.parse("down").name()).isEqualTo("down");
        assertThatThrownBy(() -> RouterFault.parse("explode")).hasMessageContaining("unknown router fault 'explode'");
        assertThatThrownBy(() -> RouterFault.parse("drop-prefix banana")).hasMessageContaining("'banana'");
        assertThatThrownBy(() -> RouterFault.parse("blackhole now")).hasMessageContaining("'now'");
    }

    @Test
    void internetHostsThatAreDownOrFarAway() {
        internet.setDown(Ipv4Address.parse("1.1.1.1"), true);
        assertThat(run("ping -c 1 -W 1 1.1.1.1").outcome()).isEqualTo(new Outcome.Timeout());
        internet.add(InternetHost.plain(Ipv4Address.parse("9.9.9.9")).withHops(10));
        CommandResult far = run("ping -c 1 9.9.9.9");
        assertThat(((Outcome.Reply) far.outcome()).ttl()).isEqualTo(64 - 10 - 1);
        // nobody at an address no host holds: silence, not an error
        assertThat(run("ping -c 1 -W 1 203.0.113.77").outcome()).isEqualTo(new Outcome.Timeout());
        assertThat(run("ping -c 1 -W 1 9.9.9.10").outcome()).isEqualTo(new Outcome.Timeout());
        assertThat(internet.hosts()).extracting(InternetHost::address).contains(Ipv4Address.parse("9.9.9.9"));
        assertThat(List.of(internet.host(Ipv4Address.parse("1.1.1.1")).orElseThrow().down())).containsExactly(true);
    }

    @Test
    void closedPortsAnswerAsLinuxDoes() {
        assertThat(run("dig @8.8.8.8 -p 5353 google.com").outcome())
                .isEqualTo(new Outcome.Unreachable(3, 3, Ipv4Address.parse("8.8.8.8")));
        assertThat(run("curl http://8.8.8.8/").outcome()).isEqualTo(new Outcome.Refused(Ipv4Address.parse("8.8.8.8"), 80));
    }
}
