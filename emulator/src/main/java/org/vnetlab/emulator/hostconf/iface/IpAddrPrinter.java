package org.vnetlab.emulator.hostconf.iface;

import java.util.Locale;

/** Prints interfaces the way iproute2 6.1's {@code ip addr} does (and {@code ip -br addr}). */
public final class IpAddrPrinter {
    private IpAddrPrinter() {}

    public static String ipAddr(HostInterfaces host) {
        StringBuilder sb = new StringBuilder();
        int position = 0;
        for (InterfaceConfig i : host.interfaces()) sb.append(ipAddr(i, ++position));
        return sb.toString();
    }

    public static String ipAddr(InterfaceConfig i) { return ipAddr(i, 1); }

    /** {@code fallbackIndex} numbers interfaces read from ip -br, which prints no index. */
    private static String ipAddr(InterfaceConfig i, int fallbackIndex) {
        StringBuilder sb = new StringBuilder();
        sb.append(i.index().orElse(fallbackIndex)).append(": ").append(i.printedName()).append(": <")
                .append(String.join(",", i.flags())).append('>');
        i.mtu().ifPresent(m -> sb.append(" mtu ").append(m));
        i.qdisc().ifPresent(q -> sb.append(" qdisc ").append(q));
        i.master().ifPresent(m -> sb.append(" master ").append(m));
        sb.append(" state ").append(i.state());
        i.mode().ifPresent(m -> sb.append(" mode ").append(m));
        i.group().ifPresent(g -> sb.append(" group ").append(g));
        i.qlen().ifPresent(q -> sb.append(" qlen ").append(q));
        sb.append('\n');
        if (i.linkType().isPresent()) {
            sb.append("    link/").append(i.linkType().get()).append(' ');
            if (i.linkAddress().isPresent()) {
                sb.setLength(sb.length() - 1);
                sb.append(' ').append(i.linkAddress().get());
                i.linkBroadcast().ifPresent(b -> sb.append(" brd ").append(b));
            }
            for (String e : i.linkExtras()) sb.append(' ').append(e);
            sb.append('\n');
        }
        for (String a : i.altnames()) sb.append("    altname ").append(a).append('\n');
        for (InterfaceAddress a : i.ipv4()) {
            sb.append("    inet ").append(a.address());
            if (a.peer().isPresent()) sb.append(" peer ").append(a.peer().get());
            sb.append('/').append(a.prefixLength());
            a.broadcast().ifPresent(b -> sb.append(" brd ").append(b));
            a.scope().ifPresent(s -> sb.append(" scope ").append(s));
            for (String f : a.flags()) sb.append(' ').append(f);
            a.metric().ifPresent(m -> sb.append(" metric ").append(m));
            sb.append(' ').append(a.label().orElse(i.name())).append('\n');
            a.lifetimes().ifPresent(l -> sb.append("       ").append(l).append('\n'));
        }
        for (String l : i.ipv6Lines()) sb.append(l).append('\n');
        return sb.toString();
    }

    /** {@code ip -br addr}: name padded to 16, state to 14, then the addresses, each followed by a space. */
    public static String brief(HostInterfaces host) {
        StringBuilder sb = new StringBuilder();
        for (InterfaceConfig i : host.interfaces()) {
            sb.append(String.format(Locale.ROOT, "%-16s %-14s ", i.printedName(), i.state()));
            for (InterfaceAddress a : i.ipv4()) sb.append(a.brief()).append(' ');
            for (String v6 : i.ipv6Lines()) {
                String s = v6.strip();
                if (s.startsWith("inet6 ")) sb.append(s.split("\\s+")[1]).append(' ');
                else if (!s.startsWith("valid_lft")) sb.append(s).append(' ');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
