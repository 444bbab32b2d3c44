package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.netfilter.Ipset;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The extensions real hosts' firewalls use (ufw's recent, fail2ban's ipsets, hashlimit, statistic, ttl, tos,
 * dscp, owner, helper, tcpmss), evaluated as the kernel's xt_*.c do, on the emulated clock.
 */
class ExtensionMatchTest {
    final MatchBench bench = new MatchBench();
    static final long MS = 1_000_000L;
    static final RuleRef R1 = new RuleRef(TableName.FILTER, "INPUT", 1), R2 = new RuleRef(TableName.FILTER, "INPUT", 2);

    boolean hit(Rule r, RuleRef ref, PacketContext c, long atMs) {
        return bench.matcher.matches(r, ref, c, bench.now + atMs * MS) == Matcher.Result.MATCH;
    }

    PacketContext ssh(String from) { return bench.fromLan(Packets.tcp(from, 40000, "192.168.122.55", 22, 64, 1, 0, 0x02, 0)); }

    @Test
    void ufwLimitBlocksTheSixthNewConnectionWithin30Seconds() {
        // ufw limit ssh: ufw-user-input's pair of rules
        Rule set = MatchBench.rule("FORWARD", "-p tcp -m tcp --dport 22 -m recent --set --name DEFAULT --mask 255.255.255.255 --rsource");
        Rule update = MatchBench.rule("FORWARD", "-p tcp -m tcp --dport 22 -m recent --update --seconds 30 --hitcount 6 --name DEFAULT --mask 255.255.255.255 --rsource");
        List<Boolean> limited = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            PacketContext c = ssh("192.168.0.20");
            assertThat(hit(set, R1, c, i * 1000)).isTrue();
            limited.add(hit(update, R2, c, i * 1000));
        }
        assertThat(limited).containsExactly(false, false, false, false, false, true, true);
        assertThat(bench.state.recentAddresses("DEFAULT")).containsExactly(Ipv4Address.parse("192.168.0.20"));
        // another address has its own history; 30 s after the burst the first one is let in again
        assertThat(hit(set, R1, ssh("192.168.0.30"), 7000) && !hit(update, R2, ssh("192.168.0.30"), 7000)).isTrue();
        assertThat(hit(MatchBench.rule("FORWARD", "-m recent --rcheck --seconds 30 --hitcount 6"), R2, ssh("192.168.0.20"), 45_000)).isFalse();
    }

    @Test
    void recentRemoveMaskRdestAndTheTtlCheck() {
        Rule set = MatchBench.rule("FORWARD", "-m recent --set --name n --mask 255.255.255.0 --rdest");
        Rule check = MatchBench.rule("FORWARD", "-m recent --rcheck --name n --mask 255.255.255.0 --rdest");
        Rule rttl = MatchBench.rule("FORWARD", "-m recent --rcheck --rttl --name n --mask 255.255.255.0 --rdest");
        Rule remove = MatchBench.rule("FORWARD", "-m recent --remove --name n --mask 255.255.255.0 --rdest");
        assertThat(hit(check, R1, bench.fromGuest(Packets.ping("192.168.122.55", "8.8.8.1", 64, 1, 1)), 0)).isFalse();
        assertThat(hit(set, R1, bench.fromGuest(Packets.ping("192.168.122.55", "8.8.8.8", 64, 1, 1)), 0)).isTrue();
        assertThat(bench.state.recentAddresses("n")).containsExactly(Ipv4Address.parse("8.8.8.0"));
        assertThat(hit(check, R1, bench.fromGuest(Packets.ping("192.168.122.55", "8.8.8.200", 9, 1, 1)), 1)).isTrue();
        assertThat(hit(rttl, R1, bench.fromGuest(Packets.ping("192.168.122.55", "8.8.8.200", 9, 1, 1)), 1))
                .as("--rttl: the TTL the entry was set with (64, as seen before forwarding) must come again").isFalse();
        assertThat(hit(rttl, R1, bench.fromGuest(Packets.ping("192.168.122.55", "8.8.8.200", 64, 1, 1)), 1)).isTrue();
        assertThat(hit(remove, R1, bench.fromGuest(Packets.ping("192.168.122.55", "8.8.8.9", 64, 1, 1)), 2)).isTrue();
        assertThat(bench.state.recentAddresses("n")).isEmpty();
    }

    @Test
    void hashlimitKeepsOneBucketPerSourceAndRefillsOnTheClock() {
        Rule r = MatchBench.rule("FORWARD", "-m hashlimit --hashlimit-above 2/sec --hashlimit-burst 2 --hashlimit-mode srcip --hashlimit-name ssh");
        PacketContext a = ssh("192.168.0.20"), b = ssh("192.168.0.21");
        assertThat(List.of(hit(r, R1, a, 0), hit(r, R1, a, 1), hit(r, R1, a, 2))).as("over the rate after the burst").containsExactly(false, false, true);
        assertThat(hit(r, R1, b, 3)).as("another source has its own bucket").isFalse();
        assertThat(List.of(hit(r, R1, a, 502), hit(r, R1, a, 503))).as("one token per 500 ms").containsExactly(false, true);
        // the bucket expired (1 s, one unit of the rate) and the GC freed it: a full burst again
        assertThat(List.of(hit(r, R1, a, 5000), hit(r, R1, a, 5001), hit(r, R1, a, 5002))).containsExactly(false, false, true);
    }

    @Test
    void statisticNthCountsPerRuleFromThePacketGiven() {
        Rule r = MatchBench.rule("FORWARD", "-m statistic --mode nth --every 3 --packet 1");
        List<Boolean> hits = new ArrayList<>();
        for (int i = 0; i < 7; i++) hits.add(hit(r, R1, ssh("192.168.0.20"), i));
        assertThat(hits).containsExactly(false, true, false, false, true, false, false);
        assertThat(hit(r, R2, ssh("192.168.0.20"), 9)).as("another rule counts for itself").isFalse();
    }

    @Test
    void statisticRandomDrawsFromTheSeededStream() {
        Rule half = MatchBench.rule("FORWARD", "-m statistic --mode random --probability 0.5");
        int n = 0;
        for (int i = 0; i < 1000; i++) if (hit(half, R1, ssh("192.168.0.20"), i)) n++;
        assertThat(n).isBetween(400, 600);
        assertThat(bench.matches("-m statistic --mode random --probability 0", ssh("192.168.0.20"))).isFalse();
        assertThat(bench.matches("-m statistic --mode random --probability 1", ssh("192.168.0.20"))).isTrue();
        MatchBench again = new MatchBench();
        List<Boolean> x = new ArrayList<>(), y = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            x.add(hit(half, R1, ssh("192.168.0.20"), i));
            y.add(again.matcher.matches(half, R1, ssh("192.168.0.20"), again.now) == Matcher.Result.MATCH);
        }
        assertThat(new MatchBench().state.random31()).isEqualTo(new MatchBench().state.random31());
    }

    @Test
    void ttlTosAndDscpReadTheIpHeader() {
        PacketContext c = bench.fromGuest(Packets.ping("192.168.122.55", "8.8.8.8", 64, 1, 1));
        assertThat(bench.matches("-m ttl --ttl-eq 64", c)).isTrue();
        assertThat(bench.matches("-m ttl ! --ttl-eq 64", c)).isFalse();
        assertThat(bench.matches("-m ttl --ttl-lt 65", c)).isTrue();
        assertThat(bench.matches("-m ttl --ttl-gt 64", c)).isFalse();
        c.packet().setByte(1, 0xb8 | 0x01); // DSCP EF (46), ECN 01
        assertThat(bench.matches("-m dscp --dscp-class EF", c)).isTrue();
        assertThat(bench.matches("-m tos --tos 0xb8/0xfc", c)).isTrue();
        assertThat(bench.matches("-m tos --tos 0xb8", c)).as("mask 0xff includes the ECN bits").isFalse();
    }

    @Test
    void ownerSeesNoSocketOnForwardedPacketsAndRootOnTheHostsOwn() {
        Rule uid0 = MatchBench.rule("OUTPUT", "-m owner --uid-owner 0");
        Rule notUid0 = MatchBench.rule("OUTPUT", "-m owner ! --uid-owner 0");
        Rule noSocket = MatchBench.rule("OUTPUT", "-m owner ! --socket-exists");
        PacketContext local = bench.local(Packets.udp("192.168.0.10", 40000, "8.8.8.8", 53, 64, 10), "enp3s0");
        PacketContext forwarded = ssh("192.168.0.20");
        assertThat(hit(uid0, R1, local, 0)).isTrue();
        assertThat(hit(notUid0, R1, local, 0)).isFalse();
        assertThat(hit(uid0, R1, forwarded, 0)).isFalse();
        assertThat(hit(notUid0, R1, forwarded, 0)).as("no socket: only all-negated tests hold").isTrue();
        assertThat(hit(noSocket, R1, forwarded, 0)).isTrue();
    }

    @Test
    void helperNeverMatchesWithoutConntrackHelpersAndTcpmssReadsTheOption() {
        assertThat(bench.matches("-m helper --helper ftp", ssh("192.168.0.20"))).isFalse();
        assertThat(bench.matches("-m helper ! --helper ftp", ssh("192.168.0.20"))).isTrue();
        PacketContext noOptions = ssh("192.168.0.20");
        assertThat(bench.matches("-p tcp -m tcpmss --mss 1400", noOptions)).isFalse();
        assertThat(bench.matches("-p tcp -m tcpmss ! --mss 1400", noOptions)).as("no options: the inverse").isTrue();
    }

    @Test
    void setMatchesMembersAndSetTargetAddsThem() {
        bench.state.loadIpsets(List.of(
                new Ipset("f2b-sshd", Ipset.Type.HASH_IP, List.of(new Ipset.Member(Ipv4Address.parse("192.168.0.20"), 32, 0, 0, false))),
                new Ipset("nets", Ipset.Type.HASH_NET, List.of(new Ipset.Member(Ipv4Address.parse("10.0.0.0"), 8, 0, 0, false),
                        new Ipset.Member(Ipv4Address.parse("10.1.0.0"), 16, 0, 0, true))),
                new Ipset("svc", Ipset.Type.HASH_IP_PORT, List.of(new Ipset.Member(Ipv4Address.parse("192.168.122.55"), 32, 6, 22, false)))));
        assertThat(bench.matches("-m set --match-set f2b-sshd src", ssh("192.168.0.20"))).isTrue();
        assertThat(bench.matches("-m set --match-set f2b-sshd src", ssh("192.168.0.21"))).isFalse();
        assertThat(bench.matches("-m set --match-set nets src", ssh("10.2.3.4"))).isTrue();
        assertThat(bench.matches("-m set --match-set nets src", ssh("10.1.3.4"))).as("nomatch carve-out").isFalse();
        assertThat(bench.matches("-m set --match-set nets src --return-nomatch", ssh("10.1.3.4"))).isTrue();
        assertThat(bench.matches("-m set --match-set svc dst,dst", ssh("192.168.0.20"))).isTrue();
        assertThat(bench.matches("-m set --match-set svc dst", ssh("192.168.0.20"))).as("too few dimensions").isFalse();
        assertThat(bench.matcher.setTarget(new org.vnetlab.emulator.netfilter.Target.SetTarget(java.util.Optional.of(
                new org.vnetlab.emulator.netfilter.Target.SetOperation("f2b-sshd", List.of(org.vnetlab.emulator.netfilter.Match.SetDirection.SRC))),
                java.util.Optional.empty(), false, java.util.OptionalLong.empty()), ssh("192.168.0.99").datagram()))
                .isEqualTo("add to f2b-sshd 192.168.0.99");
        assertThat(bench.matches("-m set --match-set f2b-sshd src", ssh("192.168.0.99"))).isTrue();
        assertThat(bench.matches("-m set --match-set missing src", ssh("192.168.0.99"))).isFalse();
    }

    @Test
    void withoutAnIpsetDumpSetsAreEmpty() {
        assertThat(bench.matches("-m set --match-set f2b-sshd src", ssh("192.168.0.20"))).isFalse();
        assertThat(bench.matches("-m set ! --match-set f2b-sshd src", ssh("192.168.0.20"))).isTrue();
        assertThat(bench.state.setMembers()).isEqualTo(Map.of("f2b-sshd", List.of()));
    }
}
