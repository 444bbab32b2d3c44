package org.vnetlab.emulator.guest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.Ipv4Address;

/**
 * {@code curl URL} over plain HTTP: resolve, connect, send the request curl sends (as in the reference
 * capture: "GET / HTTP/1.1", Host, User-Agent, Accept), read until the server closes or Content-Length is
 * in, print the body (or the headers with {@code -I}/{@code -i}). Failures print curl's error line and exit
 * with its code: 6 (could not resolve), 7 (could not connect), 28 (timed out), 56 (reset). HTTPS is not
 * emulated and is refused by name.
 */
final class Curl implements Command {
    private final String url;
    private final String host;
    private final int port;
    private final String path;
    private final boolean silent;
    private final boolean showErrors;
    private final boolean head;
    private final boolean include;
    private final long maxTimeNanos;
    private final String userAgent;

    private Run run;
    private long started;
    private Ipv4Address address;
    private TcpConnection connection;
    private final ByteArrayOutputStream response = new ByteArrayOutputStream();
    private boolean connected;

    private Curl(String url, String host, int port, String path, boolean silent, boolean showErrors, boolean head,
                 boolean include, long maxTimeNanos, String userAgent) {
        this.url = url;
        this.host = host;
        this.port = port;
        this.path = path;
        this.silent = silent;
        this.showErrors = showErrors;
        this.head = head;
        this.include = include;
        this.maxTimeNanos = maxTimeNanos;
        this.userAgent = userAgent;
    }

    /** {@code version} is what the User-Agent says: curl/7.88.1 on Debian 12, curl.exe's on Windows. */
    static Curl parse(List<String> args, String version) throws CommandException {
        String url = null;
        boolean silent = false, showErrors = false, head = false, include = false;
        long maxTime = 0;
        Args a = new Args(args);
        while (a.more()) {
            String w = a.next();
            switch (w) {
                case "-s", "--silent" -> silent = true;
                case "-S", "--show-error" -> showErrors = true;
                case "-sS", "-Ss" -> { silent = true; showErrors = true; }
                case "-I", "--head" -> head = true;
                case "-i", "--include" -> include = true;
                case "-m", "--max-time", "--connect-timeout" -> maxTime = SimTime.seconds(Args.number(w,
                        a.value(w, "curl: option " + w + ": requires parameter\n"), 1, 86400,
                        "curl: option " + w + ": expected a proper numerical parameter\n"));
                default -> {
                    if (w.startsWith("-")) {
                        throw new CommandException(w, "curl option not emulated",
                                "curl: option " + w + ": is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n", 2);
                    }
                    if (url != null) throw new CommandException(w, "curl here fetches one URL");
                    url = w;
                }
            }
        }
        if (url == null) {
            throw new CommandException("curl", "curl needs a URL", "curl: try 'curl --help' or 'curl --manual' for more information\n", 2);
        }
        String rest = url;
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) throw new CommandException(url, "HTTPS (TLS) is not emulated: use http://");
        if (lower.startsWith("http://")) rest = url.substring(7);
        else if (lower.contains("://")) throw new CommandException(url, "only http:// URLs are emulated");
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        int port = 80;
        int colon = authority.indexOf(':');
        String host = authority;
        if (colon >= 0) {
            host = authority.substring(0, colon);
            port = (int) Args.number(url, authority.substring(colon + 1), 1, 65535, "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n");
        }
        if (host.isEmpty()) throw new CommandException(url, "no host in URL", "curl: (3) URL rejected: No host part in the URL\n", 3);
        return new Curl(url, host, port, path, silent, showErrors, head, include, maxTime, version);
    }

    @Override
    public void start(Run r) {
        run = r;
        started = run.now();
        if (maxTimeNanos > 0) {
            run.after(maxTimeNanos, "curl max time", () -> fail(28, connected
                    ? "Operation timed out after " + elapsedMs() + " milliseconds with " + response.size() + " bytes received"
                    : "Connection timed out after " + elapsedMs() + " milliseconds", new Outcome.Timeout()));
        }
        StubResolver.addressOf(run, host, this::connect,
                answer -> fail(6, "Could not resolve host: " + host, StubResolver.outcomeOf(answer)));
    }

    private long elapsedMs() {
        return (run.now() - started) / SimTime.NANOS_PER_MILLI;
    }

    private void connect(Ipv4Address a) {
        address = a;
        connection = run.net().connect(a, port, 0, new TcpConnection.Listener() {
            @Override public void connected() {
                connected = true;
                run.outcome(new Outcome.Connected(address, port));
                String request = (head ? "HEAD " : "GET ") + path + " HTTP/1.1\r\nHost: " + host + (port == 80 ? "" : ":" + port)
                        + "\r\nUser-Agent: " + userAgent + "\r\nAccept: */*\r\n\r\n";
                connection.send(request.getBytes(StandardCharsets.ISO_8859_1));
            }

            @Override public void data(byte[] data) {
                response.writeBytes(data);
                if (complete()) done();
            }

            @Override public void peerClosed() { done(); }

            @Override public void failed(TcpConnection.Failure failure, Ipv4Address from, int type, int code) {
                String target = "Failed to connect to " + host + " port " + port + " after " + elapsedMs() + " ms: ";
                switch (failure) {
                    case REFUSED -> fail(7, target + "Couldn't connect to server", new Outcome.Refused(address, port));
                    case TIMED_OUT -> fail(28, target + "Couldn't connect to server", new Outcome.Timeout());
                    case UNREACHABLE -> fail(7, target + "Couldn't connect to server",
                            type == 11 ? new Outcome.TtlExceeded(from) : new Outcome.Unreachable(type, code, from));
                    case NO_ROUTE -> fail(7, target + "Couldn't connect to server", new Outcome.SendFailed("no route"));
                    case RESET -> fail(56, "Recv failure: Connection reset by peer", new Outcome.Reset(address, port));
                }
            }
        });
        run.onFinish(() -> { if (connection != null) connection.close(); });
    }

    /** Headers in and, when Content-Length is given, that many body bytes. */
    private boolean complete() {
        String text = response.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) return false;
        if (head) return true;
        for (String h : text.substring(0, end).split("\r\n")) {
            if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                try {
                    return text.length() - end - 4 >= Integer.parseInt(h.substring(15).trim());
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
    }

    private void done() {
        if (run.done()) return;
        String text = response.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            fail(52, "Empty reply from server", new Outcome.Reset(address, port));
            return;
        }
        String statusLine = text.substring(0, text.indexOf("\r\n"));
        int status = 0;
        String[] parts = statusLine.split(" ");
        if (parts.length >= 2) {
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException ignored) {
                status = 0;
            }
        }
        String body = text.substring(end + 4);
        if (head || include) run.print(text.substring(0, end + 4));
        if (!head) run.print(body);
        run.outcome(new Outcome.HttpResponse(status, body));
        connection.close();
        run.finish(0);
    }

    private void fail(int code, String message, Outcome outcome) {
        if (run.done()) return;
        if (!silent || showErrors) run.line("curl: (" + code + ") " + message);
        run.outcome(outcome);
        run.finish(code);
    }
}
