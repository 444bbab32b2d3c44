package org.vnetlab.emulator.guest;

import org.vnetlab.protocols.Ipv4Address;

/** Sends ICMP echo requests and reports what comes back for them. */
public interface PingSocket {

    /** Sends one echo request with this socket's identifier. {@code ttl} 0 means the stack's default. */
    void send(Ipv4Address destination, int ttl, int sequence, byte[] payload);

    /** The echo identifier of this socket's requests; only replies and errors carrying it are reported. */
    int identifier();

    void close();

    interface Listener {
        /** An echo reply for this socket: the IP TTL it arrived with and its data. */
        void reply(Ipv4Address from, int ttl, int sequence, byte[] data);

        /**
         * An ICMP error quoting one of this socket's requests (type 3 destination unreachable, 11 time
         * exceeded), or one the stack raised itself (no ARP answer: from = own address, type 3 code 1).
         */
        void error(Ipv4Address from, int type, int code, int sequence);

        /** The stack could not send at all (no route, no address): Linux's connect/sendto error. */
        default void sendFailed(int sequence, String reason) { }
    }
}
