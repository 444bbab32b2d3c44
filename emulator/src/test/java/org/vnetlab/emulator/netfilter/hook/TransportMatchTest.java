package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vnetlab.emulator.testing.Packets.ip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.tcp.TcpOption;

/**
 * The transport matches as xt_tcpudp.c, ip_tables.c's icmp_match and xt_multiport.c evaluate them: header
 * fields of the first fragment only, a header too short to read drops the packet ("hotdrop"), and an
 * inverted option inverts only its own test.
 */
class TransportMatchTest {
    final MatchBench bench = new MatchBench();
    static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20;

    static ByteBuf tcp(int flags) { return Packets.tcp("192.168.122.55", 40001, "142.250.1.1", 80, 64, 1000, flags == SYN ? 0 : 5000, flags, 0); }

    /** A SYN as Linux sends it: MSS, SACK permitted, timestamps, NOP, window scale. */
    static ByteBuf linuxSyn() {
        EthernetHeader eth = new EthernetHeader(MatchBench.VIRBR0, MatchBench.GUEST, EtherType.IPV4, EthernetHeader.NO_VLAN);
        ByteBuf f = Frames.ethernetIpv4(eth, Ipv4Header.of(ip("192.168.122.55"), ip("142.250.1.1"), IpProtocol.TCP, 64, 1, true, 0),
                new TcpHeader(40001, 80, 1000, 0, SYN, 64240, 0, List.of(new TcpOption.Mss(1460), new TcpOption.SackPermitted(),
                        new TcpOption.Timestamps(1, 0), new TcpOption.NoOp(), new TcpOption.WindowScale(7))), new byte[0]);
        return f.copy(14, f.readableBytes() - 14);
    }

    /** A TCP segment with exactly these option bytes (a multiple of 4), for malformed lists. */
    static ByteBuf tcpWithOptionBytes(int... options) {
        ByteBuf b = tcp(SYN);
        int optLen = options.length;
        ByteBuf out = Unpooled.buffer(40 + optLen);
        out.writeBytes(b, 0, 40);
        for (int o : options) out.writeByte(o);
        out.setShort(2, 40 + optLen);
        out.setByte(32, ((20 + optLen) / 4) << 4);
        return out;
    }

    /** The same datagram as a fragment at {@code offsetBytes} (a multiple of 8). */
    static ByteBuf fragmentAt(ByteBuf d, int offsetBytes) {
        ByteBuf c = d.copy();
        c.setShort(6, offsetBytes / 8);
        return c;
    }

    /** Only the first {@code bytes} of the transport header present (a truncated "tinygram"). */
    static ByteBuf truncated(ByteBuf d, int bytes) {
        ByteBuf c = d.copy(0, 20 + bytes);
        c.setShort(2, 20 + bytes);
        return c;
    }

    @Nested
    class Tcp {
        @Test
        void synMatchesOnlyASegmentWithSynSetAndAckRstFinClear() {
            assertThat(bench.matches("-p tcp -m tcp --syn", bench.fromGuest(tcp(SYN)))).isTrue();
            assertThat(bench.matches("-p tcp -m tcp --syn", bench.fromGuest(tcp(SYN | ACK)))).isFalse();
            assertThat(bench.matches("-p tcp -m tcp --syn", bench.fromGuest(tcp(SYN | FIN)))).isFalse();
            assertThat(bench.matches("-p tcp -m tcp --syn", bench.fromGuest(tcp(ACK)))).isFalse();
            assertThat(bench.matches("-p tcp -m tcp --syn", bench.fromGuest(tcp(SYN | PSH)))).as("PSH is not in the mask").isTrue();
            assertThat(bench.matches("-p tcp -m tcp ! --syn", bench.fromGuest(tcp(ACK)))).isTrue();
        }

