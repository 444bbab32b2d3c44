package org.vnetlab.emulator.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.guest.CommandResult;
import org.vnetlab.emulator.guest.DhcpLease;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.guest.Outcome;
import org.vnetlab.emulator.libvirt.ArticleDocuments;
import org.vnetlab.emulator.libvirt.driver.VirshResult;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.stack.PingSocket;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.pcap.PcapngCapture;
import org.vnetlab.protocols.pcap.PcapngPacket;
import org.vnetlab.protocols.pcap.PcapngReader;

/**
 * The article's host built from its own dumps (net-dumpxml, iptables-save, sysctl.conf, route -n, ip addr of
 * virbr0), with the article's Windows guest (MAC 52:54:00:3b:7d:11) booting on the default network: what the
 * reader of the article would see, command by command, and what libvirt does to the host when the article's
 * advice is followed.
 */
class ArticleHostEndToEndTest {
    static final MacAddress WINDOWS_MAC = MacAddress.parse("52:54:00:3b:7d:11");
    static final Ipv4Address GATEWAY = Ipv4Address.parse("192.168.122.1");

    private LibvirtHostLab lab;
    private Guest win;
    private ByteArrayOutputStream pcap;
    private long bootedAt;

    @BeforeEach
    void bootTheWindowsGuest() throws Exception {
        lab = ArticleLab.build(1);
        pcap = new ByteArrayOutputStream();
        lab.startCapture(pcap);
        bootedAt = lab.lab().now();
        win = lab.addGuest("win10", OsProfile.windows10("DESKTOP-1"), WINDOWS_MAC);
        lab.runFor(SimTime.seconds(30));
    }

    private DhcpLease lease() {
        return win.lease().orElseThrow(() -> new AssertionError("no lease after 30 s"));
    }

    @Test
    void theDumpIsTheHostsLiveState() throws Exception {
        Ruleset dumped = IptablesSaveParser.parse(Files.readString(ArticleLab.dumpFolder().resolve("iptables-save.txt")),
                "iptables-save.txt").ruleset();
        assertThat(lab.host().firewall().ruleset()).isEqualTo(dumped);
        assertThat(lab.host().stack().settings().ipForward()).isTrue();
        assertThat(lab.host().stack().routes().routes().stream().filter(r -> r.destination().isDefault()).toList())
                .as("route -n's two default routes, metrics 0 and 100").hasSize(2);
        // with the guest plugged in, net-dumpxml prints exactly what the article shows, connections='1' included
        String articleXml = Files.readString(ArticleLab.dumpFolder().resolve("default-net.xml"));
        assertThat(lab.virsh("virsh net-dumpxml default").stdout()).isEqualTo(articleXml + "\n");
        assertThat(lab.assumptions()).anyMatch(a -> a.startsWith("uplink enp3s0 address 192.168.0.10/24"))
                .anyMatch(a -> a.startsWith("/etc/resolv.conf: nameserver 8.8.8.8"));
    }

    @Test
    void theGuestGetsItsLeaseOnlyAfterTheForwardDelayAndDnsmasqsAddressCheck() throws Exception {
        DhcpLease l = lease();
        assertThat(l.address().inPrefix(Ipv4Address.parse("192.168.122.0"), 24)).isTrue();
        assertThat(l.prefixLength()).isEqualTo(24);
        assertThat(l.router()).contains(GATEWAY);
        assertThat(l.dns()).containsExactly(GATEWAY);
        assertThat(l.server()).isEqualTo(GATEWAY);
        assertThat(l.leaseSeconds()).isEqualTo(3600);

        PcapngCapture capture = PcapngReader.read(pcapBytes());
        List<PcapngPacket> tap = capture.packetsOn("host/vnet0");
        long offer = tap.stream().filter(p -> isDhcpFromServer(p, 2)).findFirst().orElseThrow().timestampNanos();
        long probe = tap.stream().filter(p -> isArpWhoHas(p, GATEWAY, l.address())).findFirst().orElseThrow().timestampNanos();
        assertThat(offer - probe).as("dnsmasq offers only after its 3 s ping check of the address").isEqualTo(SimTime.seconds(3));
        assertThat(offer - bootedAt).as("nothing crosses virbr0 before the port forwards (2 s listening + 2 s learning)")
                .isGreaterThanOrEqualTo(SimTime.seconds(4) + SimTime.seconds(3));

        VirshResult leases = lab.virsh("virsh net-dhcp-leases default");
        assertThat(leases.stdout()).contains(" 52:54:00:3b:7d:11   ipv4       " + l.address() + "/24   DESKTOP-1   01:52:54:00:3b:7d:11\n");
    }

