package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.testing.Packets;

/**
 * -m limit is a token bucket per rule (xt_limit.c; iptables-nft loads it as nft's limit with the same
 * rate and burst): the burst passes at once, then one packet per period, on the emulated clock.
 */
class LimitMatchTest {
    final MatchBench bench = new MatchBench();
    static final long MS = 1_000_000L;

    List<Boolean> at(Rule rule, RuleRef ref, long... millis) {
        List<Boolean> out = new ArrayList<>();
        long start = bench.now;
        for (long m : millis) {
            PacketContext c = bench.fromGuest(Packets.ping("192.168.122.55", "8.8.8.8", 64, 1, 1));
            out.add(bench.matcher.matches(rule, ref, c, start + m * MS) == Matcher.Result.MATCH);
        }
        return out;
    }

    @Test
    void theBurstPassesAtOnceThenOnePacketPerPeriod() {
        Rule r = MatchBench.rule("FORWARD", "-m limit --limit 2/second --limit-burst 3");
        RuleRef ref = new RuleRef(TableName.FILTER, "FORWARD", 1);
        assertThat(at(r, ref, 0, 1, 2, 3)).containsExactly(true, true, true, false);
        assertThat(at(r, ref, 505, 510, 1010)).as("a token every 500 ms").containsExactly(true, false, true);
    }

    @Test
    void theDefaultIsThreePerHourWithABurstOfFive() {
        Rule r = MatchBench.rule("FORWARD", "-m limit");
        RuleRef ref = new RuleRef(TableName.FILTER, "FORWARD", 1);
        assertThat(at(r, ref, 0, 1, 2, 3, 4, 5)).containsExactly(true, true, true, true, true, false);
        assertThat(at(r, ref, 19 * 60_000, 20 * 60_000 + 10)).containsExactly(false, true);
    }

    @Test
    void eachRuleHasItsOwnBucket() {
        Rule r = MatchBench.rule("FORWARD", "-m limit --limit 1/minute --limit-burst 1");
        assertThat(at(r, new RuleRef(TableName.FILTER, "FORWARD", 1), 0, 1)).containsExactly(true, false);
        assertThat(at(r, new RuleRef(TableName.FILTER, "FORWARD", 2), 2)).containsExactly(true);
    }
}
