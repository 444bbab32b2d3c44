package org.vnetlab.emulator.hostconf.sysctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.vnetlab.emulator.hostconf.sysctl.ValueRule.IntRule;

/**
 * The sysctl keys vnetlab knows. Defaults are Linux 6.18's, read from {@code sysctl -a} in a fresh network
 * namespace; validation rules were checked with {@code sysctl -w} against the same kernel.
 *
 * <ul>
 *   <li>{@link Kind#EMULATED}: has a {@link SysctlSpec} and changes what the emulated host does;</li>
 *   <li>{@link Kind#KERNEL}: a key Linux has (under net.ipv4, net.bridge, net.netfilter per the kernel's own
 *       list; anywhere else, e.g. {@code vm.swappiness}, vnetlab cannot check and assumes so) that vnetlab keeps
 *       but does not act on;</li>
 *   <li>{@link Kind#UNKNOWN}: under net.ipv4, net.bridge or net.netfilter but not a key of Linux 6.18 — a typo
 *       or a removed key ({@code net.ipv4.tcp_tw_recycle}); the real {@code sysctl -w} fails with "cannot
 *       stat".</li>
 * </ul>
 */
public final class SysctlCatalogue {
    public enum Kind { EMULATED, KERNEL, UNKNOWN }

    private static final List<String> CHECKED_SUBTREES = List.of("net.ipv4.", "net.bridge.", "net.netfilter.");
    private static final Map<String, SysctlSpec> SPECS = new LinkedHashMap<>();
    private static final Set<String> KERNEL_KEYS = loadKernelKeys();

