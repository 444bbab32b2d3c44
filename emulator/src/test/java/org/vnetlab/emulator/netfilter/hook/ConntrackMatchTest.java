package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vnetlab.emulator.testing.Packets.ip;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.conntrack.CtInfo;
import org.vnetlab.emulator.conntrack.Nat;
import org.vnetlab.emulator.conntrack.NatManip;
import org.vnetlab.emulator.conntrack.NatRequest;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * -m conntrack, -m state, -m mark and -m connmark as xt_conntrack.c, xt_state.c, xt_mark.c and
 * xt_connmark.c decide them, on a guest's DNS query masqueraded to 192.168.0.10 and its answer.
 */
class ConntrackMatchTest {
    final MatchBench bench = new MatchBench();
    static final long SECOND = 1_000_000_000L;

    static ByteBuf query() { return Packets.udp("192.168.122.55", 40002, "8.8.8.8", 53, 64, 30); }

    static ByteBuf answer() { return Packets.udp("8.8.8.8", 53, "192.168.0.10", 40002, 62, 60); }

    /** The guest's query: tracked NEW, masqueraded to 192.168.0.10 (port kept), then confirmed. */
    PacketContext masqueradedQuery() {
        PacketContext q = bench.tracked(bench.fromGuest(query()));
        new Nat(bench.conntrack, 1).setup(q.conntrack().orElseThrow(), NatRequest.toAddress(ip("192.168.0.10")), NatManip.SOURCE);
        return bench.confirmed(q);
    }

    PacketContext answerToIt() {
        bench.advance(SECOND / 100);
        return bench.tracked(bench.fromLan(answer()));
    }

    @Nested
    class Direction {
        @Test
        void ctdirIsTheDirectionOfThePacketWithinItsConnection() {
            PacketContext q = masqueradedQuery();
            PacketContext a = answerToIt();
            assertThat(q.ctInfo()).contains(CtInfo.NEW);
            assertThat(a.ctInfo()).contains(CtInfo.ESTABLISHED_REPLY);
            assertThat(bench.matches("-m conntrack --ctdir ORIGINAL", q)).isTrue();
            assertThat(bench.matches("-m conntrack --ctdir REPLY", q)).isFalse();
            assertThat(bench.matches("-m conntrack --ctdir REPLY", a)).isTrue();
            assertThat(bench.matches("-m conntrack --ctdir ORIGINAL", a)).isFalse();
        }

        @Test
        void anIcmpErrorAboutTheQueryTravelsInTheReplyDirection() {
            masqueradedQuery();
            ByteBuf quoted = query().copy();
            quoted.setInt(12, ip("192.168.0.10").bits()); // as the internet saw it
            quoted.setShort(10, 0);
            quoted.setShort(10, InternetChecksum.compute(quoted, 0, 20));
            PacketContext err = bench.tracked(bench.fromLan(Packets.icmpError("8.8.8.8", "192.168.0.10", 3, 3, quoted)));
            assertThat(err.ctInfo()).contains(CtInfo.RELATED_REPLY);
            assertThat(bench.matches("-m conntrack --ctstate RELATED --ctdir REPLY", err)).isTrue();
            assertThat(bench.matches("-m state --state RELATED", err)).isTrue();
        }
    }

    @Nested
    class Tuples {
        @Test
        void originalAndReplyAddressesOfAMasqueradedConnection() {
            PacketContext a = masqueradedQuery();
            assertThat(bench.matches("-m conntrack --ctorigsrc 192.168.122.0/24 --ctorigdst 8.8.8.8", a)).isTrue();
            assertThat(bench.matches("-m conntrack --ctreplsrc 8.8.8.8 --ctrepldst 192.168.0.10", a)).isTrue();
            assertThat(bench.matches("-m conntrack --ctrepldst 192.168.122.55", a)).as("the reply goes to the masquerade address").isFalse();
            assertThat(bench.matches("-m conntrack ! --ctrepldst 192.168.122.0/24", a)).isTrue();
            assertThat(bench.matches("-m conntrack --ctorigsrc 192.168.122.0/24 ! --ctorigdst 8.0.0.0/8", a)).isFalse();
        }

