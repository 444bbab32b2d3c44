package org.vnetlab.emulator.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.protocols.Ipv4Address;

/**
 * Windows 10's {@code ping.exe}: echo requests with identifier 1 and the system-wide sequence number (it
 * keeps counting across runs), 32 bytes of "abcdefghijklmnopqrstuvw" repeated, TTL 128 unless {@code -i};
 * each echo waits up to {@code -w} ms (4000) and the next one goes out a second after the previous was
 * sent (at once after a timeout). ICMP errors print as "Reply from X: ..." and count as received, which is
 * also why ping's exit status is 0 for them (a well-known Windows quirk: only "Received = 0" gives 1).
 */
final class WindowsPing implements Command {
    private static final String PATTERN = "abcdefghijklmnopqrstuvw";
    private static final String USAGE = """

            Usage: ping [-t] [-a] [-n count] [-l size] [-f] [-i TTL] [-v TOS]
                        [-r count] [-s count] [[-j host-list] | [-k host-list]]
                        [-w timeout] [-R] [-S srcaddr] [-c compartment] [-p]
                        [-4] [-6] target_name
            """;

    private final String target;
    private final int count;
    private final int size;
    private final int ttl;
    private final long timeoutNanos;

    private Run run;
    private Ipv4Address destination;
    private PingSocket socket;
    private int sent;
    private int received;
    private final List<Long> rtts = new ArrayList<>();
    private int pending = -1;
    private long sentAt;
    private Timer timeout;

    private WindowsPing(String target, int count, int size, int ttl, long timeoutNanos) {
        this.target = target;
        this.count = count;
        this.size = size;
        this.ttl = ttl;
        this.timeoutNanos = timeoutNanos;
    }

    static WindowsPing parse(List<String> words) throws CommandException {
        Args a = new Args(words);
        String target = null;
        int count = 4, size = 32, ttl = 128;
        long timeoutMs = 4000;
        while (a.more()) {
            String w = a.next();
            if (w.length() > 1 && (w.charAt(0) == '-' || w.charAt(0) == '/')) {
                String opt = w.substring(1).toLowerCase(Locale.ROOT);
                String missing = "Value must be supplied for option " + w + ".\n" + USAGE;
                String bad = "Bad value for option " + w + ", valid range is from 1 to 4294967295.\n\n";
                switch (opt) {
                    case "n" -> count = (int) Args.number(w, a.value(w, missing), 1, Integer.MAX_VALUE, bad);
                    case "l" -> size = (int) Args.number(w, a.value(w, missing), 0, 65500,
                            "Bad value for option " + w + ", valid range is from 0 to 65500.\n\n");
                    case "i" -> ttl = (int) Args.number(w, a.value(w, missing), 1, 255,
                            "Bad value for option " + w + ", valid range is from 1 to 255.\n\n");
                    case "w" -> timeoutMs = Args.number(w, a.value(w, missing), 1, 4294967295L, bad);
                    case "4" -> { }
                    case "t" -> throw new CommandException(w, "ping -t runs until Ctrl+C, which a scenario cannot press: give -n COUNT");
                    case "a", "f", "v", "r", "s", "j", "k", "6", "p", "c" ->
                            throw new CommandException(w, "ping option " + w + " is not emulated");
                    default -> throw new CommandException(w, "unknown ping option", "Bad option " + w + ".\n" + USAGE, 1);
                }
            } else if (target == null) {
                target = w;
            } else {
                throw new CommandException(w, "ping takes one target", "Bad parameter " + w + ".\n", 1);
            }
        }
        if (target == null) throw new CommandException("ping", "ping needs a target", USAGE, 1);
        return new WindowsPing(target, count, size, ttl, SimTime.millis(timeoutMs));
    }

    @Override
    public void start(Run r) {
        run = r;
        StubResolver.addressOf(run, target, a -> begin(a, StubResolver.isAddress(target) ? target : target + " [" + a + "]"),
                answer -> {
                    run.line("Ping request could not find host " + target + ". Please check the name and try again.");
                    run.outcome(StubResolver.outcomeOf(answer));
                    run.finish(1);
                });
    }

