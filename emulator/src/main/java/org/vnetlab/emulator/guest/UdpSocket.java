package org.vnetlab.emulator.guest;

import org.vnetlab.protocols.Ipv4Address;

/** A UDP socket: datagrams out, datagrams and ICMP errors in. */
public interface UdpSocket {

    int localPort();

    void send(Ipv4Address destination, int port, byte[] payload);

    /** connect(): fixes the peer; sends to it then draw IP IDs from the socket's own counter, as in Linux. */
    void connect(Ipv4Address destination, int port);

    void close();

    interface Listener {
        void datagram(Ipv4Address from, int fromPort, byte[] payload);

        /** An ICMP error quoting a datagram this socket sent (port unreachable: type 3, code 3). */
        default void error(Ipv4Address from, int type, int code) { }

        /** The stack could not send (no route, no address). */
        default void sendFailed(String reason) { }
    }
}
