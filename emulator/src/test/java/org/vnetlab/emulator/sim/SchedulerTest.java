package org.vnetlab.emulator.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vnetlab.emulator.sim.SimTime.millis;
import static org.vnetlab.emulator.sim.SimTime.seconds;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private final Lab lab = new Lab(1);
    private final Scheduler s = lab.scheduler();
    private final List<String> ran = new ArrayList<>();

    private Runnable note(String what) {
        return () -> ran.add(what + "@" + s.now());
    }

    @Test
    void eventsRunInTimeOrderWhateverTheOrderTheyWereScheduledIn() {
        s.schedule(300, "c", note("c"));
        s.schedule(100, "a", note("a"));
        s.schedule(200, "b", note("b"));
        s.runUntilIdle();
        assertThat(ran).containsExactly("a@100", "b@200", "c@300");
        assertThat(s.now()).isEqualTo(300);
    }

    @Test
    void eventsDueAtTheSameNanosecondRunInTheOrderTheyWereScheduled() {
        for (String x : List.of("first", "second", "third", "fourth")) s.schedule(50, x, note(x));
        s.schedule(0, "zero-delay", () -> s.schedule(50, "scheduled-later", note("scheduled-later")));
        s.runUntilIdle();
        assertThat(ran).containsExactly("first@50", "second@50", "third@50", "fourth@50", "scheduled-later@50");
    }

    @Test
    void zeroDelayEventsRunAfterTheCurrentOneNotInsideIt() {
        s.schedule(10, "outer", () -> {
            ran.add("outer-start");
            s.schedule(0, "inner", note("inner"));
            ran.add("outer-end");
        });
        s.runUntilIdle();
        assertThat(ran).containsExactly("outer-start", "outer-end", "inner@10");
    }

    @Test
    void timeNeverGoesBack() {
        s.runFor(1_000);
        Timer t = s.timer("late", note("late"));
        assertThatThrownBy(() -> t.startAt(999)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("late").hasMessageContaining("already 0.000001000s");
        assertThatThrownBy(() -> t.start(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCancelledTimerDoesNotRunAndNoLongerKeepsTheRunGoing() {
        Timer t = s.schedule(100, "cancelled", note("cancelled"));
        s.schedule(50, "kept", note("kept"));
        assertThat(t.cancel()).isTrue();
        assertThat(t.cancel()).isFalse();
        s.runUntilIdle();
        assertThat(ran).containsExactly("kept@50");
        assertThat(s.now()).isEqualTo(50);
        assertThat(s.pendingEvents()).isZero();
    }

    @Test
    void restartingAPendingTimerMovesItLikeModTimer() {
        Timer t = s.schedule(100, "moved", note("moved"));
        s.schedule(50, "mover", () -> t.start(500));
        s.runUntilIdle();
        assertThat(ran).containsExactly("moved@550");
    }

    @Test
    void aTimerCanBeReusedAfterItFired() {
        int[] fired = {0};
        Timer t = s.timer("reused", () -> fired[0]++);
        t.start(10);
        s.runUntilIdle();
        assertThat(t.isPending()).isFalse();
        t.start(10);
        assertThat(t.remaining()).isEqualTo(10);
        s.runUntilIdle();
        assertThat(fired[0]).isEqualTo(2);
        assertThat(s.now()).isEqualTo(20);
    }

    @Test
    void periodicTimersRepeatUntilCancelledAndDoNotKeepARunUntilIdleGoing() {
        Timer hello = s.every(seconds(2), seconds(2), "hello", note("hello"));
        s.runUntilIdle();
        assertThat(ran).isEmpty();
        assertThat(s.now()).isZero();

        s.runFor(seconds(7));
        assertThat(ran).containsExactly("hello@2000000000", "hello@4000000000", "hello@6000000000");
        assertThat(s.now()).isEqualTo(seconds(7));

        hello.cancel();
        s.runFor(seconds(10));
        assertThat(ran).hasSize(3);
    }

    @Test
    void daemonEventsDueBeforeTheLastRealEventStillRunInOrder() {
        s.every(millis(100), millis(100), "gc", note("gc"));
        s.schedule(millis(250), "work", note("work"));
        s.runUntilIdle();
        assertThat(ran).containsExactly("gc@100000000", "gc@200000000", "work@250000000");
    }

    @Test
    void aPeriodicTimerMayCancelItselfFromItsAction() {
        Timer[] self = new Timer[1];
        self[0] = s.every(10, 10, "three-times", () -> {
            ran.add("tick@" + s.now());
            if (ran.size() == 3) self[0].cancel();
        });
        s.runFor(1_000);
        assertThat(ran).containsExactly("tick@10", "tick@20", "tick@30");
    }

    @Test
    void runForMovesTheClockToTheEndEvenWhenNothingHappens() {
        s.runFor(seconds(300));
        assertThat(s.now()).isEqualTo(seconds(300));
    }

    @Test
    void runForRunsEventsDueExactlyAtTheDeadlineButNotAfter() {
        s.schedule(100, "at", note("at"));
        s.schedule(101, "after", note("after"));
        s.runFor(100);
        assertThat(ran).containsExactly("at@100");
        s.runFor(1);
        assertThat(ran).containsExactly("at@100", "after@101");
    }

    @Test
    void runUntilStopsAtTheEventThatMadeTheConditionTrue() {
        int[] n = {0};
        s.every(10, 10, "count", () -> n[0]++);
        boolean met = s.runUntil(() -> n[0] == 4, 1_000);
        assertThat(met).isTrue();
        assertThat(s.now()).isEqualTo(40);
    }

    @Test
    void runUntilGivesUpAtTheDeadline() {
        s.schedule(5_000, "too-late", note("too-late"));
        boolean met = s.runUntil(() -> !ran.isEmpty(), 1_000);
        assertThat(met).isFalse();
        assertThat(s.now()).isEqualTo(1_000);
        assertThat(ran).isEmpty();
    }

    @Test
    void aRunawayEventChainEndsInAClearErrorNamingTheCapAndTheSource() {
        Lab small = new Lab(1, 10_000);
        Scheduler sc = small.scheduler();
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> sc.schedule(0, "link l1: br1/p1 -> br2/p1", loop[0]);
        sc.schedule(0, "link l1: br1/p1 -> br2/p1", loop[0]);

        assertThatThrownBy(sc::runUntilIdle)
                .isInstanceOfSatisfying(SimulationLimitException.class, e -> {
                    assertThat(e.limit()).isEqualTo(10_000);
                    assertThat(e.busiestSources()).first().asString().startsWith("link l1: br1/p1 -> br2/p1 (4,096)");
                })
                .hasMessageContaining("10,000 events in one run until idle without reaching idle")
                .hasMessageContaining("virtual time stuck at 0.000000000s")
                .hasMessageContaining("bridge loop or broadcast storm");
        assertThat(sc.executedEvents()).isEqualTo(10_000);
    }

    @Test
    void theDefaultCapIsOneMillionEventsPerRun() {
        assertThat(lab.scheduler().maxEventsPerRun()).isEqualTo(1_000_000);
    }

    @Test
    void theCapCountsPerRunNotForTheWholeLab() {
        Lab small = new Lab(1, 100);
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 100; i++) small.scheduler().schedule(1, "work", () -> { });
            small.scheduler().runUntilIdle();
        }
        assertThat(small.scheduler().executedEvents()).isEqualTo(500);
    }

    @Test
    void anEventCannotRunTheSchedulerItself() {
        s.schedule(1, "reentrant", s::runUntilIdle);
        assertThatThrownBy(s::runUntilIdle).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already running");
    }

    @Test
    void manyRearmsDoNotLeakQueueEntries() {
        Timer t = s.timer("rearmed", note("rearmed"));
        for (int i = 0; i < 100_000; i++) t.start(1_000 + i);
        assertThat(s.pendingEvents()).isEqualTo(1);
        s.runUntilIdle();
        assertThat(ran).containsExactly("rearmed@100999");
    }
}
