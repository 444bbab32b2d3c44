package org.vnetlab.emulator.differential;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.Ipv4Address;

/** A machine a probe runs on: it picks a source address by route and sends datagrams from its stack. */
interface Endpoint {
    String name();

    /** The source address a socket connecting to {@code destination} gets (the route's preferred source). */
    Ipv4Address sourceFor(Ipv4Address destination);

    /** Sends a datagram the machine itself originates. */
    void send(ByteBuf datagram);

    /** The next IP identification of this stack (not compared; keeps datagrams realistic). */
    int nextIpId();

    /** Where the probe's socket listens for what comes back (null: none). */
    void attach(ProbeClient client);
}
