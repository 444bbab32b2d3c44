package org.vnetlab.emulator.oracle;

/**
 * One flow that arrived at the emulated internet during a probe, as its first packet looked there: after
 * the host's NAT and every router's TTL decrement.
 *
 * @param protocol    {@code icmp}, {@code udp} or {@code tcp}
 * @param source      {@code address:port} for UDP/TCP, {@code address#echo-id} for ICMP echo, else the address
 * @param destination {@code address:port} for UDP/TCP, else the address
 * @param ttl         the IP TTL the packet arrived with
 */
public record SeenFlow(String protocol, String source, String destination, int ttl) {

    /** Parses one {@code proto:src>dst/ttl=N} item of the {@code inet_seen} field. */
    static SeenFlow parse(String item) {
        int colon = item.indexOf(':');
        int arrow = item.indexOf('>');
        int slash = item.lastIndexOf("/ttl=");
        if (colon < 0 || arrow < colon || slash < arrow) {
            throw new IllegalArgumentException("malformed inet_seen item '" + item + "'");
        }
        return new SeenFlow(item.substring(0, colon), item.substring(colon + 1, arrow),
                item.substring(arrow + 1, slash), Integer.parseInt(item.substring(slash + 5)));
    }

    public String sourceAddress() { return source.split("[:#]", 2)[0]; }

    /** The UDP/TCP source port, or the ICMP echo identifier. */
    public int sourcePort() {
        String[] parts = source.split("[:#]", 2);
        if (parts.length < 2) throw new IllegalStateException("no port or id in " + this);
        return Integer.parseInt(parts[1]);
    }
}
