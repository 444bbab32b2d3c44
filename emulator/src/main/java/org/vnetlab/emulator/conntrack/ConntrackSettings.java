package org.vnetlab.emulator.conntrack;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code net.netfilter.nf_conntrack_*} sysctls that change conntrack's behaviour, with the kernel's
 * defaults (nf_conntrack_proto_{tcp,udp,icmp,generic}.c): tcp established 5 days, syn_sent 120 s, syn_recv
 * 60 s, fin_wait 120 s, close_wait 60 s, last_ack 30 s, time_wait 120 s, close 10 s, max_retrans/unack
 * 300 s; udp 30 s, udp stream 120 s; icmp 30 s; generic 600 s. Immutable; {@link #withSysctl} returns a copy.
 */
public record ConntrackSettings(Map<TcpState, Duration> tcpTimeouts, Duration tcpRetransTimeout,
                                Duration tcpUnackTimeout, int tcpMaxRetrans, boolean tcpLoose, boolean tcpBeLiberal,
                                boolean tcpIgnoreInvalidRst, Duration udpTimeout, Duration udpStreamTimeout,
                                Duration icmpTimeout, Duration genericTimeout, int max, boolean checksum) {

    public static final ConntrackSettings DEFAULTS = defaults();

    public ConntrackSettings {
        tcpTimeouts = Map.copyOf(tcpTimeouts);
    }

    private static ConntrackSettings defaults() {
        Map<TcpState, Duration> t = new EnumMap<>(TcpState.class);
        t.put(TcpState.SYN_SENT, Duration.ofSeconds(120));
        t.put(TcpState.SYN_RECV, Duration.ofSeconds(60));
        t.put(TcpState.ESTABLISHED, Duration.ofDays(5));
        t.put(TcpState.FIN_WAIT, Duration.ofSeconds(120));
        t.put(TcpState.CLOSE_WAIT, Duration.ofSeconds(60));
        t.put(TcpState.LAST_ACK, Duration.ofSeconds(30));
        t.put(TcpState.TIME_WAIT, Duration.ofSeconds(120));
        t.put(TcpState.CLOSE, Duration.ofSeconds(10));
        t.put(TcpState.SYN_SENT2, Duration.ofSeconds(120));
        t.put(TcpState.NONE, Duration.ofSeconds(120));
        // nf_conntrack_max defaults to the hash size (memory dependent); 262144 is a common value
        return new ConntrackSettings(t, Duration.ofSeconds(300), Duration.ofSeconds(300), 3, true, false, false,
                Duration.ofSeconds(30), Duration.ofSeconds(120), Duration.ofSeconds(30), Duration.ofSeconds(600),
                262_144, true);
    }

    public Duration tcpTimeout(TcpState state) { return tcpTimeouts.get(state); }

    /**
     * Applies one sysctl by its full name ({@code net.netfilter.nf_conntrack_tcp_timeout_established}) or
     * {@code /proc/sys} path form with slashes. Unknown conntrack sysctls are rejected so that a typo is not
     * silently ignored.
     */
    public ConntrackSettings withSysctl(String name, String value) {
        String key = name.replace('/', '.').toLowerCase(Locale.ROOT);
        if (key.startsWith("net.netfilter.")) key = key.substring("net.netfilter.".length());
        long v;
        try {
            v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sysctl " + name + " needs a number, got '" + value + "'");
        }
        if (v < 0) throw new IllegalArgumentException("sysctl " + name + " must not be negative");
        Duration d = Duration.ofSeconds(v);
        Map<TcpState, Duration> t = new EnumMap<>(tcpTimeouts);
        String tcpPrefix = "nf_conntrack_tcp_timeout_";
        if (key.startsWith(tcpPrefix)) {
            String s = key.substring(tcpPrefix.length());
            switch (s) {
                case "max_retrans" -> { return copy(t, d, tcpUnackTimeout, tcpMaxRetrans, tcpLoose, tcpBeLiberal, udpTimeout, udpStreamTimeout, icmpTimeout, genericTimeout, max); }
                case "unacknowledged" -> { return copy(t, tcpRetransTimeout, d, tcpMaxRetrans, tcpLoose, tcpBeLiberal, udpTimeout, udpStreamTimeout, icmpTimeout, genericTimeout, max); }
                default -> {
                    TcpState st;
                    try {
                        st = TcpState.valueOf(s.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("unknown conntrack sysctl " + name);
                    }
                    t.put(st, d);
                    return copy(t, tcpRetransTimeout, tcpUnackTimeout, tcpMaxRetrans, tcpLoose, tcpBeLiberal, udpTimeout, udpStreamTimeout, icmpTimeout, genericTimeout, max);
                }
            }
        }
        return switch (key) {
            case "nf_conntrack_udp_timeout" -> copy(t, tcpRetransTimeout, tcpUnackTimeout, tcpMaxRetrans, tcpLoose, tcpBeLiberal, d, udpStreamTimeout, icmpTimeout, genericTimeout, max);
            case "nf_conntrack_udp_timeout_stream" -> copy(t, tcpRetransTimeout, tcpUnackTimeout, tcpMaxRetrans, tcpLoose, tcpBeLiberal, udpTimeout, d, icmpTimeout, genericTimeout, max);
            case "nf_conntrack_icmp_timeout" -> copy(t, tcpRetransTimeout, tcpUnackTimeout, tcpMaxRetrans, tcpLoose, tcpBeLiberal, udpTimeout, udpStreamTimeout, d, genericTimeout, max);
            case "nf_conntrack_generic_timeout" -> copy(t, tcpRetransTimeout, tcpUnackTimeout, tcpMaxRetrans, tcpLoose, tcpBeLiberal, udpTimeout, udpStreamTimeout, icmpTimeout, d, max);
            case "nf_conntrack_max" -> copy(t, tcpRetransTimeout, tcpUnackTimeout, tcpMaxRetrans, tcpLoose, tcpBeLiberal, udpTimeout, udpStreamTimeout, icmpTimeout, genericTimeout, (int) Math.min(v, Integer.MAX_VALUE));
            case "nf_conntrack_tcp_loose" -> copy(t, tcpRetransTimeout, tcpUnackTimeout, tcpMaxRetrans, v != 0, tcpBeLiberal, udpTimeout, udpStreamTimeout, icmpTimeout, genericTimeout, max);
            case "nf_conntrack_tcp_be_liberal" -> copy(t, tcpRetransTimeout, tcpUnackTimeout, tcpMaxRetrans, tcpLoose, v != 0, udpTimeout, udpStreamTimeout, icmpTimeout, genericTimeout, max);
            case "nf_conntrack_tcp_max_retrans" -> copy(t, tcpRetransTimeout, tcpUnackTimeout, (int) v, tcpLoose, tcpBeLiberal, udpTimeout, udpStreamTimeout, icmpTimeout, genericTimeout, max);
            case "nf_conntrack_tcp_ignore_invalid_rst" -> new ConntrackSettings(t, tcpRetransTimeout, tcpUnackTimeout, tcpMaxRetrans, tcpLoose, tcpBeLiberal, v != 0, udpTimeout, udpStreamTimeout, icmpTimeout, genericTimeout, max, checksum);
            case "nf_conntrack_checksum" -> new ConntrackSettings(t, tcpRetransTimeout, tcpUnackTimeout, tcpMaxRetrans, tcpLoose, tcpBeLiberal, tcpIgnoreInvalidRst, udpTimeout, udpStreamTimeout, icmpTimeout, genericTimeout, max, v != 0);
            default -> throw new IllegalArgumentException("unknown conntrack sysctl " + name);
        };
    }

    private ConntrackSettings copy(Map<TcpState, Duration> t, Duration retrans, Duration unack, int maxRetrans,
                                   boolean loose, boolean liberal, Duration udp, Duration udpStream, Duration icmp,
                                   Duration generic, int max) {
        return new ConntrackSettings(t, retrans, unack, maxRetrans, loose, liberal, tcpIgnoreInvalidRst, udp,
                udpStream, icmp, generic, max, checksum);
    }
}
