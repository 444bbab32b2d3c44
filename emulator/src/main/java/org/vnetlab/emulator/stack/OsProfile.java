package org.vnetlab.emulator.stack;

import java.util.Objects;

/**
 * What differs between the operating systems whose stacks vnetlab runs: the default TTL, the ephemeral port
 * range, how IP identifications are chosen, whether UDP and ping set DF by default, and TCP's SYN (window,
 * options, scale) and connect retries.
 *
 * <p>Linux values are Linux 6.18's (the reference captures: SYN {@code win 64240, mss 1460, sackOK, TS,
 * nop, wscale 10}, ping and UDP with DF, tcp_syn_retries 6 with a 1 s initial RTO doubling). Windows values
 * are Windows 10's documented defaults: TTL 128, ports 49152–65535, one global IP ID counter, no DF on UDP
 * or ping, SYN {@code mss, nop, wscale 8, nop, nop, sackOK} (no timestamps), 2 SYN retransmissions with a
 * 3 s initial RTO (connect fails after 21 s).
 */
public record OsProfile(String name, int defaultTtl, int ephemeralLow, int ephemeralHigh, IpIdMode ipIdMode,
                        boolean udpDontFragment, boolean pingDontFragment, int tcpSynWindow, int tcpWindowScale,
                        boolean tcpTimestamps, boolean tcpSack, SynOptionOrder synOptionOrder, int tcpSynRetries,
                        long tcpInitialRtoMillis, int tcpReceiveBuffer) {

    /** How a stack numbers the IP identification field. */
    public enum IpIdMode {
        /**
         * Linux's ip_select_ident: connected sockets count from a random start; other DF packets of a socket
         * that refuses fragmentation get 0; the rest draw from hashed per-destination counters.
         */
        LINUX,
        /** One counter for every packet the host sends (Windows). */
        GLOBAL_COUNTER
    }

    /** The order options appear in a SYN. */
    public enum SynOptionOrder {
        /** mss, sackOK, TS, nop, wscale (or nop,nop,sackOK / nop,nop,TS variants when one is off). */
        LINUX,
        /** mss, nop, wscale, nop, nop, sackOK. */
        WINDOWS
    }

    public OsProfile {
        Objects.requireNonNull(name, "name");
        if (defaultTtl < 1 || defaultTtl > 255) throw new IllegalArgumentException("TTL " + defaultTtl);
        if (ephemeralLow < 1 || ephemeralHigh > 65535 || ephemeralLow > ephemeralHigh) {
            throw new IllegalArgumentException("bad ephemeral port range " + ephemeralLow + "-" + ephemeralHigh);
        }
        if (tcpWindowScale < 0 || tcpWindowScale > 14) throw new IllegalArgumentException("window scale " + tcpWindowScale);
    }

    public static final OsProfile LINUX = new OsProfile("linux", 64, 32768, 60999, IpIdMode.LINUX, true, true,
            64240, 10, true, true, SynOptionOrder.LINUX, 6, 1000, 64512);

    public static final OsProfile WINDOWS = new OsProfile("windows", 128, 49152, 65535, IpIdMode.GLOBAL_COUNTER,
            false, false, 64240, 8, false, true, SynOptionOrder.WINDOWS, 2, 3000, 65280);

    public OsProfile withDefaultTtl(int ttl) {
        return new OsProfile(name, ttl, ephemeralLow, ephemeralHigh, ipIdMode, udpDontFragment, pingDontFragment,
                tcpSynWindow, tcpWindowScale, tcpTimestamps, tcpSack, synOptionOrder, tcpSynRetries,
                tcpInitialRtoMillis, tcpReceiveBuffer);
    }

    public OsProfile withEphemeralPorts(int low, int high) {
        return new OsProfile(name, defaultTtl, low, high, ipIdMode, udpDontFragment, pingDontFragment,
                tcpSynWindow, tcpWindowScale, tcpTimestamps, tcpSack, synOptionOrder, tcpSynRetries,
                tcpInitialRtoMillis, tcpReceiveBuffer);
    }
}
