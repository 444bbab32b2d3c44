package org.vnetlab.emulator.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.netfilter.hook.PathRunner;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.SaveFile;
import org.vnetlab.emulator.nftables.firewall.HostFirewall;
import org.vnetlab.emulator.nftables.syntax.NftCommandLine;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.MacAddress;

/**
 * nft base chains in the shared engine, packet by packet (PathRunner drives PREROUTING → routing → FORWARD →
 * POSTROUTING as the kernel's IPv4 paths do): several base chains per hook, accept ending only one of them,
 * drop ending the packet, NAT and conntrack shared with iptables, replies for reject, counters beside the model.
 */
class EngineTest {
    static final MacAddress GUEST_MAC = MacAddress.parse("52:54:00:aa:bb:01");
    static final MacAddress BRIDGE_MAC = MacAddress.parse("52:54:00:73:62:06");
    static final String GUEST = "192.168.122.55";

    final ArticleHost host = new ArticleHost();
    final NftCounters counters = new NftCounters();
    long now = 1_000_000_000L;

    static NftRuleset libvirtDefaultNetwork() throws Exception {
        return LibvirtRoundTripTest.replay(
                LibvirtRoundTripTest.DATA.resolve("tests/networkxml2firewalldata/base.nftables"),
                LibvirtRoundTripTest.DATA.resolve("tests/networkxml2firewalldata/nat-default-linux.nftables")).ruleset();
    }

    HostFirewall firewall(NftRuleset nft) throws Exception {
        return HostFirewall.builder().nft(nft, counters).build(host, ConntrackSettings.DEFAULTS, 7);
    }

    HostFirewall firewall(NftRuleset nft, String iptablesSave) throws Exception {
        SaveFile save = IptablesSaveParser.parse(iptablesSave, "iptables-save");
        return HostFirewall.builder().nft(nft, counters).iptablesNft(save.ruleset(), save.counters())
                .build(host, ConntrackSettings.DEFAULTS, 7);
    }

    PathRunner.Result fromGuest(HostFirewall fw, ByteBuf packet) {
        now += 1_000_000;
        return new PathRunner(fw.netfilter(), host, true).receive(packet, "virbr0", GUEST_MAC, BRIDGE_MAC, now);
    }

    PathRunner.Result fromUplink(HostFirewall fw, ByteBuf packet) {
        now += 1_000_000;
        return new PathRunner(fw.netfilter(), host, true).receive(packet, "enp3s0", MacAddress.parse("00:11:32:00:00:01"),
                MacAddress.parse("00:d8:61:0a:0b:10"), now);
    }

    String listed(HostFirewall fw) { return new NftPrinter(counters, false).ruleset(fw.nft().ruleset()); }

    @Test
    void libvirtsTableForwardsAndMasqueradesAGuestsPing() throws Exception {
        HostFirewall fw = firewall(libvirtDefaultNetwork());

        PathRunner.Result r = fromGuest(fw, Packets.ping(GUEST, "8.8.8.8", 64, 4099, 1));

        assertThat(r.disposition()).isEqualTo(Disposition.FORWARDED);
        Datagram out = Datagram.read(r.packet().get()).orElseThrow();
        assertThat(out.source().toString()).isEqualTo("192.168.0.10");
        // forward's three counter-and-jump rules all run: guest_cross and guest_input return, guest_output accepts
        assertThat(r.trace().matchedRules()).extracting(TraceStep.RuleEvaluated::ref).containsExactly(
                "ip libvirt_network forward #1 (handle 7)",
                "ip libvirt_network forward #2 (handle 5)",
                "ip libvirt_network forward #3 (handle 3)",
                "ip libvirt_network guest_output #1 (handle 12)",
                "ip libvirt_network guest_nat #5 (handle 14)");
        String listing = listed(fw);
        assertThat(listing).contains("\t\tcounter packets 1 bytes 84 jump guest_cross\n")
                .contains("\t\tcounter packets 1 bytes 84 jump guest_output\n")
                .contains("ip saddr 192.168.122.0/24 iif \"virbr0\" counter packets 1 bytes 84 accept")
                .contains("ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 counter packets 1 bytes 84 masquerade\n");
    }

