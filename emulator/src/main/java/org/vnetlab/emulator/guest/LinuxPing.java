package org.vnetlab.emulator.guest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.protocols.Ipv4Address;

/**
 * iputils {@code ping} on a ping socket: the kernel picks the echo identifier (one per socket); 56 data
 * bytes by default, of which the first 16 are the send time as a 64-bit struct timeval (seconds, then
 * microseconds, little endian) and the rest the bytes 0x10, 0x11, ... (as in the reference capture); a
 * request every second whatever comes back; timeouts print nothing. After the last request it lingers for
 * outstanding answers: twice the largest RTT (at least one interval) if anything came back, else 10 s or
 * {@code -W}. Exit status: 0 if any reply, 1 if none, 2 on errors before sending.
 */
final class LinuxPing implements Command {
    private static final String USAGE = """

            Usage
              ping [options] <destination>
            """;

    private final String target;
    private final int count;
    private final int size;
    private final int ttl;
    private final long intervalNanos;
    private final long lingerNanos;

    private Run run;
    private Ipv4Address destination;
    private PingSocket socket;
    private int identifier;
    private int sent;
    private int received;
    private int errors;
    private final Set<Integer> answered = new HashSet<>();
    private final List<Long> sentAt = new ArrayList<>();
    private final List<Long> rtts = new ArrayList<>();
    private long firstSend;
    private long lastSend;
    private Timer sendTimer;
    private Timer lingerTimer;

    private LinuxPing(String target, int count, int size, int ttl, long intervalNanos, long lingerNanos) {
        this.target = target;
        this.count = count;
        this.size = size;
        this.ttl = ttl;
        this.intervalNanos = intervalNanos;
        this.lingerNanos = lingerNanos;
    }

    /** Without {@code -c} real ping runs until Ctrl+C; here it stops after 4, as if interrupted then. */
    static LinuxPing parse(List<String> words) throws CommandException {
        Args a = new Args(words);
        String target = null;
        int count = 4, size = 56, ttl = 0;
        long interval = SimTime.seconds(1), linger = SimTime.seconds(10);
        while (a.more()) {
            String w = a.next();
            if (w.startsWith("-") && w.length() > 1) {
                String opt = w.substring(1, 2);
                String inline = w.length() > 2 ? w.substring(2) : null;
                String missing = "ping: option requires an argument -- '" + opt + "'\n" + USAGE;
                switch (opt) {
                    case "c" -> count = (int) Args.number(w, inline != null ? inline : a.value(w, missing), 1, Integer.MAX_VALUE,
                            "ping: invalid argument: '" + w + "': out of range: 1 <= value <= 9223372036854775807\n");
                    case "s" -> size = (int) Args.number(w, inline != null ? inline : a.value(w, missing), 0, 65507,
                            "ping: invalid -s value: out of range: 0 <= value <= 65507\n");
                    case "t" -> ttl = (int) Args.number(w, inline != null ? inline : a.value(w, missing), 1, 255,
                            "ping: invalid argument: out of range: 0 <= value <= 255\n");
                    case "W" -> linger = seconds(w, inline != null ? inline : a.value(w, missing));
                    case "i" -> interval = seconds(w, inline != null ? inline : a.value(w, missing));
                    case "n", "4", "q" -> {
                        if (inline != null) throw new CommandException(w, "combined flags are not emulated");
                    }
                    default -> throw new CommandException(w, "unknown ping option",
                            "ping: invalid option -- '" + opt + "'\n" + USAGE, 2);
                }
            } else if (target == null) {
                target = w;
            } else {
                throw new CommandException(w, "ping takes one destination", "ping: usage error: Destination address required\n", 2);
            }
        }
        if (target == null) throw new CommandException("ping", "ping needs a destination", "ping: usage error: Destination address required\n", 2);
        return new LinuxPing(target, count, size, ttl, interval, linger);
    }

