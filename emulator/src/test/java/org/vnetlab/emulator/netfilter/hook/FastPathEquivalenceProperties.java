package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.vnetlab.emulator.conntrack.ConntrackEntry;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.conntrack.Direction;
import org.vnetlab.emulator.conntrack.FastPath;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.protocols.MacAddress;

/**
 * The fast path is the full path, byte for byte: two identical hosts (the article's libvirt ruleset, MASQUERADE
 * to enp3s0) set up the same random flows; then the same random packets go through host A's hooks, and
 * through host B's {@link FastPath} first (its hooks only on a miss). Every packet leaves both hosts with the
 * same bytes, and both conntrack tables stay the same — entries, timeouts to the nanosecond, counters, events.
 */
class FastPathEquivalenceProperties {
    static final MacAddress M = MacAddress.parse("52:54:00:aa:bb:01");
    static final String NAT = "192.168.0.10";

    record Flow(int kind, int guest, int sport, int remoteA, int remoteB, int dport) {
        String guestIp() { return "192.168.122." + guest; }

        String remoteIp() { return remoteA + "." + remoteB + ".3.4"; }
    }

    /** One step: which flow, which way, and how the packet departs from a well-behaved one. */
    record Step(int flow, boolean reply, int payload, int ttl, int quirk, long advanceMillis) {}

    static final class Host {
        final PathRunner runner;
        final List<String> events = new ArrayList<>();
        final FastPath fast;

        Host(long seed) throws InputException {
            ArticleHost h = new ArticleHost();
            ConntrackSettings s = ConntrackSettings.DEFAULTS.withSysctl("net.netfilter.nf_conntrack_acct", "1");
            Netfilter nf = Netfilter.iptables(Rulesets.article(), new RuleCounters(), h, s, seed);
            nf.conntrack().addListener(e -> events.add(e.text()));
            runner = new PathRunner(nf, h, true);
            fast = new FastPath(nf.conntrack(), 0); // bursts read ahead even in these small tables
        }

        PathRunner.Result full(ByteBuf p, boolean fromGuest, long now) {
            return runner.receive(p, fromGuest ? "virbr0" : "enp3s0", M, M, now);
        }

        String state(long now) {
            StringBuilder sb = new StringBuilder(runner.netfilter().conntrack().list(now));
            for (ConntrackEntry e : runner.netfilter().conntrack().entries()) {
                sb.append(e.id()).append(' ').append(e.expiresAtNanos()).append(' ').append(e.status())
                        .append(" o=").append(e.packets(Direction.ORIGINAL)).append('/').append(e.bytes(Direction.ORIGINAL))
                        .append(" r=").append(e.packets(Direction.REPLY)).append('/').append(e.bytes(Direction.REPLY)).append('\n');
            }
            return sb.toString();
        }
    }

    /** Per flow, what a well-behaved endpoint would send next (sequence numbers, the NAT port it learned). */
    static final class Peer {
        long clientSeq = 1000, serverSeq = 50_000;
        int natPort;
    }