    @Test
    void theGuestReachesTheGatewayTheRouterAndTheInternet() {
        for (String target : List.of("192.168.122.1", "192.168.0.1", "8.8.8.8")) {
            CommandResult r = win.run("ping -n 1 " + target);
            assertThat(r.succeeded()).as(r.output()).isTrue();
            assertThat(r.outcome()).isInstanceOf(Outcome.Reply.class);
            assertThat(((Outcome.Reply) r.outcome()).from()).isEqualTo(Ipv4Address.parse(target));
        }
        // the forwarded echo went through libvirt's MASQUERADE (LIBVIRT_PRT), source 192.168.0.10
        assertThat(lab.host().conntrackList()).contains("src=" + lease().address() + " dst=8.8.8.8 type=8 code=0 id=")
                .contains("src=8.8.8.8 dst=192.168.0.10 type=0 code=0");
        List<Trace> forwarded = lab.traces().stream().filter(t -> t.disposition() == Disposition.FORWARDED
                && t.render().contains("8.8.8.8") && t.render().contains("MASQUERADE")).toList();
        assertThat(forwarded).isNotEmpty();
    }

    @Test
    void nslookupIsAnsweredByDnsmasqOnTheBridge() {
        CommandResult r = win.run("nslookup google.com");
        assertThat(r.output()).contains("Address:  192.168.122.1").contains("Name:    google.com")
                .contains("Address:  142.250.1.1");
        assertThat(r.outcome()).isInstanceOf(Outcome.Resolved.class);
        // dnsmasq forwarded the query from the host itself, masqueraded by the article's -o enp3s0 rule
        assertThat(lab.host().conntrackList()).contains("src=192.168.0.10 dst=8.8.8.8 sport=");
    }

    @Test
    void theSameSeedGivesTheSameCaptureByteForByte() throws Exception {
        byte[] first = runScenario(5);
        byte[] second = runScenario(5);
        assertThat(first).isEqualTo(second);
        PcapngCapture c = PcapngReader.read(first);
        assertThat(c.interfaces().stream().map(i -> i.name()).toList())
                .contains("host/vnet0", "host/enp3s0", "router/wan", "router/lan", "lanhost/eth0");
        assertThat(c.packetsOn("router/wan")).isNotEmpty();
    }

    private static byte[] runScenario(long seed) throws Exception {
        LibvirtHostLab l = ArticleLab.build(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        l.startCapture(out);
        Guest g = l.addGuest("win10", OsProfile.windows10("DESKTOP-1"), WINDOWS_MAC);
        l.runFor(SimTime.seconds(20));
        g.run("ping -n 2 8.8.8.8");
        g.run("nslookup google.com");
        l.closeCapture();
        return out.toByteArray();
    }

    @Test
    void theArticlesNetEditIsAcceptedAndItsDnsForwardersSilentlyDropped() throws Exception {
        String before = lab.virsh("virsh net-dumpxml --inactive default").stdout();
        VirshResult edit = lab.host().virshShell().netEdit("default", current -> ArticleDocuments.solution2Edit());
        // virsh net-edit defines without schema validation: libvirt's parser never reads <dns> inside <ip>
        assertThat(edit.stdout()).isEqualTo("Network default XML configuration edited.\n\n");
        assertThat(edit.exitStatus()).isZero();
        assertThat(lab.virsh("virsh net-dumpxml --inactive default").stdout()).isEqualTo(before).doesNotContain("forwarder");
        assertThat(lab.host().libvirtd().notes()).contains("network 'default': libvirt ignores /network/ip/dns");

        // the article's restart changes nothing either: dnsmasq still forwards to resolv.conf's server
        lab.virsh("virsh net-destroy default");
        lab.virsh("virsh net-start default");
        assertThat(lab.host().libvirtd().definition("default").dns().forwarders()).isEmpty();
    }

    @Test
    void netDefineWithValidateRefusesTheArticlesDocumentWithLibxml2sMessage() throws Exception {
        lab.host().writeFile("/tmp/default.xml", ArticleDocuments.solution2Edit());
        String before = lab.virsh("virsh net-dumpxml --inactive default").stdout();
        VirshResult r = lab.virsh("virsh net-define --validate /tmp/default.xml");
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("""
                error: Failed to define network from /tmp/default.xml
                error: XML document failed to validate against schema: Unable to validate doc against /usr/share/libvirt/schemas/network.rng
                Extra element ip in interleave
                Element network failed to validate content

                """);
        assertThat(lab.virsh("virsh net-dumpxml --inactive default").stdout()).isEqualTo(before);
        // the corrected document (dns under network) is accepted and takes effect at the next start
        lab.host().writeFile("/tmp/fixed.xml", ArticleDocuments.solution2Corrected());
        assertThat(lab.virsh("virsh net-define --validate /tmp/fixed.xml").stdout())
                .isEqualTo("Network default defined from /tmp/fixed.xml\n\n");
        assertThat(lab.host().libvirtd().definition("default").dns().forwarders()).as("live config unchanged").isEmpty();
        assertThat(lab.virsh("virsh net-dumpxml --inactive default").stdout()).contains("<forwarder addr='8.8.8.8'/>");
        lab.virsh("virsh net-destroy default");
        lab.virsh("virsh net-start default");
        assertThat(lab.host().libvirtd().definition("default").dns().forwarders()).hasSize(2);
    }

    @Test
    void destroyAndStartRestoreLibvirtsRulesAndLeaveTheGuestDisconnectedUntilLibvirtdRestarts() throws Exception {
        assertThat(lab.virsh("virsh net-destroy default").stdout()).isEqualTo("Network default destroyed\n\n");
        assertThat(lab.virsh("virsh net-start default").stdout()).isEqualTo("Network default started\n\n");
        Ruleset expected = IptablesSaveParser.parse(
                new String(ArticleHostEndToEndTest.class.getResourceAsStream("/lab/article-after-net-restart.iptables-save").readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8), "article-after-net-restart.iptables-save").ruleset();
        assertThat(lab.host().firewall().ruleset()).isEqualTo(expected);

        // the guest's tap fell off the deleted bridge and net-start does not put it back
        assertThat(lab.host().libvirtd().taps().get(0).bridge()).isEmpty();
        assertThat(lab.virsh("virsh net-dumpxml default").stdout()).startsWith("<network>\n");
        // no reply: the guest has not resolved its gateway since boot (it has sent it nothing but broadcasts), its
        // ARP now goes unanswered, and Windows' ping reports "Destination host unreachable" from its own address
        // (exiting 0, as Windows' ping does for any "Reply from" line)
        CommandResult cut = win.run("ping -n 1 8.8.8.8");
        assertThat(cut.outcomes()).noneMatch(o -> o instanceof Outcome.Reply);
        assertThat(cut.output()).contains("Reply from " + lease().address() + ": Destination host unreachable.");

        assertThat(lab.host().systemctlRestartLibvirtd()).isEmpty();
        assertThat(lab.host().libvirtd().taps().get(0).bridge()).contains("virbr0");
        lab.runFor(SimTime.seconds(5)); // the re-added port listens and learns before it forwards
        assertThat(win.run("ping -n 1 8.8.8.8").succeeded()).isTrue();
        // at daemon start libvirt set up its private chains: the mangle table appears for the checksum rule
        assertThat(lab.host().iptablesSave()).contains("-A LIBVIRT_PRT -o virbr0 -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill");
    }

    @Test
    void deletingTheRejectRuleLetsInboundTrafficThroughToTheGuest() throws Exception {
        Ipv4Address guest = lease().address();
        List<PingSocket.Failure> failures = new java.util.ArrayList<>();
        lab.lanHost().openPing(4102).onFailure(failures::add).send(guest, 1, new byte[56]);
        lab.runFor(SimTime.seconds(1));
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).error().icmp().orElseThrow().from()).as("REJECT answers from the host's LAN address")
                .isEqualTo(Ipv4Address.parse("192.168.0.10"));