        @Test
        void tcpFlagsComparesTheMaskedFlagsWithTheSecondList() {
            assertThat(bench.matches("-p tcp -m tcp --tcp-flags SYN,ACK SYN,ACK", bench.fromGuest(tcp(SYN | ACK)))).isTrue();
            assertThat(bench.matches("-p tcp -m tcp --tcp-flags SYN,ACK SYN,ACK", bench.fromGuest(tcp(SYN)))).isFalse();
            assertThat(bench.matches("-p tcp -m tcp ! --tcp-flags SYN,ACK SYN,ACK", bench.fromGuest(tcp(SYN)))).isTrue();
            // scans: a null scan has no flag, an Xmas scan FIN, PSH and URG
            assertThat(bench.matches("-p tcp -m tcp --tcp-flags ALL NONE", bench.fromGuest(tcp(0)))).isTrue();
            assertThat(bench.matches("-p tcp -m tcp --tcp-flags ALL FIN,PSH,URG", bench.fromGuest(tcp(FIN | PSH | URG)))).isTrue();
            assertThat(bench.matches("-p tcp -m tcp --tcp-flags ALL FIN,PSH,URG", bench.fromGuest(tcp(FIN | PSH | URG | ACK)))).isFalse();
        }

        @Test
        void tcpOptionFindsAKindAmongTheOptions() {
            assertThat(bench.matches("-p tcp -m tcp --tcp-option 3", bench.fromGuest(linuxSyn()))).as("window scale").isTrue();
            assertThat(bench.matches("-p tcp -m tcp --tcp-option 8", bench.fromGuest(linuxSyn()))).as("timestamps").isTrue();
            assertThat(bench.matches("-p tcp -m tcp --tcp-option 30", bench.fromGuest(linuxSyn()))).as("MPTCP").isFalse();
            assertThat(bench.matches("-p tcp -m tcp ! --tcp-option 30", bench.fromGuest(linuxSyn()))).isTrue();
            assertThat(bench.matches("-p tcp -m tcp --tcp-option 2", bench.fromGuest(tcp(ACK)))).as("no options at all").isFalse();
            assertThat(bench.matches("-p tcp -m tcp ! --tcp-option 2", bench.fromGuest(tcp(ACK)))).isTrue();
        }

        @Test
        void tcpOptionScansPastEndOfListAndStepsOverAZeroLengthLikeTcpFindOption() {
            // EOL, then window scale: tcp_find_option keeps going (kinds 0 and 1 advance one byte)
            assertThat(bench.matches("-p tcp -m tcp --tcp-option 3", bench.fromGuest(tcpWithOptionBytes(0, 3, 3, 7)))).isTrue();
            // an unknown option with length 0 is stepped over by one byte, then MSS is found
            assertThat(bench.matches("-p tcp -m tcp --tcp-option 2", bench.fromGuest(tcpWithOptionBytes(99, 0, 2, 4, 5, 0xb4, 1, 1)))).isTrue();
            // a length running past the end ends the scan
            assertThat(bench.matches("-p tcp -m tcp --tcp-option 2", bench.fromGuest(tcpWithOptionBytes(99, 40, 2, 4)))).isFalse();
        }

        @Test
        void portsAreInclusiveRangesAndBangInvertsOnlyItsOwnTest() {
            assertThat(bench.matches("-p tcp -m tcp --dport 79:81", bench.fromGuest(tcp(SYN)))).isTrue();
            assertThat(bench.matches("-p tcp -m tcp --dport 81:90", bench.fromGuest(tcp(SYN)))).isFalse();
            assertThat(bench.matches("-p tcp -m tcp ! --dport 443", bench.fromGuest(tcp(SYN)))).isTrue();
            assertThat(bench.matches("-p tcp -m tcp --sport 1024:65535 --dport 80", bench.fromGuest(tcp(SYN)))).isTrue();
            assertThat(bench.matches("-p tcp -m tcp ! --sport 40001 --dport 80", bench.fromGuest(tcp(SYN)))).isFalse();
        }