    static {
        IntRule any = IntRule.ANY;
        IntRule bool = IntRule.BOOL;
        IntRule nonNegative = new IntRule(0, Integer.MAX_VALUE);
        add(SysctlSpec.global("net.ipv4.ip_forward", "0", any,
                "same variable as net.ipv4.conf.all.forwarding; a change also sets conf.default.forwarding, every "
                        + "interface's forwarding, and conf.all.accept_redirects to its negation (devinet.c "
                        + "inet_forward_change); writing the value it already has changes nothing"));
        add(SysctlSpec.conf("forwarding", "0", "0", Combine.DEVICE,
                "conf.all is net.ipv4.ip_forward; conf.default only seeds interfaces created later"));
        add(SysctlSpec.conf("rp_filter", "0", "0", Combine.MAX,
                "0 off, 1 strict, 2 loose; the kernel default is 0, but distributions set it at boot, commonly to 2 "
                        + "(systemd's 50-default.conf, Ubuntu's 10-network-security.conf) or 1; so a dump beats the "
                        + "default here. The effective value is max(all, interface)"));
        add(SysctlSpec.conf("send_redirects", "1", "1", Combine.OR, "ICMP redirects sent when forwarding back out"));
        add(SysctlSpec.conf("accept_redirects", "1", "1", Combine.ACCEPT_REDIRECTS,
                "conf.all flips to the negation of ip_forward whenever ip_forward changes"));
        add(SysctlSpec.conf("accept_local", "0", "0", Combine.OR, "accept packets with a local source address"));
        add(SysctlSpec.conf("route_localnet", "0", "0", Combine.OR, "route 127.0.0.0/8 instead of treating it as martian"));
        add(SysctlSpec.conf("log_martians", "0", "0", Combine.OR, "log packets with impossible addresses"));
        add(SysctlSpec.conf("proxy_arp", "0", "0", Combine.OR, "answer ARP for addresses routed elsewhere"));
        add(SysctlSpec.conf("arp_ignore", "0", "0", Combine.MAX, "which ARP requests get replies"));
        add(SysctlSpec.conf("arp_announce", "0", "0", Combine.MAX, "source address choice in ARP requests"));
        add(SysctlSpec.conf("arp_filter", "0", "0", Combine.OR, "reply to ARP only on the interface the route uses"));
        add(SysctlSpec.conf("ignore_routes_with_linkdown", "0", "0", Combine.OR,
                "when set, routes flagged linkdown are skipped by the lookup"));
        add(SysctlSpec.conf("bc_forwarding", "0", "0", Combine.AND, "forward directed broadcasts"));
        add(SysctlSpec.conf("src_valid_mark", "0", "0", Combine.OR, "use the fwmark in the reverse-path check"));
        add(SysctlSpec.conf("accept_source_route", "0", "1", Combine.AND,
                "conf.all defaults to 0 while conf.default and interfaces default to 1"));
        add(SysctlSpec.global("net.ipv4.ip_default_ttl", "64", new IntRule(1, 255), "TTL of locally generated packets"));
        add(SysctlSpec.global("net.ipv4.ip_local_port_range", "32768\t60999", new ValueRule.PortRangeRule(),
                "ephemeral ports for local connections (not for MASQUERADE, which keeps the source port if free)"));
        add(SysctlSpec.global("net.ipv4.ip_unprivileged_port_start", "1024", new ValueRule.UnprivilegedPortRule(),
                "first port an unprivileged process may bind"));
        add(SysctlSpec.global("net.ipv4.ip_nonlocal_bind", "0", any, "bind to addresses not on the host"));
        add(SysctlSpec.global("net.ipv4.ip_no_pmtu_disc", "0", any, "0: set DF and do path MTU discovery"));
        add(SysctlSpec.global("net.ipv4.icmp_echo_ignore_all", "0", bool, "drop every echo request to the host"));
        add(SysctlSpec.global("net.ipv4.icmp_echo_ignore_broadcasts", "1", bool, "drop echo requests to broadcasts"));
        add(SysctlSpec.global("net.ipv4.icmp_ratelimit", "1000", nonNegative,
                "minimum milliseconds between ICMP errors of the types in icmp_ratemask, per destination"));
        add(SysctlSpec.global("net.ipv4.icmp_ratemask", "6168", any,
                "bit per ICMP type: 6168 = dest unreachable, source quench, time exceeded, parameter problem"));
        add(SysctlSpec.global("net.ipv4.icmp_msgs_per_sec", "1000", nonNegative, "host-wide ICMP output budget"));
        add(SysctlSpec.global("net.ipv4.icmp_msgs_burst", "50", nonNegative, "host-wide ICMP output burst"));
        add(SysctlSpec.global("net.ipv4.icmp_errors_use_inbound_ifaddr", "0", any,
                "0: an ICMP error's source is the address of the route back to the sender"));
        add(SysctlSpec.global("net.ipv4.ipfrag_time", "30", any, "seconds a fragment queue lives from its first fragment"));
        add(SysctlSpec.global("net.ipv4.ipfrag_high_thresh", "4194304", new ValueRule.FragThreshRule(true),
                "bytes of queued fragments (skb truesize) above which new fragments are dropped; not below ipfrag_low_thresh"));
        add(SysctlSpec.global("net.ipv4.ipfrag_low_thresh", "3145728", new ValueRule.FragThreshRule(false),
                "not above ipfrag_high_thresh; no effect since Linux 4.17 (no evictor)"));
        add(SysctlSpec.global("net.ipv4.ipfrag_max_dist", "64", nonNegative,
                "fragments from one source between two of a queue's before that queue is restarted; 0 off"));
        add(SysctlSpec.global("net.netfilter.nf_conntrack_max", "262144", nonNegative,
                "memory-dependent: the hash size (262144 above 4 GiB of RAM on 64-bit, 65536 above 1 GiB, else "
                        + "RAM/16384/8, at least 1024), times 1; read-only outside the initial namespace"));
        add(SysctlSpec.global("net.netfilter.nf_conntrack_buckets", "262144", new ValueRule.ReadOnlyRule(),
                "memory-dependent like nf_conntrack_max; writable only in the initial namespace (resizes the hash)"));
        add(SysctlSpec.global("net.netfilter.nf_conntrack_count", "0", new ValueRule.ReadOnlyRule(), "entries in use"));
        add(SysctlSpec.global("net.netfilter.nf_conntrack_tcp_loose", "1", bool, "pick up TCP flows already established"));
        add(SysctlSpec.global("net.netfilter.nf_conntrack_tcp_be_liberal", "0", bool, "only mark out-of-window RSTs invalid"));
        add(SysctlSpec.global("net.netfilter.nf_conntrack_tcp_ignore_invalid_rst", "0", bool, "do not mark out-of-window RSTs invalid"));
        add(SysctlSpec.global("net.netfilter.nf_conntrack_tcp_max_retrans", "3", any, "retransmissions before the max_retrans timeout"));
        add(SysctlSpec.global("net.netfilter.nf_conntrack_checksum", "1", bool, "verify checksums, packets failing are INVALID"));
        add(SysctlSpec.global("net.netfilter.nf_conntrack_acct", "0", bool, "per-flow byte and packet counters"));
        add(SysctlSpec.global("net.netfilter.nf_conntrack_timestamp", "0", bool, "per-flow start timestamps"));
        add(SysctlSpec.global("net.netfilter.nf_conntrack_log_invalid", "0", new IntRule(0, 255), "log invalid packets of this protocol"));
        for (String[] t : new String[][] {
                {"tcp_timeout_syn_sent", "120"}, {"tcp_timeout_syn_recv", "60"}, {"tcp_timeout_established", "432000"},
                {"tcp_timeout_fin_wait", "120"}, {"tcp_timeout_close_wait", "60"}, {"tcp_timeout_last_ack", "30"},
                {"tcp_timeout_time_wait", "120"}, {"tcp_timeout_close", "10"}, {"tcp_timeout_max_retrans", "300"},
                {"tcp_timeout_unacknowledged", "300"}, {"udp_timeout", "30"}, {"udp_timeout_stream", "120"},
                {"icmp_timeout", "30"}, {"generic_timeout", "600"}}) {
            add(SysctlSpec.global("net.netfilter.nf_conntrack_" + t[0], t[1], any, "seconds; conntrack entry timeout"));
        }
        for (String k : new String[] {"call-iptables", "call-ip6tables", "call-arptables"}) {
            add(SysctlSpec.global("net.bridge.bridge-nf-" + k, "1", any,
                    "exists only while br_netfilter is loaded (then 1): bridged frames traverse the iptables hooks"));
        }
        for (String k : new String[] {"filter-vlan-tagged", "filter-pppoe-tagged", "pass-vlan-input-dev"}) {
            add(SysctlSpec.global("net.bridge.bridge-nf-" + k, "0", any, "exists only while br_netfilter is loaded"));
        }
    }

