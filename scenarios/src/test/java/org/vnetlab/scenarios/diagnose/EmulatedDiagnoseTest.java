package org.vnetlab.scenarios.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vnetlab.scenarios.cli.Cli;
import org.vnetlab.scenarios.script.BundledScenarios;
import org.vnetlab.scenarios.world.EmulatorWorld;

/** vnetlab diagnose and trace in the real emulator, on the bundled scenarios' host dumps. */
class EmulatedDiagnoseTest {

    static String dump(String scenario) {
        return BundledScenarios.folder(scenario).orElseThrow().resolve("host").toString();
    }

    static Cli diagnose(String scenario, String... more) {
        String[] args = new String[3 + more.length];
        args[0] = "diagnose";
        args[1] = dump(scenario);
        args[2] = "--format=json";
        System.arraycopy(more, 0, args, 3, more.length);
        return Cli.run(EmulatorWorld.factory(), new DumpLint(), args);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> probe(Cli r, String id) {
        Map<String, Object> json = (Map<String, Object>) JsonReader.parse(r.out());
        return ((List<Map<String, Object>>) json.get("probes")).stream().filter(p -> p.get("id").equals(id)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    static List<String> findings(Cli r) {
        Map<String, Object> json = (Map<String, Object>) JsonReader.parse(r.out());
        return ((List<Map<String, Object>>) json.get("findings")).stream().map(f -> (String) f.get("id")).toList();
    }

    @Test
    void theArticlesHostIsHealthyAndItsDashD53IsFound() {
        Cli r = diagnose("article");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(probe(r, "ping-internet").get("decisive")).isEqualTo(Map.of("hook", "FORWARD", "table", "filter", "chain", "LIBVIRT_FWO",
                "rule", 1L, "target", "ACCEPT", "text", "-s 192.168.122.0/24 -i virbr0 -j ACCEPT"));
        assertThat((String) probe(r, "ping-internet").get("detail")).endsWith("source NAT 192.168.122.55 -> 192.168.0.10");
        assertThat(probe(r, "inbound-from-lan").get("icmp")).isEqualTo(Map.of("type", 3L, "code", 3L, "from", "192.168.0.10"));
        assertThat(findings(r)).contains("iptables-syntax", "not-libvirt-rule");
        assertThat(r.out()).contains("-d 53 means destination address 53.0.0.0/32, not port 53");

        // tcp-internet probes port 443: the stated internet says what answers there
        assertThat(r.out()).contains("a web server at 142.250.1.1: HTTP on port 80, and port 443 completes TCP handshakes only (no TLS is emulated)");
    }

    @Test
    void forwardingOffTimesOutWithoutAnIcmpErrorAndIsFound() {
        Cli r = diagnose("ip-forward-off");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(probe(r, "ping-gateway").get("outcome")).isEqualTo("ok");
        assertThat(probe(r, "ping-internet").get("outcome")).isEqualTo("timeout");
        assertThat(probe(r, "ping-internet")).doesNotContainKey("icmp");
        assertThat((String) probe(r, "ping-internet").get("meaning")).contains("net.ipv4.ip_forward = 0");
        assertThat(probe(r, "dns-via-gateway").get("outcome")).isEqualTo("ok");
        assertThat(findings(r)).contains("ip-forward-off");
    }

    @Test
    void dockersDropPolicyIsHarmlessWhileLibvirtsChainsStand() {
        Cli r = diagnose("docker-forward-drop");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(findings(r)).contains("forward-policy-drop");
    }

    @Test
    void dockersForwardPolicyBreaksLibvirtsNftablesNetworkAndNftRulesAreNamedByHandle() {
        Cli r = diagnose("docker-nftables-libvirt");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(probe(r, "ping-internet").get("outcome")).isEqualTo("timeout");
        assertThat(probe(r, "ping-internet").get("decisive")).isEqualTo(Map.of("hook", "FORWARD", "table", "filter", "chain", "FORWARD",
                "rule", 0L, "target", "DROP", "text", ""));
        assertThat((String) probe(r, "ping-internet").get("meaning")).startsWith("The nft rule ip libvirt_network guest_output #1 (handle 9) "
                + "accepted the packet, but an accept ends only its own base chain: the filter FORWARD chain");
        assertThat(probe(r, "inbound-from-lan").get("decisive")).isEqualTo(Map.of("hook", "FORWARD", "table", "ip libvirt_network",
                "chain", "guest_input", "rule", 2L, "handle", 12L, "target", "reject with icmp port-unreachable",
                "text", "oif \"virbr0\" counter reject"));
        assertThat(probe(r, "dns-via-gateway").get("outcome")).isEqualTo("ok");
        assertThat(findings(r)).contains("forward-policy-drop").doesNotContain("masquerade-missing", "libvirt-rule-missing");
        assertThat(r.out()).contains("libvirt uses its nftables backend", "iptables -I DOCKER-USER -i virbr0 -j ACCEPT");

        Cli text = Cli.run(EmulatorWorld.factory(), new DumpLint(), "diagnose", dump("docker-nftables-libvirt"));
        assertThat(text.out()).contains("decided by FORWARD: ip libvirt_network guest_input #2 (handle 12) oif \"virbr0\" counter reject",
                "decided by FORWARD: filter FORWARD policy DROP");
    }

    @Test
    void dockersPolicyBreakingGuestToGuestTrafficIsFoundThoughEveryProbeAnswers() {
        Cli r = diagnose("docker-bridged-guests");
        assertThat(probe(r, "ping-internet").get("outcome")).isEqualTo("ok");
        assertThat(findings(r)).contains("bridged-traffic-dropped");
        assertThat(r.exit()).as("the probes all answer; the finding alone tells").isZero();
    }

    @Test
    void theLegacyTablesWarningOfIptablesSaveIsExplained(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("iptables-save.txt"), "# Warning: iptables-legacy tables present, use iptables-legacy-save to see them\n"
                + "# Generated by iptables-save v1.8.9 (nf_tables) on Thu Nov 26 09:00:47 2026\n*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n"
                + ":OUTPUT ACCEPT [0:0]\nCOMMIT\n");
        Cli r = Cli.run(EmulatorWorld.factory(), new DumpLint(), "diagnose", dir.toString(), "--format=json");
        assertThat(findings(r)).contains("iptables-legacy-present");
        assertThat(r.out()).contains("add the output of iptables-legacy-save");
    }

    @Test
    void aMissingMasqueradeLeavesThePacketsUnanswered() {
        Cli r = diagnose("masquerade-missing");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(probe(r, "ping-internet").get("outcome")).isEqualTo("timeout");
        assertThat(probe(r, "dns-via-gateway").get("outcome")).isEqualTo("ok");
        assertThat(findings(r)).contains("masquerade-missing", "libvirt-rule-missing");
    }

    @Test
    void aDeadStubResolverTimesOutDnsViaTheGatewayOnly() {
        Cli r = diagnose("dns-stub-resolver");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(probe(r, "dns-via-gateway").get("outcome")).isEqualTo("timeout");
        assertThat(probe(r, "dns-direct").get("outcome")).isEqualTo("ok");
        assertThat(findings(r)).contains("resolv-conf-stub");
    }

    @Test
    void aFileNamedExplicitlyReplacesTheDumpsFileOfThatKind() {
        String noMasquerade = BundledScenarios.folder("masquerade-missing").orElseThrow().resolve("host/iptables-save.txt").toString();
        Cli r = diagnose("article", "--iptables", noMasquerade);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(probe(r, "ping-internet").get("outcome")).isEqualTo("timeout");
        assertThat(findings(r)).contains("masquerade-missing").doesNotContain("iptables-syntax");
        String resolv = BundledScenarios.folder("dns-stub-resolver").orElseThrow().resolve("host/resolv.conf").toString();
        Cli wrong = diagnose("article", "--sysctl", resolv);
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).isEqualTo(resolv + ": this is not sysctl -a or /etc/sysctl.conf output (hint: check the file given for sysctl)\n");
    }

    @Test
    void theSameSeedGivesTheSameReport() {
        assertThat(diagnose("article", "--seed", "5").out()).isEqualTo(diagnose("article", "--seed", "5").out());
    }

    @Test
    void traceShowsOnePacketAndItsReplyRuleByRule() {
        Cli r = Cli.run(EmulatorWorld.factory(), new DumpLint(), "trace", dump("article"), "--to", "8.8.8.8");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("probe $ ping -c 1 -W 2 8.8.8.8", "  | ", "LIBVIRT_FWO #1", "MASQUERADE",
                "# decided by FORWARD: filter LIBVIRT_FWO #1");
        Cli tcp = Cli.run(EmulatorWorld.factory(), new DumpLint(), "trace", dump("ip-forward-off"), "--to", "142.250.1.1", "--proto", "tcp");
        assertThat(tcp.exit()).isEqualTo(1);
        // udp sends a DNS query: its answer is the reply (exit 0); a port nothing listens on is not answered
        Cli udp = Cli.run(EmulatorWorld.factory(), new DumpLint(), "trace", dump("article"), "--to", "8.8.8.8", "--proto", "udp");
        assertThat(udp.exit()).as(udp.out()).isZero();
        assertThat(udp.out()).contains("probe $ dig @8.8.8.8 -p 53 +tries=1 google.com", "google.com.\t\t300\tIN\tA\t142.250.1.1");
        assertThat(Cli.run(EmulatorWorld.factory(), new DumpLint(), "trace", dump("article"), "--to", "8.8.8.8", "--proto", "udp",
                "--dport", "5353").exit()).isEqualTo(1);
        Cli in = Cli.run(EmulatorWorld.factory(), new DumpLint(), "trace", dump("article"), "--from", "lan");
        assertThat(in.exit()).isEqualTo(1);
        assertThat(in.out()).contains("lanhost $ ping -c 1 -W 2 192.168.122.55", "REJECT");
    }

    @Test
    void aDumpFileThatDoesNotParseIsBadInputWithItsPlace(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("rules.txt"), "*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp --dportt 53 -j ACCEPT\nCOMMIT\n");
        Cli r = Cli.run(EmulatorWorld.factory(), new DumpLint(), "diagnose", dir.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("rules.txt:3:").doesNotContain("Exception");
        assertThat(r.err().lines()).hasSize(1);
    }

    /** Windows 10's ipconfig /all of a guest whose adapter was set by hand to its old network's settings. */
    static final String WIN10_STATIC_IPCONFIG_ALL = """

            Windows IP Configuration

               Host Name . . . . . . . . . . . . : DESKTOP-7QK2M4V
               Primary Dns Suffix  . . . . . . . :
               Node Type . . . . . . . . . . . . : Hybrid
               IP Routing Enabled. . . . . . . . : No
               WINS Proxy Enabled. . . . . . . . : No

            Ethernet adapter Ethernet:

               Connection-specific DNS Suffix  . :
               Description . . . . . . . . . . . : Red Hat VirtIO Ethernet Adapter
               Physical Address. . . . . . . . . : 52-54-00-3B-7D-11
               DHCP Enabled. . . . . . . . . . . : No
               Autoconfiguration Enabled . . . . : Yes
               Link-local IPv6 Address . . . . . : fe80::68b4:6322:b7d9:e1b%6(Preferred)
               IPv4 Address. . . . . . . . . . . : 192.168.1.50(Preferred)
               Subnet Mask . . . . . . . . . . . : 255.255.255.0
               Default Gateway . . . . . . . . . : 192.168.1.1
               DHCPv6 IAID . . . . . . . . . . . : 106058752
               DHCPv6 Client DUID. . . . . . . . : 00-01-00-01-2B-1F-3C-4D-52-54-00-3B-7D-11
               DNS Servers . . . . . . . . . . . : 192.168.1.1
               NetBIOS over Tcpip. . . . . . . . : Enabled
            """;

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> findingObjects(Cli r) {
        Map<String, Object> json = (Map<String, Object>) JsonReader.parse(r.out());
        return (List<Map<String, Object>>) json.get("findings");
    }

    @Test
    void aLinuxGuestsStaticAddressOutsideTheSubnetIsNamedAsTheCause() {
        Cli r = diagnose("guest-static-outside-subnet");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        Map<String, Object> f = findingObjects(r).stream().filter(x -> x.get("id").equals("guest-outside-subnet")).findFirst().orElseThrow();
        assertThat(f.get("severity")).isEqualTo("error");
        assertThat(f.get("where")).isEqualTo("vm-ip-addr.txt:9");
        assertThat((String) f.get("text")).contains("static address 192.168.1.50/24", "outside the network 'default' (192.168.122.0/24 on virbr0)",
                "reaches neither the host nor the internet", "libvirt's DHCP (range 192.168.122.2 to 192.168.122.254)");
        // the network itself is fine: dnsmasq leases; the probes from the guest's own address fail at its gateway
        assertThat(probe(r, "dhcp").get("outcome")).isEqualTo("ok");
        // ping -W 2 gives up before the guest's ARP for 192.168.1.1 does (3 s): a timeout, as on a real guest
        assertThat(probe(r, "ping-gateway").get("outcome")).isEqualTo("timeout");
        assertThat(probe(r, "ping-internet").get("outcome")).isEqualTo("timeout");
        assertThat(probe(r, "inbound-from-lan").get("detail")).isEqualTo("to 192.168.1.50");
        // the losses and errors are the guest's own stack's, and the meanings say so (never "beyond the host")
        assertThat(probe(r, "ping-gateway")).doesNotContainKey("decisive");
        assertThat((String) probe(r, "ping-gateway").get("meaning")).startsWith("The host never saw the probe: the guest's own stack did not send it")
                .endsWith("Its address 192.168.1.50/24 (static, vm-ip-addr.txt) is outside 192.168.122.0/24: nothing on virbr0 answers for its gateway 192.168.1.1.");
        assertThat(probe(r, "tcp-internet").get("icmp")).isEqualTo(Map.of("type", 3L, "code", 1L, "from", "192.168.1.50"));
        assertThat((String) probe(r, "tcp-internet").get("meaning")).startsWith("The guest's own stack answered, from its own address 192.168.1.50 "
                + "(nothing beyond the guest did): host unreachable: its ARP requests for the next hop got no answer");
        assertThat((String) probe(r, "inbound-from-lan").get("meaning")).isEqualTo("The LAN sends 192.168.122.0/24 to the host, but the guest's address "
                + "192.168.1.50 is outside it: the ping went to the LAN's default gateway (the router) instead and never reached the host.");
        assertThat(r.out()).doesNotContain("beyond the host");
        assertThat(r.out()).contains("The probes after dhcp ran from the guest's static settings in vm-ip-addr.txt: 192.168.1.50/24, gateway 192.168.1.1"
                + " (ip addr does not show routes: assumed the first address of its subnet)");
        Cli text = Cli.run(EmulatorWorld.factory(), new DumpLint(), "diagnose", dump("guest-static-outside-subnet"));
        assertThat(text.out()).contains("vm-ip-addr.txt:9", "the guest (ip addr, enp1s0) has the static address 192.168.1.50/24");
    }

    @Test
    void aWindowsGuestsIpconfigAllGivesItsStaticGatewayAndDnsToTheProbes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path host = java.nio.file.Path.of(dump("guest-static-outside-subnet"));
        try (var files = java.nio.file.Files.list(host)) {
            for (java.nio.file.Path p : files.toList()) {
                if (!p.getFileName().toString().equals("vm-ip-addr.txt")) java.nio.file.Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        java.nio.file.Files.writeString(dir.resolve("win10.txt"), WIN10_STATIC_IPCONFIG_ALL);
        Cli r = Cli.run(EmulatorWorld.factory(), new DumpLint(), "diagnose", dir.toString(), "--format", "json");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        Map<String, Object> f = findingObjects(r).stream().filter(x -> x.get("id").equals("guest-outside-subnet")).findFirst().orElseThrow();
        assertThat(f.get("where")).isEqualTo("win10.txt:18");
        assertThat((String) f.get("text")).startsWith("the guest (ipconfig, Ethernet) has the static address 192.168.1.50/24, gateway 192.168.1.1,");
        assertThat(findings(r)).contains("guest-dns");
        // dig asks the guest's own DNS server; the guest's ARP for it fails, and its stack says host unreachable
        assertThat(probe(r, "dns-via-gateway").get("detail")).isEqualTo("to 192.168.1.1, answered by 192.168.1.50");
        assertThat(probe(r, "dns-via-gateway").get("outcome")).isEqualTo("icmp-error");
        assertThat(r.out()).contains("192.168.1.50/24, gateway 192.168.1.1, DNS 192.168.1.1.");
    }

    @Test
    void aDhcpEnabledGuestIsReportedAsSuchAndTheProbesUseTheLease(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path host = java.nio.file.Path.of(dump("guest-static-outside-subnet"));
        try (var files = java.nio.file.Files.list(host)) {
            for (java.nio.file.Path p : files.toList()) {
                if (!p.getFileName().toString().equals("vm-ip-addr.txt")) java.nio.file.Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
        java.nio.file.Files.writeString(dir.resolve("guest.txt"), java.nio.file.Files.readString(host.resolve("vm-ip-addr.txt"))
                .replace("inet 192.168.1.50/24 brd 192.168.1.255 scope global enp1s0\n       valid_lft forever preferred_lft forever",
                        "inet 192.168.122.55/24 brd 192.168.122.255 scope global dynamic enp1s0\n       valid_lft 3412sec preferred_lft 3412sec"));
        Cli r = Cli.run(EmulatorWorld.factory(), new DumpLint(), "diagnose", dir.toString(), "--format", "json");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        Map<String, Object> f = findingObjects(r).stream().filter(x -> x.get("id").equals("guest-address")).findFirst().orElseThrow();
        assertThat(f.get("severity")).isEqualTo("info");
        assertThat((String) f.get("text")).contains("DHCP-enabled");
        assertThat(r.out()).contains("takes its address by DHCP: the probes ran from the lease.");
    }

    /** A copy of a bundled dump without the files named. */
    static java.nio.file.Path dumpWithout(String scenario, java.nio.file.Path dir, String... left) throws java.io.IOException {
        java.nio.file.Path host = java.nio.file.Path.of(dump(scenario));
        java.nio.file.Path to = java.nio.file.Files.createDirectories(dir.resolve("dump"));
        try (var files = java.nio.file.Files.list(host)) {
            for (java.nio.file.Path p : files.toList()) {
                if (!List.of(left).contains(p.getFileName().toString())) java.nio.file.Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }

    @Test
    void theNftRulesetAndNetworkConfCanBeNamedWithFlags(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path host = java.nio.file.Path.of(dump("docker-nftables-libvirt"));
        java.nio.file.Path d = dumpWithout("docker-nftables-libvirt", dir, "nft-ruleset.txt", "network.conf");
        java.nio.file.Path nft = java.nio.file.Files.copy(host.resolve("nft-ruleset.txt"), dir.resolve("ruleset.nft"));
        java.nio.file.Path conf = java.nio.file.Files.copy(host.resolve("network.conf"), dir.resolve("libvirt-network.conf"));
        Cli r = Cli.run(EmulatorWorld.factory(), new DumpLint(), "diagnose", d.toString(), "--format=json",
                "--nft", nft.toString(), "--network-conf", conf.toString());
        // the same diagnosis as with both files in the folder: libvirt's nft table accepts, Docker's FORWARD policy drops
        assertThat(r.out()).isEqualTo(diagnose("docker-nftables-libvirt").out().replace("nft-ruleset.txt", nft.toString()));
        assertThat(probe(r, "inbound-from-lan").get("decisive")).asString().contains("ip libvirt_network");

        Cli wrong = Cli.run(EmulatorWorld.factory(), new DumpLint(), "diagnose", d.toString(), "--nft", host.resolve("resolv.conf").toString());
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.err()).isEqualTo(host.resolve("resolv.conf") + ": this is not nft list ruleset output (hint: check the file given for nft)\n");
    }

    @Test
    void aGuestsSettingsCanBeNamedWithGuestWhateverItsSystem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path host = java.nio.file.Path.of(dump("guest-static-outside-subnet"));
        java.nio.file.Path d = dumpWithout("guest-static-outside-subnet", dir, "vm-ip-addr.txt");
        // a guest given a MAC of its own (not QEMU's 52:54:00): by content it is not known for a guest's, named it is
        java.nio.file.Path linux = dir.resolve("vm.txt");
        java.nio.file.Files.writeString(linux, java.nio.file.Files.readString(host.resolve("vm-ip-addr.txt")).replace("52:54:00:aa:bb:01", "02:00:00:aa:bb:01"));
        Cli r = Cli.run(EmulatorWorld.factory(), new DumpLint(), "diagnose", d.toString(), "--format=json", "--guest", linux.toString());
        Map<String, Object> f = findingObjects(r).stream().filter(x -> x.get("id").equals("guest-outside-subnet")).findFirst().orElseThrow();
        assertThat(f.get("where")).isEqualTo(linux + ":9");
        assertThat(probe(r, "inbound-from-lan").get("detail")).isEqualTo("to 192.168.1.50");

        java.nio.file.Path windows = java.nio.file.Files.writeString(dir.resolve("win10.txt"), WIN10_STATIC_IPCONFIG_ALL);
        Cli w = Cli.run(EmulatorWorld.factory(), new DumpLint(), "diagnose", d.toString(), "--format=json", "--guest", windows.toString());
        assertThat(findings(w)).contains("guest-outside-subnet", "guest-dns");
        assertThat(probe(w, "dns-via-gateway").get("detail")).isEqualTo("to 192.168.1.1, answered by 192.168.1.50");

        // the host's own listing is refused: it cannot be a guest's
        Cli hostListing = Cli.run(EmulatorWorld.factory(), new DumpLint(), "diagnose", d.toString(), "--guest", host.resolve("ip-addr.txt").toString());
        assertThat(hostListing.exit()).isEqualTo(2);
        assertThat(hostListing.err()).startsWith(host.resolve("ip-addr.txt") + ": this ip addr listing is a host's");
        assertThat(hostListing.err().lines()).hasSize(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCollectedDumpsManifestRouterDnsAndFullSysctlsReadAsAUserNeeds(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path d = dumpWithout("dns-stub-resolver", dir, "resolv.conf", "sysctl.txt", "net-dumpxml.xml");
        // what vnetlab-collect writes on a host without virsh, whose resolv.conf names the LAN router
        java.nio.file.Files.writeString(d.resolve("README.txt"), "# vnetlab-collect manifest\n\nroot: yes\n\nFiles:\n  ip-addr.txt: ip addr\n\n"
                + "Not collected:\n  libvirt networks: virsh is not installed\n\nWhat these files contain: ...\n");
        java.nio.file.Files.writeString(d.resolve("resolv.conf"), "search lan\nnameserver 192.168.0.1\n");
        java.nio.file.Files.writeString(d.resolve("sysctl.txt"), "net.ipv4.ip_forward = 1\nnet.ipv4.tcp_rmem = 4096\t131072\t6291456\n"
                + "net.ipv4.tcp_sack = 1\nnet.ipv4.neigh.virbr0.gc_stale_time = 60\nnet.netfilter.nf_log.2 = nf_log_ipv4\n"
                + "net.netfilter.nf_conntrack_count = 3\n");
        Cli r = Cli.run(EmulatorWorld.factory(), new DumpLint(), "diagnose", d.toString(), "--format=json");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(probe(r, "dns-via-gateway").get("outcome")).isEqualTo("ok");
        List<String> assumptions = (List<String>) ((Map<String, Object>) JsonReader.parse(r.out())).get("assumptions");
        assertThat(assumptions).contains("README.txt: vnetlab-collect did not collect libvirt networks: virsh is not installed",
                "4 more sysctl values are not emulated (net.ipv4.neigh.*, net.ipv4.tcp_*, net.netfilter.nf_log.*); vnetlab does not know "
                        + "their defaults, so they are not listed one by one",
                "the router 192.168.0.1 answers DNS, as the host's resolv.conf expects, with the emulated internet's names (it does not "
                        + "forward: its answers are the internet resolvers')");
        assertThat(assumptions).anyMatch(a -> a.startsWith("no network XML in the dump") && a.endsWith("or name it with --net-xml)"));
        assertThat(String.join("\n", assumptions)).doesNotContain("nf_conntrack_count");
    }
}