        @Test
        void aNonFirstFragmentNeverMatchesAndOneAtOffsetEightIsDropped() {
            assertThat(bench.result("-p tcp -m tcp --dport 80", bench.fromGuest(fragmentAt(tcp(SYN), 16)))).isEqualTo(Matcher.Result.NO_MATCH);
            assertThat(bench.result("-p tcp -m tcp ! --dport 80", bench.fromGuest(fragmentAt(tcp(SYN), 16))))
                    .as("not even inverted").isEqualTo(Matcher.Result.NO_MATCH);
            // "Don't allow a fragment of TCP 8 bytes in": it could overwrite the flags of the first one
            assertThat(bench.result("-p tcp -m tcp --dport 80", bench.fromGuest(fragmentAt(tcp(SYN), 8)))).isEqualTo(Matcher.Result.HOTDROP);
        }

        @Test
        void aHeaderTooShortToReadDropsThePacket() {
            assertThat(bench.result("-p tcp -m tcp --dport 80", bench.fromGuest(truncated(tcp(SYN), 12)))).isEqualTo(Matcher.Result.HOTDROP);
            // options claimed by the data offset but missing
            ByteBuf claims = tcp(SYN);
            claims.setByte(32, 8 << 4);
            assertThat(bench.result("-p tcp -m tcp --tcp-option 2", bench.fromGuest(claims))).isEqualTo(Matcher.Result.HOTDROP);
        }
    }

    @Nested
    class Udp {
        static ByteBuf dns() { return Packets.udp("192.168.122.55", 40002, "8.8.8.8", 53, 64, 30); }

        @Test
        void portsMatchTheFirstFragmentOnly() {
            assertThat(bench.matches("-p udp -m udp --dport 53", bench.fromGuest(dns()))).isTrue();
            assertThat(bench.matches("-p udp -m udp --sport 0:1023", bench.fromGuest(dns()))).isFalse();
            assertThat(bench.matches("-p udp -m udp ! --sport 0:1023 --dport 53", bench.fromGuest(dns()))).isTrue();
            assertThat(bench.result("-p udp -m udp --dport 53", bench.fromGuest(fragmentAt(dns(), 8)))).isEqualTo(Matcher.Result.NO_MATCH);
            assertThat(bench.result("-p udp -m udp --dport 53", bench.fromGuest(truncated(dns(), 6)))).isEqualTo(Matcher.Result.HOTDROP);
        }
    }

    @Nested
    class Icmp {
        static ByteBuf icmp(int type, int code) {
            return Frames.ipv4(Ipv4Header.of(ip("8.8.8.8"), ip("192.168.0.10"), IpProtocol.ICMP, 62, 1, false, 0),
                    new IcmpMessage.Other(type, code, 0, new byte[28]));
        }

        @Test
        void namedTypesStandForATypeAndACodeOrEveryCode() {
            assertThat(bench.matches("-p icmp -m icmp --icmp-type echo-request", bench.fromLan(icmp(8, 0)))).isTrue();
            assertThat(bench.matches("-p icmp -m icmp --icmp-type echo-request", bench.fromLan(icmp(0, 0)))).isFalse();
            assertThat(bench.matches("-p icmp -m icmp --icmp-type echo-reply", bench.fromLan(icmp(0, 0)))).isTrue();
            assertThat(bench.matches("-p icmp -m icmp --icmp-type destination-unreachable", bench.fromLan(icmp(3, 13)))).isTrue();
            assertThat(bench.matches("-p icmp -m icmp --icmp-type port-unreachable", bench.fromLan(icmp(3, 3)))).isTrue();
            assertThat(bench.matches("-p icmp -m icmp --icmp-type port-unreachable", bench.fromLan(icmp(3, 1)))).isFalse();
            assertThat(bench.matches("-p icmp -m icmp --icmp-type time-exceeded", bench.fromLan(icmp(11, 1)))).isTrue();
            assertThat(bench.matches("-p icmp -m icmp --icmp-type ttl-zero-during-transit", bench.fromLan(icmp(11, 1)))).isFalse();
        }

        @Test
        void numericTypesWithAndWithoutCodes() {
            assertThat(bench.matches("-p icmp -m icmp --icmp-type 11/0", bench.fromLan(icmp(11, 0)))).isTrue();
            assertThat(bench.matches("-p icmp -m icmp --icmp-type 11/0", bench.fromLan(icmp(11, 1)))).isFalse();
            assertThat(bench.matches("-p icmp -m icmp --icmp-type 3", bench.fromLan(icmp(3, 10)))).isTrue();
        }