    private static long seconds(String option, String text) throws CommandException {
        try {
            double s = Double.parseDouble(text);
            if (!(s >= 0) || s > 2_000_000) throw new NumberFormatException();
            return (long) (s * SimTime.NANOS_PER_SECOND);
        } catch (NumberFormatException e) {
            throw new CommandException(text, "bad time for " + option, "ping: bad timing interval: " + text + "\n", 2);
        }
    }

    @Override
    public void start(Run r) {
        run = r;
        StubResolver.addressOf(run, target, this::begin, answer -> {
            boolean noName = answer instanceof StubResolver.Answer.NxDomain || answer instanceof StubResolver.Answer.NoData;
            run.line("ping: " + target + ": " + (noName ? "Name or service not known" : "Temporary failure in name resolution"));
            run.outcome(StubResolver.outcomeOf(answer));
            run.finish(2);
        });
    }

    private void begin(Ipv4Address dst) {
        destination = dst;
        socket = run.net().openPing(run.guest().nextLinuxPingIdentifier(), new PingSocket.Listener() {
            @Override public void reply(Ipv4Address from, int replyTtl, int seq, byte[] data) {
                if (seq < 1 || seq > sent || !answered.add(seq) || run.done()) return;
                long rtt = run.now() - sentAt.get(seq - 1);
                rtts.add(rtt);
                received++;
                String who = StubResolver.isAddress(target) ? from.toString() : from + " (" + from + ")";
                run.line((data.length + 8) + " bytes from " + who + ": icmp_seq=" + seq + " ttl=" + replyTtl
                        + (size >= 16 ? " time=" + millis(rtt) + " ms" : ""));
                run.outcome(new Outcome.Reply(from, replyTtl, rtt));
                maybeDone();
            }

            @Override public void error(Ipv4Address from, int type, int code, int seq) {
                if (seq < 1 || seq > sent || !answered.add(seq) || run.done()) return;
                errors++;
                run.line("From " + from + " icmp_seq=" + seq + " " + errorText(type, code));
                run.outcome(type == 11 ? new Outcome.TtlExceeded(from) : new Outcome.Unreachable(type, code, from));
                maybeDone();
            }

            @Override public void sendFailed(int seq, String reason) {
                if (run.done()) return;
                if (sent == 1) {
                    // iputils connects a probe socket first: no route ends it before any output.
                    run.line("ping: connect: " + reason);
                    run.outcome(new Outcome.SendFailed(reason));
                    run.finish(2);
                    return;
                }
                run.line("ping: sendmsg: " + reason);
                errors++;
                answered.add(seq);
                run.outcome(new Outcome.SendFailed(reason));
            }
        });
        identifier = socket.identifier();
        run.onFinish(socket::close);
        sendOne();
    }

    /** iputils' kernel-style names for ICMP errors (pr_icmph). */
    static String errorText(int type, int code) {
        if (type == 11) return code == 0 ? "Time to live exceeded" : "Frag reassembly time exceeded";
        if (type != 3) return "Bad ICMP type: " + type;
        return switch (code) {
            case 0 -> "Destination Net Unreachable";
            case 1 -> "Destination Host Unreachable";
            case 2 -> "Destination Protocol Unreachable";
            case 3 -> "Destination Port Unreachable";
            case 4 -> "Frag needed and DF set";
            case 5 -> "Source Route Failed";
            case 6 -> "Destination Net Unknown";
            case 7 -> "Destination Host Unknown";
            case 8 -> "Source Host Isolated";
            case 9 -> "Destination Net Prohibited";
            case 10 -> "Destination Host Prohibited";
            case 11 -> "Destination Net Unreachable for Type of Service";
            case 12 -> "Destination Host Unreachable for Type of Service";
            case 13 -> "Packet filtered";
            case 14 -> "Precedence Violation";
            case 15 -> "Precedence Cutoff";
            default -> "Dest Unreachable, Bad Code: " + code;
        };
    }

