package org.vnetlab.emulator.guest;

import java.util.List;
import java.util.Map;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.Ipv4Address;

/**
 * Debian's netcat ({@code netcat-openbsd}) in its port-probe mode: {@code nc -z [-v] [-n] [-w SECS] HOST PORT}
 * opens a TCP connection (the three-way handshake), closes it at once and sends nothing, so it tests a port
 * whatever protocol is spoken there (TLS is not emulated; a handshake needs none). With {@code -v} it says
 * what happened as Debian's netcat words it (a connect timeout: "timed out: Operation now in progress"); the exit status is 0 when the connection opened, 1 when not. Without
 * {@code -z} netcat would relay standard input, which the guests do not have: refused by name.
 */
final class Nc implements Command {
    /** /etc/services names netcat prints in {@code [tcp/NAME]}. */
    private static final Map<Integer, String> SERVICES = Map.of(22, "ssh", 25, "smtp", 53, "domain", 80, "http", 443, "https",
            853, "domain-s", 8080, "http-alt");

    private final String host;
    private final int port;
    private final boolean verbose;
    private final boolean numeric;
    private final long timeoutNanos;

    private Run run;
    private Ipv4Address address;

    private Nc(String host, int port, boolean verbose, boolean numeric, long timeoutNanos) {
        this.host = host;
        this.port = port;
        this.verbose = verbose;
        this.numeric = numeric;
        this.timeoutNanos = timeoutNanos;
    }

    static Nc parse(List<String> args) throws CommandException {
        boolean zero = false, verbose = false, numeric = false;
        long timeout = 0;
        String host = null, portText = null;
        Args a = new Args(args);
        while (a.more()) {
            String w = a.next();
            if (w.startsWith("-") && w.length() > 1) {
                // netcat takes bundled flags (-zv, -zvw5) like getopt does
                for (int i = 1; i < w.length(); i++) {
                    char c = w.charAt(i);
                    switch (c) {
                        case 'z' -> zero = true;
                        case 'v' -> verbose = true;
                        case 'n' -> numeric = true;
                        case '4' -> { }
                        case 'w' -> {
                            String v = i + 1 < w.length() ? w.substring(i + 1) : a.value("-w", "nc: option requires an argument -- 'w'\n");
                            timeout = SimTime.seconds(Args.number("-w", v, 1, 86400, "nc: timeout invalid: " + v + "\n"));
                            i = w.length();
                        }
                        default -> throw new CommandException(w, "nc option -" + c + " not emulated (nc -z [-v] [-n] [-w SECS] HOST PORT is)",
                                "nc: invalid option -- '" + c + "'\n", 1);
                    }
                }
            } else if (host == null) {
                host = w;
            } else if (portText == null) {
                portText = w;
            } else {
                throw new CommandException(w, "nc here probes one port", null, 1);
            }
        }
        if (host == null || portText == null) {
            throw new CommandException("nc", "nc needs a host and a port", "usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n", 1);
        }
        if (!zero) {
            throw new CommandException("nc", "only nc -z (open the connection, send nothing) is emulated: the guests have no standard input to relay");
        }
        int port = (int) Args.number("port", portText, 1, 65535, "nc: port number invalid: " + portText + "\n");
        if (numeric && !StubResolver.isAddress(host)) {
            throw new CommandException(host, "with -n the host must be an address",
                    "nc: getaddrinfo for host \"" + host + "\" port " + port + ": Name or service not known\n", 1);
        }
        return new Nc(host, port, verbose, numeric, timeout);
    }

    @Override
    public void start(Run r) {
        run = r;
        if (timeoutNanos > 0) {
            run.after(timeoutNanos, "nc -w", () -> fail("timed out: Operation now in progress", new Outcome.Timeout()));
        }
        StubResolver.addressOf(run, host, this::connect, answer -> {
            run.line("nc: getaddrinfo for host \"" + host + "\" port " + port + ": "
                    + (answer instanceof StubResolver.Answer.NxDomain ? "Name or service not known" : "Temporary failure in name resolution"));
            run.outcome(StubResolver.outcomeOf(answer));
            run.finish(1);
        });
    }

    private void connect(Ipv4Address a) {
        address = a;
        TcpConnection[] connection = new TcpConnection[1];
        connection[0] = run.net().connect(a, port, 0, new TcpConnection.Listener() {
            @Override public void connected() {
                if (run.done()) return;
                if (verbose) run.line("Connection to " + who() + " " + port + " port [tcp/" + SERVICES.getOrDefault(port, "*") + "] succeeded!");
                run.outcome(new Outcome.Connected(address, port));
                run.finish(0);
            }

            @Override public void data(byte[] data) { }

            @Override public void peerClosed() { }

            @Override public void failed(TcpConnection.Failure failure, Ipv4Address from, int type, int code) {
                switch (failure) {
                    case REFUSED -> fail("failed: Connection refused", new Outcome.Refused(address, port));
                    case TIMED_OUT -> fail("failed: Connection timed out", new Outcome.Timeout());
                    case UNREACHABLE -> fail("failed: " + errno(type, code),
                            type == 11 ? new Outcome.TtlExceeded(from) : new Outcome.Unreachable(type, code, from));
                    case NO_ROUTE -> fail("failed: Network is unreachable", new Outcome.SendFailed("no route"));
                    case RESET -> fail("failed: Connection reset by peer", new Outcome.Reset(address, port));
                }
            }
        });
        run.onFinish(() -> connection[0].close());
    }

    /** The kernel's errno for an ICMP error on a connecting socket (icmp_err_convert), as strerror words it. */
    private static String errno(int type, int code) {
        if (type != 3) return "No route to host";
        return switch (code) {
            case 0, 6, 9, 11 -> "Network is unreachable";
            case 2 -> "Protocol not available";
            case 3 -> "Connection refused";
            case 4 -> "Message too long";
            case 7 -> "Host is down";
            case 8 -> "Machine is not on the network";
            default -> "No route to host";
        };
    }

    /** The host as given, with the address it resolved to when that differs. */
    private String who() {
        return address == null || host.equals(address.toString()) ? host : host + " (" + address + ")";
    }

    private void fail(String why, Outcome outcome) {
        if (run.done()) return;
        // netcat reports a failed connect only with -v; the exit status says it either way
        if (verbose) run.line("nc: connect to " + who() + " port " + port + " (tcp) " + why);
        run.outcome(outcome);
        run.finish(1);
    }
}
