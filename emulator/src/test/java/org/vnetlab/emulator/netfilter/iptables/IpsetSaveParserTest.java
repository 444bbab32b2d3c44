package org.vnetlab.emulator.netfilter.iptables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Ipset;
import org.vnetlab.protocols.Ipv4Address;

/** ipset's own outputs, recorded from ipset 7.17 in a network namespace (resources netfilter/ipset/README.md). */
class IpsetSaveParserTest {
    private static final Path DIR = Path.of("src/test/resources/netfilter/ipset");

    private static String read(String name) throws IOException { return Files.readString(DIR.resolve(name)); }

    private static List<String> members(Ipset s) { return s.members().stream().map(m -> m.text(s.type())).toList(); }

    @Test
    void realSaveOutputGivesTheIpv4SetsTheirMembersAsIpsetPrintsThem() throws Exception {
        IpsetSave save = IpsetSaveParser.parse(read("ipset-save.txt"), "ipset-save.txt");
        assertThat(save.sets()).extracting(Ipset::name).containsExactly("f2b-sshd", "nets", "svc", "cnt");
        assertThat(members(save.set("f2b-sshd").orElseThrow())).containsExactly("192.168.0.20", "10.0.0.5");
        assertThat(members(save.set("nets").orElseThrow())).containsExactly("10.1.0.0/16 nomatch", "10.0.0.0/8", "1.2.3.4");
        assertThat(members(save.set("svc").orElseThrow())).containsExactly("192.168.122.55,tcp:22", "1.1.1.12,icmp:3/8",
                "1.1.1.5,gre:0", "1.1.1.2,icmp:echo-request", "1.1.1.1,udp:53");
        Ipset.Member ping = save.set("svc").orElseThrow().members().get(3);
        assertThat(ping.protocol()).isEqualTo(1);
        assertThat(ping.port()).isEqualTo(8 << 8);
        // the create line's options are kept as printed, for ipset list|save
        assertThat(save.set("cnt").orElseThrow().header()).isEqualTo("family inet hashsize 64 maxelem 1000 counters comment bucketsize 12 initval 0x0944ce22");
        // an IPv6 set is known by name only; iptables cannot use it
        assertThat(save.ipv6()).containsOnlyKeys("f2b-sshd6");
        assertThat(save.names()).containsExactly("f2b-sshd", "nets", "svc", "cnt", "f2b-sshd6");
        assertThat(save.assumptions()).containsExactly(
                "ipset timeouts are not modelled: the members of f2b-sshd, f2b-sshd6 stay for the whole run (no member expires;"
                        + " a member added later gets no timeout)",
                "ipset counters and comments of cnt are read and not kept");
    }

    @Test
    void listOutputOfTheSameSetsReadsTheSame() throws Exception {
        IpsetSave save = IpsetSaveParser.parse(read("ipset-save.txt"), "s");
        IpsetSave list = IpsetSaveParser.parse(read("ipset-list.txt"), "l");
        assertThat(list.sets()).isEqualTo(save.sets());
        assertThat(list.ipv6().keySet()).isEqualTo(save.ipv6().keySet());
    }

    @Test
    void saveOutputPrintsBackTheLinesItWasReadFromWithoutTimeoutsAndCounters() throws Exception {
        IpsetSave save = IpsetSaveParser.parse(read("ipset-save.txt"), "s");
        StringBuilder printed = new StringBuilder();
        for (Ipset s : save.sets()) printed.append(IpsetSave.save(s));
        // timeouts, counters and comments are not kept, so those members print bare
        assertThat(printed.toString()).isEqualTo("""
                create f2b-sshd hash:ip family inet hashsize 1024 maxelem 65536 timeout 600 bucketsize 12 initval 0x3fa379a3
                add f2b-sshd 192.168.0.20
                add f2b-sshd 10.0.0.5
                create nets hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xb25f85fd
                add nets 10.1.0.0/16 nomatch
                add nets 10.0.0.0/8
                add nets 1.2.3.4
                create svc hash:ip,port family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xa0c22267
                add svc 192.168.122.55,tcp:22
                add svc 1.1.1.12,icmp:3/8
                add svc 1.1.1.5,gre:0
                add svc 1.1.1.2,icmp:echo-request
                add svc 1.1.1.1,udp:53
                create cnt hash:ip family inet hashsize 64 maxelem 1000 counters comment bucketsize 12 initval 0x0944ce22
                add cnt 5.5.5.5
                """);
    }

