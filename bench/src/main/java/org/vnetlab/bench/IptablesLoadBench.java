package org.vnetlab.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.IptablesScript;

/**
 * Loading a large ruleset: an iptables-save file of {@code rules} rules with counters (a block list in a user
 * chain, port rules in FORWARD, as {@code iptables-save -c} prints them), and the same rules as a script of
 * {@code iptables -A} commands. One invocation loads the whole file; time per load. Doubling {@code rules}
 * should about double the time if loading is linear.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class IptablesLoadBench {
    @Param({"5000", "10000", "20000"})
    public int rules;

    private String save;
    private String script;

    @Setup
    public void setUp() {
        int ports = rules / 10;
        StringBuilder s = new StringBuilder("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + ":BLOCKLIST - [0:0]\n[7:420] -A FORWARD -j BLOCKLIST\n");
        StringBuilder c = new StringBuilder("iptables -N BLOCKLIST\niptables -A FORWARD -j BLOCKLIST\n");
        for (int p = 0; p < ports; p++) {
            String rule = "FORWARD -s 192.168.122.0/24 -p tcp -m tcp --dport " + (1000 + p) + " -j ACCEPT";
            s.append('[').append(p).append(":60] -A ").append(rule).append('\n');
            c.append("iptables -A ").append(rule).append('\n');
        }
        for (int i = 0; i < rules - ports - 1; i++) {
            String rule = "BLOCKLIST -d 10." + (i / 256) % 256 + "." + i % 256 + "." + (i / 65536) * 4 + "/30 -j DROP";
            s.append("[1:60] -A ").append(rule).append('\n');
            c.append("iptables -A ").append(rule).append('\n');
        }
        save = s.append("COMMIT\n").toString();
        script = c.toString();
    }

    @Benchmark
    public Ruleset restore() throws InputException {
        return IptablesSaveParser.restore(Ruleset.EMPTY, new RuleCounters(), save, "big.rules", false);
    }

    @Benchmark
    public Ruleset script() throws InputException {
        return IptablesScript.apply(Ruleset.EMPTY, new RuleCounters(), script, "big.sh").ruleset();
    }
}
