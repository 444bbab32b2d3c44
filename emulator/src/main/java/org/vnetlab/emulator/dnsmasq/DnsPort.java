package org.vnetlab.emulator.dnsmasq;

import org.vnetlab.protocols.Ipv4Address;

/**
 * What the DNS side needs from the host's network stack. Answers to clients leave from the served address's
 * port 53 on an ordinary UDP socket (so DF set, TTL 64, TOS 0, as the reference capture shows). Forwarded
 * queries leave from a random high port of the host, routed like any host traffic; replies come back
 * through {@link DnsServer#upstreamReply}.
 */
public interface DnsPort {
    /** Sends an answer to a client. */
    void reply(DnsDatagram answer);

    /**
     * Sends a query upstream from {@code sourcePort} (bound on the wildcard address: the kernel picks the
     * source address by route). Returns false when the kernel refuses at once (no route to the server).
     */
    boolean sendUpstream(int sourcePort, Ipv4Address server, int serverPort, byte[] query);

    /** dnsmasq is done with a forwarding socket: later datagrams to that port find it closed. */
    void releaseUpstream(int sourcePort);
}
