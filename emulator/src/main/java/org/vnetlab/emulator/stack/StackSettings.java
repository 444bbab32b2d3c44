package org.vnetlab.emulator.stack;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sysctls a stack reads, immutable: replaced as a whole when one changes. Defaults are Linux 6.18's
 * (the ICMP limits: icmp_ratelimit 1000 ms for the types in icmp_ratemask 6168 = 0x1818, host-wide
 * icmp_msgs_per_sec 1000 with a burst of 50; neighbour parameters: mcast_solicit 3, ucast_solicit 3,
 * retrans_time 1 s, base_reachable_time 30 s, delay_first_probe_time 5 s, unres_qlen 101).
 *
 * <p>{@code net.ipv4.ip_forward} is {@code conf.all.forwarding}; writing it sets {@code conf.default} and
 * every interface too ({@link #withIpForward}), as the kernel's devinet_sysctl_forward does.
 */
public record StackSettings(int defaultTtl, int localPortLow, int localPortHigh, int icmpRatelimitMillis,
                            int icmpRatemask, int icmpMsgsPerSec, int icmpMsgsBurst, boolean icmpEchoIgnoreAll,
                            boolean icmpEchoIgnoreBroadcasts, boolean icmpErrorsUseInboundIfaddr, int ipNoPmtuDisc,
                            int tcpSynRetries, int tcpSynackRetries, int tcpFinTimeoutSeconds,
                            NeighbourParams neighbour, InterfaceConf all, InterfaceConf defaults,
                            Map<String, InterfaceConf> interfaces) {

    /** ARP's neighbour parameters ({@code net.ipv4.neigh.DEV.*}), one set for every interface. */
    public record NeighbourParams(int mcastSolicit, int ucastSolicit, long retransTimeMillis,
                                  long baseReachableTimeMillis, long delayFirstProbeTimeMillis, int unresQlen,
                                  long locktimeMillis) {
        public static final NeighbourParams KERNEL_DEFAULT = new NeighbourParams(3, 3, 1000, 30_000, 5000, 101, 1000);
    }

    public StackSettings {
        Objects.requireNonNull(neighbour, "neighbour");
        Objects.requireNonNull(all, "all");
        Objects.requireNonNull(defaults, "defaults");
        interfaces = Map.copyOf(interfaces);
        if (localPortLow < 1 || localPortHigh > 65535 || localPortLow > localPortHigh) {
            throw new IllegalArgumentException("bad ip_local_port_range " + localPortLow + " " + localPortHigh);
        }
    }

    /** Linux 6.18's defaults with the given OS's TTL and port range. */
    public static StackSettings defaults(OsProfile os) {
        return new StackSettings(os.defaultTtl(), os.ephemeralLow(), os.ephemeralHigh(), 1000, 0x1818, 1000, 50,
                false, true, false, 0, os.tcpSynRetries(), 5, 60, NeighbourParams.KERNEL_DEFAULT,
                InterfaceConf.KERNEL_DEFAULT, InterfaceConf.KERNEL_DEFAULT, Map.of());
    }

    public static StackSettings linuxDefaults() { return defaults(OsProfile.LINUX); }

    /** The interface's own values (conf.default's when it has none of its own). */
    public InterfaceConf interfaceConf(String dev) {
        return Optional.ofNullable(interfaces.get(dev)).orElse(defaults);
    }

    /** What applies on {@code dev}: all and the interface combined as the kernel does. */
    public InterfaceConf effective(String dev) { return all.effective(interfaceConf(dev)); }

    public boolean ipForward() { return all.forwarding() != 0; }

    /** sysctl net.ipv4.ip_forward=V: all, default and every known interface follow. */
    public StackSettings withIpForward(boolean on, Iterable<String> knownInterfaces) {
        int v = on ? 1 : 0;
        Map<String, InterfaceConf> m = new TreeMap<>(interfaces);
        for (String dev : knownInterfaces) m.put(dev, interfaceConf(dev).withForwarding(v));
        return new StackSettings(defaultTtl, localPortLow, localPortHigh, icmpRatelimitMillis, icmpRatemask,
                icmpMsgsPerSec, icmpMsgsBurst, icmpEchoIgnoreAll, icmpEchoIgnoreBroadcasts, icmpErrorsUseInboundIfaddr,
                ipNoPmtuDisc, tcpSynRetries, tcpSynackRetries, tcpFinTimeoutSeconds, neighbour, all.withForwarding(v),
                defaults.withForwarding(v), m);
    }

    public StackSettings withAll(InterfaceConf c) {
        return new StackSettings(defaultTtl, localPortLow, localPortHigh, icmpRatelimitMillis, icmpRatemask,
                icmpMsgsPerSec, icmpMsgsBurst, icmpEchoIgnoreAll, icmpEchoIgnoreBroadcasts, icmpErrorsUseInboundIfaddr,
                ipNoPmtuDisc, tcpSynRetries, tcpSynackRetries, tcpFinTimeoutSeconds, neighbour, c, defaults, interfaces);
    }

    public StackSettings withInterface(String dev, InterfaceConf c) {
        Map<String, InterfaceConf> m = new TreeMap<>(interfaces);
        m.put(dev, c);
        return new StackSettings(defaultTtl, localPortLow, localPortHigh, icmpRatelimitMillis, icmpRatemask,
                icmpMsgsPerSec, icmpMsgsBurst, icmpEchoIgnoreAll, icmpEchoIgnoreBroadcasts, icmpErrorsUseInboundIfaddr,
                ipNoPmtuDisc, tcpSynRetries, tcpSynackRetries, tcpFinTimeoutSeconds, neighbour, all, defaults, m);
    }

    public StackSettings withIcmpRatelimit(int millis, int mask) {
        return new StackSettings(defaultTtl, localPortLow, localPortHigh, millis, mask, icmpMsgsPerSec, icmpMsgsBurst,
                icmpEchoIgnoreAll, icmpEchoIgnoreBroadcasts, icmpErrorsUseInboundIfaddr, ipNoPmtuDisc, tcpSynRetries,
                tcpSynackRetries, tcpFinTimeoutSeconds, neighbour, all, defaults, interfaces);
    }

    public StackSettings withIcmpGlobal(int perSec, int burst) {
        return new StackSettings(defaultTtl, localPortLow, localPortHigh, icmpRatelimitMillis, icmpRatemask, perSec,
                burst, icmpEchoIgnoreAll, icmpEchoIgnoreBroadcasts, icmpErrorsUseInboundIfaddr, ipNoPmtuDisc,
                tcpSynRetries, tcpSynackRetries, tcpFinTimeoutSeconds, neighbour, all, defaults, interfaces);
    }

    public StackSettings withIcmpEchoIgnoreAll(boolean on) {
        return new StackSettings(defaultTtl, localPortLow, localPortHigh, icmpRatelimitMillis, icmpRatemask,
                icmpMsgsPerSec, icmpMsgsBurst, on, icmpEchoIgnoreBroadcasts, icmpErrorsUseInboundIfaddr, ipNoPmtuDisc,
                tcpSynRetries, tcpSynackRetries, tcpFinTimeoutSeconds, neighbour, all, defaults, interfaces);
    }

    public StackSettings withIcmpErrorsUseInboundIfaddr(boolean on) {
        return new StackSettings(defaultTtl, localPortLow, localPortHigh, icmpRatelimitMillis, icmpRatemask,
                icmpMsgsPerSec, icmpMsgsBurst, icmpEchoIgnoreAll, icmpEchoIgnoreBroadcasts, on, ipNoPmtuDisc,
                tcpSynRetries, tcpSynackRetries, tcpFinTimeoutSeconds, neighbour, all, defaults, interfaces);
    }

    public StackSettings withNeighbour(NeighbourParams p) {
        return new StackSettings(defaultTtl, localPortLow, localPortHigh, icmpRatelimitMillis, icmpRatemask,
                icmpMsgsPerSec, icmpMsgsBurst, icmpEchoIgnoreAll, icmpEchoIgnoreBroadcasts, icmpErrorsUseInboundIfaddr,
                ipNoPmtuDisc, tcpSynRetries, tcpSynackRetries, tcpFinTimeoutSeconds, p, all, defaults, interfaces);
    }
}