    @Provide
    Arbitrary<List<Flow>> flows() {
        Arbitrary<Flow> f = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(2, 254),
                Arbitraries.integers().between(1024, 65535), Arbitraries.integers().between(1, 126),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(1, 65535)).as(Flow::new);
        return f.list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> s = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 300), Arbitraries.frequency(Tuple.of(9, 64), Tuple.of(1, 1)),
                Arbitraries.frequency(Tuple.of(12, 0), Tuple.of(1, 1), Tuple.of(1, 2), Tuple.of(1, 3), Tuple.of(1, 4),
                        Tuple.of(1, 5)),
                Arbitraries.frequency(Tuple.of(20, 1L), Tuple.of(2, 2500L), Tuple.of(1, 40_000L), Tuple.of(1, 200_000L)))
                .as(Step::new);
        return s.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 150)
    void theFastPathLeavesTheSameBytesAndTheSameTableAsTheHooks(@ForAll("flows") List<Flow> flows,
                                                                  @ForAll("steps") List<Step> steps) throws InputException {
        Host a = new Host(7), b = new Host(7);
        SetUp set = setUp(a, b, flows, 1_000_000_000L);
        List<Peer> peers = set.peers();
        long now = set.now();
        int hits = 0;
        for (Step s : steps) {
            Flow f = flows.get(s.flow() % flows.size());
            Peer p = peers.get(s.flow() % flows.size());
            now += s.advanceMillis() * 1_000_000L;
            ByteBuf pa = packet(f, p, s);
            ByteBuf pb = pa.copy();
            PathRunner.Result ra = a.full(pa, !s.reply(), now);
            int fast = b.fast.forward(pb, pb.readerIndex(), pb.readableBytes(), now);
            if (fast == FastPath.MISS) {
                PathRunner.Result rb = b.full(pb, !s.reply(), now);
                assertThat(rb.disposition()).isEqualTo(ra.disposition());
                if (rb.packet().isPresent()) assertThat(hex(rb.packet().get())).isEqualTo(hex(ra.packet().get()));
            } else {
                hits++;
                assertThat(ra.disposition()).as(ra.trace().render()).isEqualTo(Disposition.FORWARDED);
                assertThat(fast).isEqualTo(s.reply() ? FastPath.REPLY : FastPath.ORIGINAL);
                assertThat(hex(pb)).isEqualTo(hex(ra.packet().get()));
            }
            assertThat(b.state(now)).isEqualTo(a.state(now));
            assertThat(b.events).isEqualTo(a.events);
        }
        Statistics.label("fast path hits").collect(hits == 0 ? "none" : hits * 2 < steps.size() ? "under half" : "half or more");
    }

    /**
     * {@link FastPath#forwardFrames} is the same as one frame at a time: bursts of consecutive steps share one
     * time; host A runs every packet of a burst through its hooks, host B hands the burst to the fast path,
     * sends the miss it stops at through its hooks and goes on with the rest. Same bytes out, same tables.
     */
    @Property(tries = 100)
    void aBurstThroughTheFastPathLeavesWhatPacketsOneByOneLeave(@ForAll("flows") List<Flow> flows,
                                                                 @ForAll("steps") List<Step> steps,
                                                                 @ForAll @IntRange(min = 1, max = 24) int burst)
            throws InputException {
        Host a = new Host(7), b = new Host(7);
        long now = 1_000_000_000L;
        List<Peer> peers = setUp(a, b, flows, now).peers();
        now += 4_000_000_000L * flows.size();
        int hits = 0;
        for (int from = 0; from < steps.size(); from += burst) {
            List<Step> chunk = steps.subList(from, Math.min(steps.size(), from + burst));
            now += chunk.get(0).advanceMillis() * 1_000_000L;
            ByteBuf[] frames = new ByteBuf[chunk.size()];
            String[] expected = new String[chunk.size()];
            Disposition[] dispositions = new Disposition[chunk.size()];
            for (int k = 0; k < chunk.size(); k++) {
                Step s = chunk.get(k);
                ByteBuf pa = packet(flows.get(s.flow() % flows.size()), peers.get(s.flow() % flows.size()), s);
                frames[k] = Unpooled.buffer().writeBytes(new byte[12]).writeShort(0x0800).writeBytes(pa, pa.readerIndex(), pa.readableBytes());
                PathRunner.Result ra = a.full(pa, !s.reply(), now);
                dispositions[k] = ra.disposition();
                expected[k] = ra.packet().map(FastPathEquivalenceProperties::hex).orElse(null);
            }
            int[] verdicts = new int[frames.length];
            int k = 0;
            while (k < frames.length) {
                int done = b.fast.forwardFrames(frames, k, frames.length, now, verdicts);
                for (int j = k; j < k + done; j++) {
                    hits++;
                    assertThat(dispositions[j]).isEqualTo(Disposition.FORWARDED);
                    assertThat(verdicts[j]).isEqualTo(chunk.get(j).reply() ? FastPath.REPLY : FastPath.ORIGINAL);
                    assertThat(hex(frames[j].slice(14, frames[j].readableBytes() - 14))).isEqualTo(expected[j]);
                }
                k += done;
                if (k == frames.length) break;
                ByteBuf miss = frames[k].slice(14, frames[k].readableBytes() - 14);
                PathRunner.Result rb = b.full(miss, !chunk.get(k).reply(), now);
                assertThat(rb.disposition()).isEqualTo(dispositions[k]);
                assertThat(rb.packet().map(FastPathEquivalenceProperties::hex).orElse(null)).isEqualTo(expected[k]);
                k++;
            }
            assertThat(b.state(now)).isEqualTo(a.state(now));
            assertThat(b.events).isEqualTo(a.events);
        }
        Statistics.label("fast path hits in bursts").collect(hits == 0 ? "none" : hits * 2 < steps.size() ? "under half" : "half or more");
    }

    /** What setting the flows up left: each peer's learned NAT port, and the clock after the set-up. */
    record SetUp(List<Peer> peers, long now) {}

    /** Sets {@code flows} up on both hosts (first packet, reply, and one more to make UDP/TCP ASSURED). */
    static SetUp setUp(Host a, Host b, List<Flow> flows, long now) {
        List<Peer> peers = new ArrayList<>();
        for (Flow f : flows) {
            Peer p = new Peer();
            peers.add(p);
            String g = f.guestIp(), r = f.remoteIp();
            ByteBuf first = switch (f.kind()) {
                case 0 -> Packets.udp(g, f.sport(), r, f.dport(), 64, 10);
                case 1 -> Packets.tcp(g, f.sport(), r, f.dport(), 64, p.clientSeq - 1, 0, 0x02, 0);
                default -> Packets.ping(g, r, 64, f.sport(), 1);
            };
            PathRunner.Result out = both(a, b, first, true, now);
            if (out.packet().isEmpty()) continue;
            p.natPort = Datagram.read(out.packet().get()).orElseThrow().tuple().orElseThrow().sourceKey();
            now += 1_000_000L;
            both(a, b, switch (f.kind()) {
                case 0 -> Packets.udp(r, f.dport(), NAT, p.natPort, 60, 20);
                case 1 -> Packets.tcp(r, f.dport(), NAT, p.natPort, 60, p.serverSeq - 1, p.clientSeq, 0x12, 0);
                default -> Packets.pong(r, NAT, 60, p.natPort, 1);
            }, false, now);
            now += 3_000_000_000L; // past UDP's two-second stream deadline: the next packet makes it ASSURED
            if (f.kind() == 0) both(a, b, Packets.udp(g, f.sport(), r, f.dport(), 64, 10), true, now);
            if (f.kind() == 1) both(a, b, Packets.tcp(g, f.sport(), r, f.dport(), 64, p.clientSeq, p.serverSeq, 0x10, 0), true, now);
        }
        return new SetUp(peers, now);
    }

    /** Sends a copy of {@code p} through both hosts' hooks; they must agree. Returns host A's result. */
    static PathRunner.Result both(Host a, Host b, ByteBuf p, boolean fromGuest, long now) {
        ByteBuf copy = p.copy();
        PathRunner.Result ra = a.full(p, fromGuest, now);
        PathRunner.Result rb = b.full(copy, fromGuest, now);
        assertThat(rb.disposition()).isEqualTo(ra.disposition());
        return ra;
    }

    static String hex(ByteBuf p) { return ByteBufUtil.hexDump(p, p.readerIndex(), p.readableBytes()); }

    /**
     * A packet of an established flow: well-behaved (quirk 0) or with one departure — 1: a flipped payload
     * byte (bad checksum), 2: TCP FIN / UDP and ICMP zero-length, 3: TCP sequence far out of window, 4: TCP RST,
     * 5: TCP PSH|ACK|URG.
     */
    static ByteBuf packet(Flow f, Peer p, Step s) {
        String g = f.guestIp(), r = f.remoteIp();
        int len = s.quirk() == 2 && f.kind() != 1 ? 0 : s.payload();
        ByteBuf out = switch (f.kind()) {
            case 0 -> s.reply() ? Packets.udp(r, f.dport(), NAT, p.natPort, s.ttl(), len) : Packets.udp(g, f.sport(), r, f.dport(), s.ttl(), len);
            case 1 -> {
                int flags = switch (s.quirk()) {
                    case 2 -> 0x11;
                    case 4 -> 0x04;
                    case 5 -> 0x38;
                    default -> 0x10;
                };
                long seq = s.reply() ? p.serverSeq : p.clientSeq;
                long ack = s.reply() ? p.clientSeq : p.serverSeq;
                if (s.quirk() == 3) seq += 0x4000_0000L;
                ByteBuf t = s.reply() ? Packets.tcp(r, f.dport(), NAT, p.natPort, s.ttl(), seq & 0xffff_ffffL, ack & 0xffff_ffffL, flags, len)
                        : Packets.tcp(g, f.sport(), r, f.dport(), s.ttl(), seq & 0xffff_ffffL, ack & 0xffff_ffffL, flags, len);
                if (s.quirk() != 3) {
                    if (s.reply()) p.serverSeq += len;
                    else p.clientSeq += len;
                }
                yield t;
            }
            default -> s.reply() ? Packets.pong(r, NAT, s.ttl(), p.natPort, 2) : Packets.ping(g, r, s.ttl(), f.sport(), 2);
        };
        if (s.quirk() == 1 && out.readableBytes() > 28) {
            int i = out.writerIndex() - 1;
            out.setByte(i, out.getByte(i) ^ 0x5a);
        }
        return out;
    }
}
