package org.vnetlab.emulator.stack;

import org.vnetlab.protocols.Ipv4Address;

/**
 * A listening TCP socket. A SYN to its port gets a SYN-ACK at once (no SYN cookies, no backlog limit
 * emulated); when the handshake completes, {@link Acceptor#accept} is told about the new connection and
 * returns the handler for its events.
 */
public final class TcpListener {
    /** accept(): hands over an established connection, returns who handles it. */
    @FunctionalInterface
    public interface Acceptor {
        TcpConnection.Handler accept(TcpConnection connection);
    }

    private final Tcp tcp;
    private final Ipv4Address address;
    private final int port;
    private final Acceptor acceptor;
    private boolean closed;

    TcpListener(Tcp tcp, Ipv4Address address, int port, Acceptor acceptor) {
        this.tcp = tcp;
        this.address = address;
        this.port = port;
        this.acceptor = acceptor;
    }

    public Ipv4Address address() { return address; }

    public int port() { return port; }

    public boolean isClosed() { return closed; }

    Acceptor acceptor() { return acceptor; }

    /** close(): later SYNs to the port are answered with RST. */
    public void close() {
        closed = true;
        tcp.closeListener(this);
    }

    @Override
    public String toString() { return "TcpListener[" + address + ":" + port + "]"; }
}
