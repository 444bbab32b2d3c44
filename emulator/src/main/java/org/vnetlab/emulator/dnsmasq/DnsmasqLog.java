package org.vnetlab.emulator.dnsmasq;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.sim.Scheduler;
import org.vnetlab.emulator.sim.SimTime;

/**
 * What dnsmasq writes to syslog, in order, with virtual timestamps. The tag is {@code dnsmasq} or
 * {@code dnsmasq-dhcp}, as in the journal.
 */
public final class DnsmasqLog {
    public enum Level { ERR, WARNING, INFO }

    public record Line(long nanos, String tag, Level level, String text) {
        @Override
        public String toString() { return SimTime.format(nanos) + " " + tag + ": " + text; }
    }

    private final Scheduler clock;
    private final List<Line> lines = new ArrayList<>();

    public DnsmasqLog(Scheduler clock) {
        this.clock = clock;
    }

    void dns(Level level, String text) { lines.add(new Line(clock.now(), "dnsmasq", level, text)); }

    void dhcp(Level level, String text) { lines.add(new Line(clock.now(), "dnsmasq-dhcp", level, text)); }

    public List<Line> lines() { return List.copyOf(lines); }

    /** The message texts alone, for assertions. */
    public List<String> texts() { return lines.stream().map(Line::text).toList(); }

    /** The lines as journalctl shows them, without the host name: "dnsmasq-dhcp: DHCPACK(virbr0) ...". */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) sb.append(l).append('\n');
        return sb.toString();
    }
}