    @Test
    void typesNotEmulatedAreRefusedByName() throws Exception {
        assertThatThrownBy(() -> IpsetSaveParser.parse(read("bitmap-save.txt"), "bitmap-save.txt"))
                .isInstanceOf(InputException.class)
                .hasMessage("bitmap-save.txt:1:11: set type bitmap:ip is not emulated near 'bitmap:ip' (hint: vnetlab emulates"
                        + " hash:ip, hash:net and hash:ip,port sets only; remove this set (and the rules using it) from the dump)");
        assertThatThrownBy(() -> IpsetSaveParser.parse(read("net-iface-save.txt"), "n"))
                .hasMessageStartingWith("n:1:11: set type hash:net,iface is not emulated near 'hash:net,iface'");
        assertThatThrownBy(() -> IpsetSaveParser.parse("create l list:set size 8\n", "n"))
                .hasMessageStartingWith("n:1:10: set type list:set is not emulated");
    }

    @Test
    void mistakesNameTheirPlaceWithIpsetsWords() {
        assertThatThrownBy(() -> IpsetSaveParser.parse("create a hash:ip\nadd a 300.1.1.1\n", "f"))
                .hasMessage("f:2:7: Syntax error: cannot parse 300.1.1.1: resolving to IPv4 address failed near '300.1.1.1'");
        assertThatThrownBy(() -> IpsetSaveParser.parse("add b 1.1.1.1\n", "f"))
                .hasMessageStartingWith("f:1:5: The set with the given name does not exist near 'b'");
        assertThatThrownBy(() -> IpsetSaveParser.parse("create p hash:ip,port\nadd p 1.1.1.1\n", "f"))
                .hasMessageStartingWith("f:2:7: Syntax error: Second element is missing from 1.1.1.1.");
        assertThatThrownBy(() -> IpsetSaveParser.parse("create p hash:ip,port\nadd p 1.1.1.1,gre:5\n", "f"))
                .hasMessageStartingWith("f:2:7: Syntax error: Protocol gre can be used with pseudo port value 0 only.");
        assertThatThrownBy(() -> IpsetSaveParser.parse("create n hash:net\nadd n 0.0.0.0/0\n", "f"))
                .hasMessageStartingWith("f:2:7: The value of the CIDR parameter of the IP address is invalid");
        assertThatThrownBy(() -> IpsetSaveParser.parse("create a hash:ip\nadd a 1.1.1.1 nomatch\n", "f"))
                .hasMessageStartingWith("f:2:15: Unknown argument: `nomatch'");
        assertThatThrownBy(() -> IpsetSaveParser.parse("create a hash:ip\nadd a 1.1.1.1\nadd a 1.1.1.1\n", "f"))
                .hasMessageStartingWith("f:3:7: Element cannot be added to the set: it's already added");
        assertThatThrownBy(() -> IpsetSaveParser.parse("create a hash:ip netmask 24\n", "f"))
                .hasMessageStartingWith("f:1:18: a netmask on a set is not emulated");
        assertThatThrownBy(() -> IpsetSaveParser.parse("iptables -A INPUT\n", "f"))
                .hasMessageStartingWith("f:1:1: not an ipset save line (create or add expected)");
    }

    @Test
    void rangesAndBlocksExpandAsTheKernelStoresThem() throws Exception {
        IpsetSave s = IpsetSaveParser.parse("""
                create a hash:ip
                add a 10.0.0.0/30
                add a 10.0.1.1-10.0.1.2
                create n hash:net
                add n 10.0.0.5/8
                add n 10.0.0.1-10.0.0.6
                create p hash:ip,port
                add p 1.1.1.6,tcp:80-81
                add p 1.1.1.7,ssh
                """, "f");
        assertThat(members(s.set("a").orElseThrow())).containsExactly("10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.1.1", "10.0.1.2");
        assertThat(members(s.set("n").orElseThrow())).containsExactly("10.0.0.0/8", "10.0.0.1", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6");
        assertThat(members(s.set("p").orElseThrow())).containsExactly("1.1.1.6,tcp:80", "1.1.1.6,tcp:81", "1.1.1.7,tcp:22");
        assertThat(s.set("n").orElseThrow().members().get(0).contains(Ipv4Address.parse("10.200.0.1"))).isTrue();
    }
}