        @Test
        void anyMatchesEveryTypeAndInvertedNone() {
            for (int type : new int[] {0, 3, 8, 11, 42}) {
                assertThat(bench.matches("-p icmp -m icmp --icmp-type any", bench.fromLan(icmp(type, 0)))).isTrue();
                assertThat(bench.matches("-p icmp -m icmp ! --icmp-type any", bench.fromLan(icmp(type, 0)))).isFalse();
            }
            assertThat(bench.matches("-p icmp -m icmp ! --icmp-type echo-reply", bench.fromLan(icmp(8, 0)))).isTrue();
        }

        @Test
        void anIcmpMessageShorterThanItsEightByteHeaderIsDropped() {
            assertThat(bench.result("-p icmp -m icmp --icmp-type any", bench.fromLan(truncated(icmp(8, 0), 6))))
                    .isEqualTo(Matcher.Result.HOTDROP);
            assertThat(bench.result("-p icmp -m icmp --icmp-type any", bench.fromLan(fragmentAt(icmp(8, 0), 24))))
                    .isEqualTo(Matcher.Result.NO_MATCH);
        }
    }

    @Nested
    class Multiport {
        @Test
        void listsAndRangesOfDestinationSourceOrEitherPorts() {
            ByteBuf syn = tcp(SYN); // 40001 -> 80
            assertThat(bench.matches("-p tcp -m multiport --dports 22,80,443", bench.fromGuest(syn))).isTrue();
            assertThat(bench.matches("-p tcp -m multiport --dports 8000:8080,443", bench.fromGuest(syn))).isFalse();
            assertThat(bench.matches("-p tcp -m multiport --sports 40000:40010", bench.fromGuest(syn))).isTrue();
            assertThat(bench.matches("-p tcp -m multiport --ports 40001", bench.fromGuest(syn))).as("either side").isTrue();
            assertThat(bench.matches("-p tcp -m multiport --ports 80", bench.fromGuest(syn))).isTrue();
            assertThat(bench.matches("-p tcp -m multiport ! --dports 22,443", bench.fromGuest(syn))).isTrue();
            assertThat(bench.matches("-p tcp -m multiport ! --dports 80,443", bench.fromGuest(syn))).isFalse();
        }

        @Test
        void laterFragmentsDoNotMatchAndTooShortPortsAreDropped() {
            assertThat(bench.result("-p tcp -m multiport ! --dports 22", bench.fromGuest(fragmentAt(tcp(SYN), 16))))
                    .isEqualTo(Matcher.Result.NO_MATCH);
            assertThat(bench.result("-p udp -m multiport --dports 53", bench.fromGuest(truncated(Udp.dns(), 3))))
                    .isEqualTo(Matcher.Result.HOTDROP);
        }
    }

    @Nested
    class Fragments {
        @Test
        void dashFMatchesOnlyNonFirstFragments() {
            ByteBuf whole = tcp(SYN);
            ByteBuf first = whole.copy();
            first.setShort(6, 0x2000); // MF, offset 0
            ByteBuf later = fragmentAt(whole, 1480);
            assertThat(bench.matches("-f", bench.fromGuest(later))).isTrue();
            assertThat(bench.matches("-f", bench.fromGuest(first))).isFalse();
            assertThat(bench.matches("-f", bench.fromGuest(whole))).isFalse();
            assertThat(bench.matches("! -f", bench.fromGuest(first))).isTrue();
            assertThat(bench.matches("! -f", bench.fromGuest(later))).isFalse();
        }
    }

    @Test
    void aCommentMatchesEveryPacket() {
        assertThat(bench.matches("-m comment --comment \"libvirt: allow DNS\"", bench.fromGuest(tcp(SYN)))).isTrue();
        assertThat(bench.matches("-m comment --comment x", bench.local(Udp.dns(), "enp3s0"))).isTrue();
    }
}
