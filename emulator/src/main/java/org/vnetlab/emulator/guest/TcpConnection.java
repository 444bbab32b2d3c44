package org.vnetlab.emulator.guest;

/** A client TCP connection as a socket user sees it. */
public interface TcpConnection {

    int localPort();

    void send(byte[] data);

    /** Sends FIN once queued data is out. */
    void close();

    /** Why a connect or an open connection failed. */
    enum Failure {
        /** RST answering the SYN: ECONNREFUSED. */
        REFUSED,
        /** SYN retransmissions exhausted: ETIMEDOUT. */
        TIMED_OUT,
        /** An ICMP destination unreachable (EHOSTUNREACH, ENETUNREACH, ECONNREFUSED for port unreachable). */
        UNREACHABLE,
        /** RST on an established connection: ECONNRESET. */
        RESET,
        /** No route or address: the connect call failed at once. */
        NO_ROUTE
    }

    interface Listener {
        void connected();

        void data(byte[] data);

        /** The peer sent FIN. */
        void peerClosed();

        /** {@code icmpFrom}, {@code icmpType}, {@code icmpCode} are set for {@link Failure#UNREACHABLE} only. */
        void failed(Failure failure, org.vnetlab.protocols.Ipv4Address icmpFrom, int icmpType, int icmpCode);
    }
}