        assertThat(lab.host().iptables("sudo iptables -t filter -L LIBVIRT_FWI --line-numbers")).contains(
                "2    REJECT     all  --  anywhere             anywhere             reject-with icmp-port-unreachable");
        lab.host().iptables("sudo iptables -t filter -D LIBVIRT_FWI 2");
        assertThat(lab.host().iptablesSave()).doesNotContain("-A LIBVIRT_FWI -o virbr0 -j REJECT");

        lab.host().packetFilter().clearTraces();
        lab.lanHost().openPing(4103).send(guest, 1, new byte[56]);
        lab.runFor(SimTime.seconds(1));
        assertThat(lab.traces()).anyMatch(t -> t.disposition() == Disposition.FORWARDED
                && t.render().contains("192.168.0.20") && t.render().contains(guest.toString()));
    }

    // ------------------------------------------------------------------ frames

    private byte[] pcapBytes() throws Exception {
        lab.closeCapture();
        return pcap.toByteArray();
    }

    private static boolean isDhcpFromServer(PcapngPacket p, int messageType) {
        byte[] f = p.data();
        if (f.length < 14 + 20 + 8 + 240 || (f[12] & 0xff) != 0x08 || f[13] != 0 || f[23] != 17) return false;
        int ihl = (f[14] & 0x0f) * 4;
        int udp = 14 + ihl;
        int sport = (f[udp] & 0xff) << 8 | (f[udp + 1] & 0xff);
        if (sport != 67) return false;
        int options = udp + 8 + 240;
        for (int i = options; i + 2 < f.length && f[i] != (byte) 255; i += (f[i] == 0 ? 1 : 2 + (f[i + 1] & 0xff))) {
            if (f[i] == 53) return (f[i + 2] & 0xff) == messageType;
        }
        return false;
    }

    private static boolean isArpWhoHas(PcapngPacket p, Ipv4Address sender, Ipv4Address target) {
        byte[] f = p.data();
        if (f.length < 42 || (f[12] & 0xff) != 0x08 || f[13] != 0x06 || f[21] != 1) return false;
        return Ipv4Address.of(java.util.Arrays.copyOfRange(f, 28, 32)).equals(sender)
                && Ipv4Address.of(java.util.Arrays.copyOfRange(f, 38, 42)).equals(target);
    }
}