    private void sendOne() {
        sent++;
        long now = run.now();
        if (sent == 1) firstSend = now;
        lastSend = now;
        sentAt.add(now);
        socket.send(destination, ttl, sent, payload(size, run.guest().wallClock()));
        if (run.done()) return; // iputils' probe connect failed: no header, just the error
        if (sent == 1) run.line("PING " + target + " (" + destination + ") " + size + "(" + (size + 28) + ") bytes of data.");
        if (sent < count) {
            sendTimer = run.after(intervalNanos, "ping interval", this::sendOne);
        } else {
            long linger = lingerNanos;
            if (received > 0) {
                long tmax = rtts.stream().mapToLong(Long::longValue).max().orElse(0);
                linger = Math.max(2 * tmax, intervalNanos);
            }
            lingerTimer = run.after(linger, "ping linger", this::statistics);
        }
    }

    private void maybeDone() {
        if (sent >= count && answered.size() >= sent) {
            if (lingerTimer != null) lingerTimer.cancel();
            statistics();
        }
    }

    static byte[] payload(int size, Instant now) {
        byte[] b = new byte[size];
        int start = 0;
        if (size >= 16) {
            putLe(b, 0, now.getEpochSecond());
            putLe(b, 8, now.getNano() / 1000);
            start = 16;
        }
        for (int i = start; i < size; i++) b[i] = (byte) i;
        return b;
    }

    private static void putLe(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) b[at + i] = (byte) (v >>> (8 * i));
    }

    /** iputils prints 3 significant decimals below 1 ms ... (e.g. 0.123, 1.23, 12.3, 123). */
    static String millis(long nanos) {
        long us = nanos / 1000;
        if (us >= 100_000) return Long.toString(us / 1000);
        if (us >= 10_000) return (us / 1000) + "." + (us % 1000) / 100;
        if (us >= 1_000) return (us / 1000) + "." + String.format(Locale.ROOT, "%02d", (us % 1000) / 10);
        return (us / 1000) + "." + String.format(Locale.ROOT, "%03d", us % 1000);
    }

    private static String threeDecimals(double ms) {
        return String.format(Locale.ROOT, "%.3f", ms);
    }

    private void statistics() {
        if (run.done()) return;
        if (sendTimer != null) sendTimer.cancel();
        run.line();
        run.line("--- " + target + " ping statistics ---");
        StringBuilder s = new StringBuilder();
        s.append(sent).append(" packets transmitted, ").append(received).append(" received");
        if (errors > 0) s.append(", +").append(errors).append(" errors");
        s.append(", ").append(percent((sent - received) * 100.0 / sent)).append("% packet loss, time ")
                .append((lastSend - firstSend) / SimTime.NANOS_PER_MILLI).append("ms");
        run.line(s.toString());
        if (!rtts.isEmpty() && size >= 16) {
            double min = Double.MAX_VALUE, max = 0, sum = 0, sum2 = 0;
            for (long r : rtts) {
                double ms = r / 1e6;
                min = Math.min(min, ms);
                max = Math.max(max, ms);
                sum += ms;
                sum2 += ms * ms;
            }
            double avg = sum / rtts.size();
            double mdev = Math.sqrt(Math.max(0, sum2 / rtts.size() - avg * avg));
            run.line("rtt min/avg/max/mdev = " + threeDecimals(min) + "/" + threeDecimals(avg) + "/" + threeDecimals(max)
                    + "/" + threeDecimals(mdev) + " ms");
        }
        for (int seq = 1; seq <= sent; seq++) {
            if (!answered.contains(seq)) run.outcome(new Outcome.Timeout());
        }
        run.finish(received > 0 ? 0 : 1);
    }

    /** printf's %g as iputils uses it for the loss: 0, 25, 33.3333, 100. */
    static String percent(double v) {
        String g = String.format(Locale.ROOT, "%.6g", v);
        if (g.contains("e")) return g;
        if (g.contains(".")) g = g.replaceAll("0+$", "").replaceAll("\\.$", "");
        return g;
    }
}
