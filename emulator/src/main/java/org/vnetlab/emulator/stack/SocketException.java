package org.vnetlab.emulator.stack;

/**
 * A socket call the kernel would fail at once with an errno (bind to a used port, send to an unreachable
 * network, send to a broadcast address without SO_BROADCAST). Asynchronous errors (refused, timed out) are
 * reported through the socket's error callback instead.
 */
public final class SocketException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Errno errno;

    public SocketException(Errno errno, String detail) {
        super(detail + ": " + errno.text());
        this.errno = errno;
    }

    public Errno errno() { return errno; }
}