        @Test
        void portsOfBothTuplesAndTheProtocol() {
            PacketContext a = masqueradedQuery();
            assertThat(bench.matches("-m conntrack --ctproto udp --ctorigsrcport 40002 --ctorigdstport 53", a)).isTrue();
            assertThat(bench.matches("-m conntrack --ctproto udp --ctreplsrcport 53 --ctrepldstport 40000:40010", a)).isTrue();
            assertThat(bench.matches("-m conntrack ! --ctproto udp", a)).isFalse();
            assertThat(bench.matches("-m conntrack --ctproto udp ! --ctorigdstport 53", a)).isFalse();
        }

        @Test
        void anIcmpConnectionsPortsAreTheEchoIdAndTypeTimes256PlusCode() {
            // ct_proto_port_check_v3 reads tuple->src.u.all and dst.u.all whatever the protocol
            PacketContext ping = bench.tracked(bench.fromGuest(Packets.ping("192.168.122.55", "8.8.8.8", 64, 4102, 1)));
            assertThat(bench.matches("-m conntrack --ctproto icmp --ctorigsrcport 4102", ping)).isTrue();
            assertThat(bench.matches("-m conntrack --ctproto icmp --ctorigdstport 2048", ping)).as("type 8, code 0").isTrue();
            assertThat(bench.matches("-m conntrack --ctproto icmp --ctrepldstport 0", ping)).as("type 0, code 0").isTrue();
            assertThat(bench.matches("-m conntrack --ctproto icmp ! --ctorigsrcport 4102", ping)).isFalse();
        }
    }

    @Nested
    class StatusAndExpiry {
        @Test
        void statusBitsFollowTheConnectionsLife() {
            PacketContext first = bench.tracked(bench.fromGuest(query()));
            assertThat(bench.matches("-m conntrack --ctstatus CONFIRMED", first)).isFalse();
            assertThat(bench.matches("-m conntrack ! --ctstatus CONFIRMED", first)).isTrue();
            assertThat(bench.matches("-m conntrack --ctstatus NONE", first)).as("NONE is no bit: never").isFalse();
            bench.confirmed(first);
            assertThat(bench.matches("-m conntrack --ctstatus CONFIRMED", first)).isTrue();
            assertThat(bench.matches("-m conntrack --ctstatus SEEN_REPLY", first)).isFalse();
            PacketContext reply = bench.tracked(bench.fromLan(Packets.udp("8.8.8.8", 53, "192.168.122.55", 40002, 62, 60)));
            assertThat(bench.matches("-m conntrack --ctstatus SEEN_REPLY", reply)).isTrue();
            assertThat(bench.matches("-m conntrack --ctstatus EXPECTED,ASSURED", reply)).isFalse();
        }

        @Test
        void aTcpConnectionIsAssuredOnceItsHandshakeCompletes() {
            PacketContext syn = bench.confirmed(bench.tracked(bench.fromGuest(Packets.tcp("192.168.122.55", 40005, "142.250.1.1", 80, 64, 1000, 0, 0x02, 0))));
            bench.advance(SECOND / 100);
            bench.confirmed(bench.tracked(bench.fromLan(Packets.tcp("142.250.1.1", 80, "192.168.122.55", 40005, 62, 9000, 1001, 0x12, 0))));
            bench.advance(SECOND / 100);
            PacketContext ack = bench.tracked(bench.fromGuest(Packets.tcp("192.168.122.55", 40005, "142.250.1.1", 80, 64, 1001, 9001, 0x10, 0)));
            assertThat(bench.matches("-m conntrack --ctstatus ASSURED", syn)).as("evaluated now: same connection").isTrue();
            assertThat(bench.matches("-m conntrack --ctstatus ASSURED --ctstate ESTABLISHED", ack)).isTrue();
        }

