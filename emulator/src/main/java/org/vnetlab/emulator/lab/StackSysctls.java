package org.vnetlab.emulator.lab;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.vnetlab.emulator.hostconf.sysctl.Sysctls;
import org.vnetlab.emulator.stack.FragmentLimits;
import org.vnetlab.emulator.stack.InterfaceConf;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.StackSettings;

/**
 * Puts a host's sysctl values into its emulated stack: the forwarding switch, the per-interface
 * {@code net.ipv4.conf.*} values the stack acts on, and the ICMP limits. Keys the stack does not act on are
 * reported (only when they differ from the kernel's default, so a full {@code sysctl -a} does not drown the
 * report; keys whose default vnetlab does not know are counted in one note, by group).
 */
public final class StackSysctls {
    private StackSysctls() {}

    static void apply(IpStack stack, Sysctls s, List<String> notes) {
        Sysctls defaults = Sysctls.kernelDefaults(s.devices(), s.brNetfilterLoaded());
        StackSettings st = stack.settings();
        st = st.withAll(conf(st.all(), s, "all"));
        for (String dev : s.devices()) {
            if (dev.equals("all") || dev.equals("default") || dev.equals("lo")) continue;
            if (stack.iface(dev).isPresent()) st = st.withInterface(dev, conf(st.interfaceConf(dev), s, dev));
        }
        st = st.withIcmpEchoIgnoreAll(flag(s, "net.ipv4.icmp_echo_ignore_all").orElse(st.icmpEchoIgnoreAll()));
        st = st.withIcmpErrorsUseInboundIfaddr(flag(s, "net.ipv4.icmp_errors_use_inbound_ifaddr")
                .orElse(st.icmpErrorsUseInboundIfaddr()));
        int rl = integer(s, "net.ipv4.icmp_ratelimit").orElse(st.icmpRatelimitMillis());
        int mask = integer(s, "net.ipv4.icmp_ratemask").orElse(st.icmpRatemask());
        st = st.withIcmpRatelimit(rl, mask);
        st = st.withIcmpGlobal(integer(s, "net.ipv4.icmp_msgs_per_sec").orElse(st.icmpMsgsPerSec()),
                integer(s, "net.ipv4.icmp_msgs_burst").orElse(st.icmpMsgsBurst()));
        stack.setSettings(st);
        stack.setFragmentLimits(fragmentLimits(stack.fragmentLimits(), s));
        // ip_forward last: writing it sets all, default and every interface, as the kernel does
        flag(s, "net.ipv4.ip_forward").ifPresent(stack::setIpForward);
        // keys of unknown default are summed up in one note: a collected sysctl -a holds hundreds of them
        Set<String> unknownFamilies = new TreeSet<>();
        int unknown = 0;
        for (String key : s.keys()) {
            if (acted(key)) continue;
            Optional<String> d = defaults.get(key);
            if (d.isEmpty()) {
                unknown++;
                unknownFamilies.add(family(key));
                continue;
            }
            if (d.equals(s.get(key))) continue;
            notes.add("sysctl " + key + " = " + s.get(key).orElse("") + " is not emulated");
        }
        if (unknown > 0) {
            notes.add(unknown + " more sysctl value" + (unknown == 1 ? " is" : "s are") + " not emulated (" + String.join(", ", unknownFamilies)
                    + "); vnetlab does not know their defaults, so they are not listed one by one");
        }
    }

    /** net.ipv4.ipfrag_time, ipfrag_high_thresh, ipfrag_low_thresh and ipfrag_max_dist over {@code base}. */
    public static FragmentLimits fragmentLimits(FragmentLimits base, Sysctls s) {
        FragmentLimits f = base.withTimeoutSeconds(integer(s, "net.ipv4.ipfrag_time").orElse(base.timeoutSeconds()));
        f = f.withThresholds(longValue(s, "net.ipv4.ipfrag_high_thresh").orElse(f.highThresh()),
                longValue(s, "net.ipv4.ipfrag_low_thresh").orElse(f.lowThresh()));
        return f.withMaxDist(integer(s, "net.ipv4.ipfrag_max_dist").orElse(f.maxDist()));
    }

    private static Optional<Long> longValue(Sysctls s, String key) {
        return s.get(key).map(v -> Long.parseLong(v.strip().split("\\s+")[0]));
    }

    /** {@code net.ipv4.conf.*}, {@code net.ipv4.neigh.*}, {@code net.ipv4.tcp_*}, {@code net.netfilter.nf_conntrack_*}: a key's group. */
    static String family(String key) {
        String[] p = key.split("\\.");
        if (p.length >= 4) return p[0] + "." + p[1] + "." + p[2] + ".*";
        if (p.length == 3) {
            int u = p[2].indexOf('_');
            return p[0] + "." + p[1] + "." + (u > 0 ? p[2].substring(0, u + 1) + "*" : p[2]);
        }
        return key;
    }

    private static InterfaceConf conf(InterfaceConf base, Sysctls s, String dev) {
        String p = "net.ipv4.conf." + dev + ".";
        InterfaceConf c = base;
        Optional<Integer> rp = integer(s, p + "rp_filter");
        if (rp.isPresent()) c = c.withRpFilter(rp.get());
        Optional<Integer> redirects = integer(s, p + "send_redirects");
        if (redirects.isPresent()) c = c.withSendRedirects(redirects.get());
        Optional<Integer> local = integer(s, p + "accept_local");
        if (local.isPresent()) c = c.withAcceptLocal(local.get());
        Optional<Integer> arp = integer(s, p + "arp_ignore");
        if (arp.isPresent()) c = c.withArpIgnore(arp.get());
        Optional<Integer> martians = integer(s, p + "log_martians");
        if (martians.isPresent()) c = c.withLogMartians(martians.get());
        return c;
    }

    private static boolean acted(String key) {
        if (key.equals("net.ipv4.ip_forward") || key.startsWith("net.ipv4.icmp_")) return true;
        if (key.startsWith("net.ipv4.ipfrag_") && !key.equals("net.ipv4.ipfrag_secret_interval")) return true;
        if (key.equals(BrNetfilter.CALL_IPTABLES)) return true; // the lab's BrNetfilter acts on it
        // a count of the moment, not a setting: the emulated conntrack table keeps its own
        if (key.equals("net.netfilter.nf_conntrack_count")) return true;
        if (!key.startsWith("net.ipv4.conf.")) return false;
        return key.endsWith(".rp_filter") || key.endsWith(".send_redirects") || key.endsWith(".accept_local")
                || key.endsWith(".arp_ignore") || key.endsWith(".log_martians") || key.endsWith(".forwarding");
    }

    private static Optional<Integer> integer(Sysctls s, String key) {
        return s.get(key).map(v -> Integer.parseInt(v.strip().split("\\s+")[0]));
    }

    private static Optional<Boolean> flag(Sysctls s, String key) {
        return integer(s, key).map(v -> v != 0);
    }
}