    private void begin(Ipv4Address dst, String shown) {
        destination = dst;
        run.line();
        run.line("Pinging " + shown + " with " + size + " bytes of data:");
        socket = run.net().openPing(1, new PingSocket.Listener() {
            @Override public void reply(Ipv4Address from, int replyTtl, int seq, byte[] data) {
                if (seq != pending || run.done()) return;
                long rtt = run.now() - sentAt;
                long ms = rtt / SimTime.NANOS_PER_MILLI;
                rtts.add(ms);
                received++;
                run.line("Reply from " + from + ": bytes=" + data.length + " time" + (ms < 1 ? "<1ms" : "=" + ms + "ms")
                        + " TTL=" + replyTtl);
                run.outcome(new Outcome.Reply(from, replyTtl, rtt));
                answered();
            }

            @Override public void error(Ipv4Address from, int type, int code, int seq) {
                if (seq != pending || run.done()) return;
                received++;
                run.line("Reply from " + from + ": " + errorText(type, code));
                run.outcome(type == 11 ? new Outcome.TtlExceeded(from) : new Outcome.Unreachable(type, code, from));
                answered();
            }

            @Override public void sendFailed(int seq, String reason) {
                if (seq != pending || run.done()) return;
                run.line("PING: transmit failed. General failure. ");
                run.outcome(new Outcome.SendFailed(reason));
                timeout.cancel();
                pending = -1;
                next(0);
            }
        });
        run.onFinish(socket::close);
        sendOne();
    }

    /** The texts ping.exe prints for ICMP errors (IP_DEST_* status codes of IcmpSendEcho). */
    static String errorText(int type, int code) {
        if (type == 11) return code == 1 ? "TTL expired during reassembly." : "TTL expired in transit.";
        if (type == 3) {
            return switch (code) {
                case 0, 6, 11 -> "Destination net unreachable.";
                case 2 -> "Destination protocol unreachable.";
                case 3 -> "Destination port unreachable.";
                case 4 -> "Packet needs to be fragmented but DF set.";
                case 5 -> "Source route failed.";
                default -> "Destination host unreachable.";
            };
        }
        return "General failure.";
    }

    private void sendOne() {
        sent++;
        pending = run.guest().nextWindowsPingSequence();
        sentAt = run.now();
        timeout = run.after(timeoutNanos, "ping timeout", () -> {
            run.line("Request timed out.");
            run.outcome(new Outcome.Timeout());
            pending = -1;
            next(0);
        });
        socket.send(destination, ttl, pending, payload(size));
    }

    private void answered() {
        timeout.cancel();
        pending = -1;
        next(Math.max(0, sentAt + SimTime.seconds(1) - run.now()));
    }

    private void next(long delay) {
        if (sent >= count) {
            statistics();
            return;
        }
        if (delay == 0) sendOne();
        else run.after(delay, "ping interval", this::sendOne);
    }

    static byte[] payload(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte) PATTERN.charAt(i % PATTERN.length());
        return b;
    }

    private void statistics() {
        int lost = sent - received;
        run.line();
        run.line("Ping statistics for " + destination + ":");
        run.line("    Packets: Sent = " + sent + ", Received = " + received + ", Lost = " + lost + " ("
                + (lost * 100 / sent) + "% loss),");
        if (!rtts.isEmpty()) {
            long min = rtts.stream().mapToLong(Long::longValue).min().orElse(0);
            long max = rtts.stream().mapToLong(Long::longValue).max().orElse(0);
            long avg = rtts.stream().mapToLong(Long::longValue).sum() / rtts.size();
            run.line("Approximate round trip times in milli-seconds:");
            run.line("    Minimum = " + min + "ms, Maximum = " + max + "ms, Average = " + avg + "ms");
        }
        run.finish(received > 0 ? 0 : 1);
    }
}
