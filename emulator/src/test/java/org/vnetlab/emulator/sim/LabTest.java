package org.vnetlab.emulator.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LabTest {

    private static long[] draws(SeededRandom r, int n) {
        return LongStream.generate(r::nextLong).limit(n).toArray();
    }

    @Test
    void theSameSeedGivesTheSameDraws() {
        assertThat(draws(new Lab(42).random("link/vnet0"), 100)).isEqualTo(draws(new Lab(42).random("link/vnet0"), 100));
    }

    @Test
    void differentSeedsOrStreamsGiveDifferentDraws() {
        long[] a = draws(new Lab(42).random("link/vnet0"), 10);
        assertThat(draws(new Lab(43).random("link/vnet0"), 10)).isNotEqualTo(a);
        assertThat(draws(new Lab(42).random("link/vnet1"), 10)).isNotEqualTo(a);
    }

    @Test
    void addingAStreamDoesNotPerturbAnotherStreamsDraws() {
        Lab alone = new Lab(7);
        long[] expected = draws(alone.random("link/a"), 50);

        Lab crowded = new Lab(7);
        SeededRandom other = crowded.random("link/b");
        SeededRandom a = crowded.random("link/a");
        long[] interleaved = new long[50];
        for (int i = 0; i < 50; i++) {
            other.nextLong();
            interleaved[i] = a.nextLong();
        }
        assertThat(interleaved).isEqualTo(expected);
    }

    @Test
    void askingForAStreamTwiceContinuesIt() {
        Lab lab = new Lab(7);
        long first = lab.random("x").nextLong();
        long second = lab.random("x").nextLong();
        assertThat(second).isNotEqualTo(first);
        SeededRandom fresh = new Lab(7).random("x");
        assertThat(new long[] {first, second}).isEqualTo(draws(fresh, 2));
    }

    @Test
    void splitMix64MatchesItsPublishedReferenceOutput() {
        // Reference values of SplitMix64 seeded with 0 (Vigna's splitmix64.c), first three outputs.
        SeededRandom r = new SeededRandom(0);
        assertThat(r.nextLong()).isEqualTo(0xe220a8397b1dcdafL);
        assertThat(r.nextLong()).isEqualTo(0x6e789e6aa1b965f4L);
        assertThat(r.nextLong()).isEqualTo(0x06c45d188009454fL);
    }

    @Test
    void boundedDrawsStayInRangeAndChanceHonoursItsExtremes() {
        SeededRandom r = new SeededRandom(3);
        for (int i = 0; i < 10_000; i++) assertThat(r.nextInt(7)).isBetween(0, 6);
        for (int i = 0; i < 1_000; i++) assertThat(r.nextDouble()).isGreaterThanOrEqualTo(0).isLessThan(1);
        assertThat(r.chance(0)).isFalse();
        assertThat(r.chance(1)).isTrue();
    }

    record Thing(String path) implements Element { }

    @Test
    void elementPathsAreUnique() {
        Lab lab = new Lab(1);
        lab.add(new Thing("host/virbr0"));
        assertThatThrownBy(() -> lab.add(new Thing("host/virbr0"))).hasMessageContaining("duplicate element path 'host/virbr0'");
        assertThat(lab.element("host/virbr0")).isPresent();
        assertThat(lab.elements(Thing.class)).hasSize(1);
    }

    @Test
    void captureSinksSeeAReadOnlyViewStampedWithVirtualTime() {
        Lab lab = new Lab(1);
        List<String> all = new ArrayList<>();
        List<String> one = new ArrayList<>();
        lab.addCaptureSink((path, t, dir, frame) -> {
            assertThat(frame.isReadOnly()).isTrue();
            all.add(path + " " + t + " " + dir + " " + frame.readableBytes());
        });
        lab.addCaptureSink("host/vnet0", (path, t, dir, frame) -> one.add(path));
        ByteBuf f = Unpooled.wrappedBuffer(new byte[60]);
        lab.scheduler().runFor(5);
        lab.capture("host/vnet0", CaptureSink.Direction.OUTBOUND, f);
        lab.capture("guest/eth0", CaptureSink.Direction.INBOUND, f);
        assertThat(all).containsExactly("host/vnet0 5 OUTBOUND 60", "guest/eth0 5 INBOUND 60");
        assertThat(one).containsExactly("host/vnet0");
        assertThat(f.readerIndex()).isZero();
    }

    @Test
    void theKernelLogPrintsLikeDmesgAndRateLimitsLikeNetRatelimit() {
        Lab lab = new Lab(1);
        lab.scheduler().runFor(SimTime.millis(4_000));
        lab.log().info("host", "virbr0: port 1(vnet0) entered forwarding state");
        assertThat(lab.log().dmesg("host")).isEqualTo("[    4.000000] virbr0: port 1(vnet0) entered forwarding state\n");

        int logged = 0;
        for (int i = 0; i < 25; i++) {
            if (lab.log().ratelimited("host", KernelLog.Level.WARNING, "virbr0: received packet with own address")) logged++;
        }
        assertThat(logged).isEqualTo(10);
        lab.scheduler().runFor(SimTime.seconds(5));
        lab.log().ratelimited("host", KernelLog.Level.WARNING, "again");
        List<KernelLog.Entry> host = lab.log().entries("host");
        assertThat(host.get(host.size() - 2).text()).isEqualTo("net_ratelimit: 15 callbacks suppressed");
        assertThat(host.get(host.size() - 1).text()).isEqualTo("again");
    }

    @Test
    void countersAreKeptPerElement() {
        Counters c = new Lab(1).counters();
        c.increment("host/virbr0", "drop_invalid_source");
        c.add("host/virbr0", "drop_invalid_source", 2);
        assertThat(c.get("host/virbr0", "drop_invalid_source")).isEqualTo(3);
        assertThat(c.get("host/virbr1", "drop_invalid_source")).isZero();
        assertThat(c.snapshot()).containsEntry("host/virbr0 drop_invalid_source", 3L);
    }
}