    @Test
    void theReplyIsEstablishedAndNatChainsSeeOnlyTheFirstPacket() throws Exception {
        HostFirewall fw = firewall(libvirtDefaultNetwork());
        fromGuest(fw, Packets.udp(GUEST, 40000, "8.8.8.8", 53, 64, 30));

        PathRunner.Result reply = fromUplink(fw, Packets.udp("8.8.8.8", 53, "192.168.0.10", 40000, 60, 30));
        PathRunner.Result second = fromGuest(fw, Packets.udp(GUEST, 40000, "8.8.8.8", 53, 64, 30));

        assertThat(reply.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(Datagram.read(reply.packet().get()).orElseThrow().destination().toString()).isEqualTo(GUEST);
        assertThat(reply.trace().matchedRules()).extracting(TraceStep.RuleEvaluated::ref)
                .contains("ip libvirt_network guest_input #1 (handle 13)");
        assertThat(second.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(listed(fw)).contains("meta l4proto udp ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 "
                + "counter packets 1 bytes 58 masquerade to :1024-65535");
    }

    @Test
    void dockersForwardPolicyDropDropsWhatLibvirtAccepted() throws Exception {
        String docker = Fixtures.text("docker-breaks-libvirt/docker.iptables");
        HostFirewall fw = firewall(libvirtDefaultNetwork(), docker);

        PathRunner.Result r = fromGuest(fw, Packets.ping(GUEST, "8.8.8.8", 64, 4099, 1));

        assertThat(r.disposition()).isEqualTo(Disposition.DROPPED_BY_POLICY);
        assertThat(r.trace().reason()).isEqualTo("filter:FORWARD policy DROP");
        // libvirt's chain (created later, same priority 0) ran first and accepted
        List<TraceStep.Verdict> verdicts = r.trace().steps(TraceStep.Verdict.class);
        assertThat(verdicts).extracting(TraceStep.Verdict::verdict).contains("accept");
        assertThat(r.trace().steps(TraceStep.ChainEntered.class)).extracting(TraceStep.ChainEntered::table)
                .containsSubsequence("ip libvirt_network", "filter");
        assertThat(fw.report().render()).contains("forward:\n  1. nft ip libvirt_network forward, filter priority filter, policy accept\n"
                + "  2. iptables-nft filter FORWARD, priority 0, policy DROP\n");
    }

    @Test
    void anAcceptEndsOnlyItsOwnBaseChain() throws Exception {
        NftRuleset r = Fixtures.load("two.nft", """
                table inet first {
                	chain fwd {
                		type filter hook forward priority -10; policy drop;
                		iifname "virbr0" counter accept
                	}
                }
                table ip second {
                	chain fwd {
                		type filter hook forward priority 10; policy accept;
                		icmp type echo-request counter drop
                	}
                }
                """);
        HostFirewall fw = firewall(r);

        PathRunner.Result ping = fromGuest(fw, Packets.ping(GUEST, "8.8.8.8", 64, 1, 1));
        PathRunner.Result dns = fromGuest(fw, Packets.udp(GUEST, 40000, "8.8.8.8", 53, 64, 30));

        assertThat(ping.disposition()).isEqualTo(Disposition.DROPPED_BY_RULE);
        assertThat(ping.trace().reason()).isEqualTo("ip second fwd #1 (handle 2)");
        assertThat(dns.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(listed(fw)).contains("iifname \"virbr0\" counter packets 2 bytes 142 accept")
                .contains("icmp type echo-request counter packets 1 bytes 84 drop");
    }

    @Test
    void amongEqualPrioritiesTheNewestChainRunsFirst() throws Exception {
        NftRuleset r = Fixtures.load("same.nft", """
                table ip a {
                	chain fwd {
                		type filter hook forward priority 0; policy accept;
                		counter drop
                	}
                }
                table ip b {
                	chain fwd {
                		type filter hook forward priority 0; policy accept;
                		counter
                	}
                }
                """);
        HostFirewall fw = firewall(r);

        PathRunner.Result p = fromGuest(fw, Packets.ping(GUEST, "8.8.8.8", 64, 1, 1));

        // as the real kernel did with the same tables (ip b's counter moved, then ip a dropped)
        assertThat(p.disposition()).isEqualTo(Disposition.DROPPED_BY_RULE);
        assertThat(listed(fw)).contains("table ip a {\n\tchain fwd {\n\t\ttype filter hook forward priority filter; policy accept;\n"
                + "\t\tcounter packets 1 bytes 84 drop\n").contains("table ip b {\n\tchain fwd {\n\t\ttype filter hook forward "
                + "priority filter; policy accept;\n\t\tcounter packets 1 bytes 84\n");
        assertThat(p.trace().steps(TraceStep.ChainEntered.class)).extracting(TraceStep.ChainEntered::table)
                .containsExactly("ip b", "ip a");
    }

    @Test
    void natRunsAtTheNatPriorityWhateverTheNatChainsOwn() throws Exception {
        NftRuleset r = Fixtures.load("natprio.nft", """
                table ip t {
                	chain n {
                		type nat hook postrouting priority 200; policy accept;
                		oifname "enp3s0" snat to 192.168.0.77
                	}
                	chain f {
                		type filter hook postrouting priority 150; policy accept;
                		ip saddr 192.168.0.77 counter
                	}
                }
                """);
        HostFirewall fw = firewall(r);

        fromGuest(fw, Packets.ping(GUEST, "8.8.8.8", 64, 1, 1));

        // the kernel showed the same: the filter chain at 150 saw the new source (NAT happens at 100)
        assertThat(listed(fw)).contains("ip saddr 192.168.0.77 counter packets 1 bytes 84");
    }

    @Test
    void iptablesAndNftNatChainsShareOneNatStepAndTheFirstBindingWins() throws Exception {
        NftRuleset r = Fixtures.load("nat.nft", """
                table ip mine {
                	chain post {
                		type nat hook postrouting priority srcnat - 5; policy accept;
                		ip saddr 192.168.122.0/24 counter snat to 192.168.0.99
                	}
                }
                """);
        HostFirewall fw = firewall(r, """
                # Generated by iptables-save v1.8.9 (nf_tables) on Thu Nov 26 08:27:01 2026
                *nat
                :PREROUTING ACCEPT [0:0]
                :INPUT ACCEPT [0:0]
                :OUTPUT ACCEPT [0:0]
                :POSTROUTING ACCEPT [0:0]
                -A POSTROUTING -o enp3s0 -j MASQUERADE
                COMMIT
                """);

        PathRunner.Result p = fromGuest(fw, Packets.ping(GUEST, "8.8.8.8", 64, 1, 1));

        assertThat(Datagram.read(p.packet().get()).orElseThrow().source().toString()).isEqualTo("192.168.0.99");
        // iptables' nat PREROUTING ran (no binding there); at postrouting the nft chain (95) bound first, so
        // iptables' POSTROUTING (100) never ran for this connection
        assertThat(p.trace().steps(TraceStep.ChainEntered.class)).extracting(c -> c.table() + " " + c.chain())
                .containsExactly("nat PREROUTING", "ip mine post");
    }

    @Test
    void rejectAnswersThroughTheLocalPath() throws Exception {
        NftRuleset r = Fixtures.load("reject.nft", """
                table inet fw {
                	chain fwd {
                		type filter hook forward priority 0; policy accept;
                		udp dport 53 reject
                		tcp dport 80 reject with tcp reset
                		reject with icmpx admin-prohibited
                	}
                }
                """);
        HostFirewall fw = firewall(r);

        PathRunner.Result udp = fromGuest(fw, Packets.udp(GUEST, 40000, "8.8.8.8", 53, 64, 30));
        PathRunner.Result tcp = fromGuest(fw, Packets.tcp(GUEST, 40001, "8.8.8.8", 80, 64, 100, 0, 0x02, 0));
        PathRunner.Result ping = fromGuest(fw, Packets.ping(GUEST, "8.8.8.8", 64, 1, 1));

        assertThat(udp.disposition()).isEqualTo(Disposition.REJECTED);
        byte[] icmp = icmpTypeCode(udp.replies().get(0).packet().orElseThrow());
        assertThat(icmp).containsExactly(3, 3);
        assertThat(tcp.trace().reason()).endsWith("with tcp reset");
        assertThat(Datagram.read(tcp.replies().get(0).packet().orElseThrow()).orElseThrow().protocol()).isEqualTo(6);
        assertThat(icmpTypeCode(ping.replies().get(0).packet().orElseThrow())).containsExactly(3, 13);
    }

    static byte[] icmpTypeCode(ByteBuf ip) {
        Datagram d = Datagram.read(ip).orElseThrow();
        return new byte[] {(byte) d.buf().getUnsignedByte(d.l4Offset()), (byte) d.buf().getUnsignedByte(d.l4Offset() + 1)};
    }

    @Test
    void jumpsGotosReturnsMapsAndSets() throws Exception {
        NftRuleset r = Fixtures.load("walk.nft", """
                table inet fw {
                	set dns { type ipv4_addr; elements = { 1.1.1.1, 8.8.8.8 } }
                	map byport { type inet_service : verdict; elements = { 53 : jump dns, 80 : goto web } }
                	chain fwd {
                		type filter hook forward priority 0; policy drop;
                		meta l4proto { tcp, udp } th dport vmap @byport
                		counter
                	}
                	chain dns {
                		ip daddr @dns accept
                		counter
                	}
                	chain web {
                		ip daddr != 8.8.8.8 return
                		accept
                	}
                }
                """);
        HostFirewall fw = firewall(r);

        PathRunner.Result dnsOk = fromGuest(fw, Packets.udp(GUEST, 40000, "8.8.8.8", 53, 64, 30));
        PathRunner.Result dnsOther = fromGuest(fw, Packets.udp(GUEST, 40001, "9.9.9.9", 53, 64, 30));
        PathRunner.Result web = fromGuest(fw, Packets.tcp(GUEST, 40002, "8.8.8.8", 80, 64, 1, 0, 0x02, 0));
        PathRunner.Result webOther = fromGuest(fw, Packets.tcp(GUEST, 40003, "9.9.9.9", 80, 64, 1, 0, 0x02, 0));

        assertThat(dnsOk.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(dnsOther.disposition()).isEqualTo(Disposition.DROPPED_BY_POLICY); // back from dns, counter, policy
        assertThat(web.disposition()).isEqualTo(Disposition.FORWARDED);
        assertThat(webOther.disposition()).isEqualTo(Disposition.DROPPED_BY_POLICY); // goto: return ends at the policy
        assertThat(listed(fw)).contains("\t\tcounter packets 1 bytes 58\n\t}\n\n\tchain dns")
                .contains("\tchain dns {\n\t\tip daddr @dns accept\n\t\tcounter packets 1 bytes 58\n");
    }

    @Test
    void flagMatchesFollowTheKernelsComparisons() throws Exception {
        NftRuleset r = Fixtures.load("flags.nft", """
                table ip t {
                	chain fwd {
                		type filter hook forward priority 0; policy accept;
                		ct state != established,related counter
                		ct state established,related counter
                		tcp flags syn / syn,ack counter
                		tcp flags & (syn|ack) == syn|ack counter
                	}
                }
                """);
        HostFirewall fw = firewall(r);

        fromGuest(fw, Packets.tcp(GUEST, 40000, "8.8.8.8", 80, 64, 1, 0, 0x02, 0));
        fromUplink(fw, Packets.tcp("8.8.8.8", 80, "192.168.122.55", 40000, 60, 9, 2, 0x12, 0));

        // != with two flags compares the whole value: a NEW and an ESTABLISHED packet both differ from 6
        assertThat(listed(fw)).contains("ct state != established | related counter packets 2 bytes 80")
                .contains("ct state established,related counter packets 1 bytes 40")
                .contains("tcp flags syn / syn,ack counter packets 1 bytes 40")
                .contains("tcp flags syn,ack / syn,ack counter packets 1 bytes 40");
    }

    @Test
    void marksSetInOneChainAreSeenByTheNext() throws Exception {
        NftRuleset r = Fixtures.load("mark.nft", """
                table ip t {
                	chain pre {
                		type filter hook prerouting priority mangle; policy accept;
                		iifname "virbr0" meta mark set 0x2a ct mark set 0x7
                	}
                	chain fwd {
                		type filter hook forward priority 0; policy accept;
                		meta mark 0x2a ct mark 0x7 counter log prefix "marked: " level info
                	}
                }
                """);
        HostFirewall fw = firewall(r);

        fromGuest(fw, Packets.ping(GUEST, "8.8.8.8", 64, 1, 1));

        assertThat(listed(fw)).contains("meta mark 0x0000002a ct mark 0x00000007 counter packets 1 bytes 84");
        assertThat(fw.netfilter().kernelLog().texts("host")).singleElement().asString()
                .startsWith("marked: IN=virbr0 OUT=enp3s0 MAC=52:54:00:73:62:06:52:54:00:aa:bb:01:08:00 SRC=192.168.122.55 DST=8.8.8.8")
                .endsWith("MARK=0x2a ");
    }

    @Test
    void aLimitPassesItsBurstThenItsRate() throws Exception {
        NftRuleset r = Fixtures.load("limit.nft", """
                table ip t {
                	chain fwd {
                		type filter hook forward priority 0; policy accept;
                		limit rate 1/second burst 2 packets counter accept
                		counter drop
                	}
                }
                """);
        HostFirewall fw = firewall(r);
        int forwarded = 0;
        for (int i = 0; i < 5; i++) {
            if (fromGuest(fw, Packets.ping(GUEST, "8.8.8.8", 64, 1, i)).disposition() == Disposition.FORWARDED) forwarded++;
        }
        now += 1_000_000_000L;
        boolean afterASecond = fromGuest(fw, Packets.ping(GUEST, "8.8.8.8", 64, 1, 9)).disposition() == Disposition.FORWARDED;

        assertThat(forwarded).isEqualTo(2);
        assertThat(afterASecond).isTrue();
    }

    @Test
    void nftCommandsChangeWhatTheEngineRuns() throws Exception {
        HostFirewall fw = firewall(NftRuleset.EMPTY);
        NftCommandLine.Result r = NftCommandLine.run(fw.nft().ruleset(), counters,
                List.of("add", "table", "inet", "fw"), f -> Optional.empty());
        r = NftCommandLine.run(r.ruleset(), counters, List.of("add", "chain", "inet", "fw", "fwd",
                "{ type filter hook forward priority 0; policy drop; }"), f -> Optional.empty());
        fw.nft().update(r.ruleset());

        PathRunner.Result dropped = fromGuest(fw, Packets.ping(GUEST, "8.8.8.8", 64, 1, 1));
        r = NftCommandLine.run(r.ruleset(), counters, List.of("insert", "rule", "inet", "fw", "fwd", "icmp", "type",
                "echo-request", "accept"), f -> Optional.empty());
        fw.nft().update(r.ruleset());
        PathRunner.Result passed = fromGuest(fw, Packets.ping(GUEST, "8.8.8.8", 64, 1, 2));

        assertThat(dropped.disposition()).isEqualTo(Disposition.DROPPED_BY_POLICY);
        assertThat(passed.disposition()).isEqualTo(Disposition.FORWARDED);
    }
}