        @Test
        void aConnectionsFirstPacketSeesZeroSecondsLeft() {
            // nf_ct_expires of an unconfirmed entry: its timeout is still relative, "timeout - now" is negative
            PacketContext first = bench.tracked(bench.fromGuest(query()));
            assertThat(bench.matches("-m conntrack --ctexpire 0", first)).isTrue();
            assertThat(bench.matches("-m conntrack --ctexpire 1:1000", first)).isFalse();
            bench.confirmed(first);
            assertThat(bench.matches("-m conntrack --ctexpire 30", first)).as("udp timeout 30 s").isTrue();
            bench.advance(12 * SECOND);
            assertThat(bench.matches("-m conntrack --ctexpire 17:18", first)).isTrue();
            assertThat(bench.matches("-m conntrack ! --ctexpire 17:18", first)).isFalse();
        }
    }

    @Nested
    class WithoutAConnection {
        @Test
        void onlyTheStateTestCanMatchAPacketConntrackDidNotTrack() {
            PacketContext invalid = bench.fromGuest(query()); // never looked up: INVALID
            assertThat(bench.matches("-m conntrack --ctstate INVALID", invalid)).isTrue();
            assertThat(bench.matches("-m conntrack ! --ctstate NEW", invalid)).isTrue();
            assertThat(bench.matches("-m conntrack --ctdir ORIGINAL", invalid)).isFalse();
            assertThat(bench.matches("-m conntrack --ctorigsrc 0.0.0.0/0", invalid)).isFalse();
            assertThat(bench.matches("-m state --state INVALID", invalid)).isTrue();
        }

        @Test
        void notrackMakesItUntracked() {
            PacketContext raw = bench.fromGuest(query());
            raw.setUntracked();
            assertThat(bench.matches("-m conntrack --ctstate UNTRACKED", raw)).isTrue();
            assertThat(bench.matches("-m state --state UNTRACKED", raw)).isTrue();
            assertThat(bench.matches("-m conntrack --ctstate INVALID", raw)).isFalse();
        }
    }

    @Nested
    class States {
        @Test
        void newEstablishedAndTheNatPseudoStates() {
            PacketContext q = masqueradedQuery();
            PacketContext a = answerToIt();
            assertThat(bench.matches("-m state --state NEW", q)).isTrue();
            assertThat(bench.matches("-m state ! --state NEW", a)).isTrue();
            assertThat(bench.matches("-m conntrack --ctstate RELATED,ESTABLISHED", a)).isTrue();
            // SNAT/DNAT are not states but status bits --ctstate can test (xt_conntrack only)
            assertThat(bench.matches("-m conntrack --ctstate SNAT", a)).isTrue();
            assertThat(bench.matches("-m conntrack --ctstate DNAT", a)).isFalse();
            assertThat(bench.matches("-m conntrack ! --ctstate SNAT", q)).isFalse();
        }
    }

    @Nested
    class Marks {
        @Test
        void markComparesTheMaskedPacketMark() {
            PacketContext c = bench.fromGuest(query());
            c.setMark(0x105);
            assertThat(bench.matches("-m mark --mark 0x5/0xff", c)).isTrue();
            assertThat(bench.matches("-m mark --mark 0x5", c)).as("mask 0xffffffff").isFalse();
            assertThat(bench.matches("-m mark --mark 0x105", c)).isTrue();
            assertThat(bench.matches("-m mark ! --mark 0x1/0xf", c)).isTrue();
        }

        @Test
        void connmarkComparesTheConnectionsMarkAndNeverMatchesWithoutOne() {
            PacketContext q = masqueradedQuery();
            q.conntrack().orElseThrow().setMark(0x20);
            PacketContext a = answerToIt();
            assertThat(bench.matches("-m connmark --mark 0x20", a)).isTrue();
            assertThat(bench.matches("-m connmark --mark 0x0/0xf", a)).isTrue();
            assertThat(bench.matches("-m connmark ! --mark 0x20", a)).isFalse();
            PacketContext none = bench.fromGuest(query());
            assertThat(bench.matches("-m connmark ! --mark 0x20", none)).as("no conntrack: false even inverted").isFalse();
        }
    }
}
