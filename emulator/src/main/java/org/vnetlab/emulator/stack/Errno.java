package org.vnetlab.emulator.stack;

/**
 * The errors a socket operation or an asynchronous socket error reports, with Linux's errno numbers and
 * strerror texts (what {@code ping}, {@code curl} or {@code dig} print).
 */
public enum Errno {
    EPERM(1, "Operation not permitted"),
    EACCES(13, "Permission denied"),
    EINVAL(22, "Invalid argument"),
    EPROTO(71, "Protocol error"),
    EMSGSIZE(90, "Message too long"),
    EADDRINUSE(98, "Address already in use"),
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    ENETUNREACH(101, "Network is unreachable"),
    ECONNRESET(104, "Connection reset by peer"),
    ENOTCONN(107, "Transport endpoint is not connected"),
    ETIMEDOUT(110, "Connection timed out"),
    ECONNREFUSED(111, "Connection refused"),
    EHOSTUNREACH(113, "No route to host"),
    EHOSTDOWN(112, "Host is down"),
    ENOPROTOOPT(92, "Protocol not available"),
    EOPNOTSUPP(95, "Operation not supported"),
    ENONET(64, "Machine is not on the network");

    private final int number;
    private final String text;

    Errno(int number, String text) {
        this.number = number;
        this.text = text;
    }

    public int number() { return number; }

    /** strerror(3). */
    public String text() { return text; }

    @Override
    public String toString() { return name() + " (" + text + ")"; }
}