    private SysctlCatalogue() {}

    private static void add(SysctlSpec s) { SPECS.put(s.pattern(), s); }

    private static Set<String> loadKernelKeys() {
        Set<String> keys = new TreeSet<>();
        try (InputStream in = SysctlCatalogue.class.getResourceAsStream("linux-6.18-net-keys.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) keys.add(line.strip());
            }
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(new IOException("missing sysctl key list resource", e));
        }
        return keys;
    }

    /** The emulated spec for a canonical key ({@code net.ipv4.conf.virbr0.rp_filter} finds the conf.* spec). */
    public static Optional<SysctlSpec> spec(String key) {
        return Optional.ofNullable(SPECS.get(SysctlKeys.pattern(key)));
    }

    public static Kind classify(String key) {
        if (spec(key).isPresent()) return Kind.EMULATED;
        for (String subtree : CHECKED_SUBTREES) {
            if (key.startsWith(subtree)) return KERNEL_KEYS.contains(SysctlKeys.pattern(key)) ? Kind.KERNEL : Kind.UNKNOWN;
        }
        return Kind.KERNEL;
    }

    /** Every emulated spec, in catalogue order. */
    public static List<SysctlSpec> specs() { return List.copyOf(SPECS.values()); }

    /** True for keys that exist only while br_netfilter is loaded. */
    static boolean needsBrNetfilter(String key) { return key.startsWith("net.bridge.bridge-nf-"); }
}
