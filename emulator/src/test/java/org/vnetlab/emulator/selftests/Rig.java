package org.vnetlab.emulator.selftests;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.bridge.Bridge;
import org.vnetlab.emulator.bridge.BridgeConfig;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.Nexthop;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.link.Link;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.netfilter.iptables.IptablesSave;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.SaveFile;
import org.vnetlab.emulator.sim.CaptureSink;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.stack.FilterPacket;
import org.vnetlab.emulator.stack.FilterVerdict;
import org.vnetlab.emulator.stack.InterfaceConf;
import org.vnetlab.emulator.stack.PacketFate;
import org.vnetlab.emulator.stack.PacketFilter;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.SocketException;
import org.vnetlab.emulator.stack.StackInterface;
import org.vnetlab.emulator.stack.StackSettings;
import org.vnetlab.emulator.stack.TcpConnection;
import org.vnetlab.emulator.stack.UdpSocket;
import org.vnetlab.emulator.stack.netfilter.BridgeNetfilter;
import org.vnetlab.emulator.stack.netfilter.NetfilterPacketFilter;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * The kernel oracle's topology (src/oracle/README.md) built from IP stacks, so that one scenario runs both
 * through the real kernel and through vnetlab:
 *
 * <pre>
 * guest ──eth0═vnet0── host ──enp3s0══ lan (switch sw0) ══lan0── router ──wan0═wan0── inet
 * guest2 ─eth0═vnet1──┘ (virbr0)                        ══eth0── lanhost
 * </pre>
 *
 * Same names, MACs and addresses as the harness's defaults; the internet holds 8.8.8.8, 1.1.1.1 and
 * 142.250.1.1 on {@code lo} and runs the harness's services (UDP echo on 142.250.1.1:7, HTTP 200 on
 * 142.250.1.1:80, DNS on 8.8.8.8 and 1.1.1.1 answering google.com A 142.250.1.1 and REFUSED otherwise). A spec's
 * topology lines ({@code set}, {@code sysctl}, {@code route}, {@code iptables}, {@code mtu}) are applied as the
 * harness applies them; a line the rig cannot play is an error, never skipped.
 */
final class Rig {
    static final Ipv4Address GUEST = Ipv4Address.parse("192.168.122.55");
    static final Ipv4Address GUEST2 = Ipv4Address.parse("192.168.122.56");
    static final Ipv4Address BRIDGE = Ipv4Address.parse("192.168.122.1");
    static final Ipv4Address UPLINK = Ipv4Address.parse("192.168.0.10");
    static final Ipv4Address ROUTER_LAN = Ipv4Address.parse("192.168.0.1");
    static final Ipv4Address ROUTER_WAN = Ipv4Address.parse("203.0.113.2");
    static final Ipv4Address INET = Ipv4Address.parse("203.0.113.1");
    static final Ipv4Address LANHOST = Ipv4Address.parse("192.168.0.20");
    static final Ipv4Address WEB = Ipv4Address.parse("142.250.1.1");

    /** One namespace's ruleset and the engine running it. */
    static final class Firewall {
        final Netfilter netfilter;
        final NetfilterPacketFilter filter;
        Ruleset ruleset;
        RuleCounters counters;

        Firewall(Netfilter netfilter, NetfilterPacketFilter filter, Ruleset ruleset, RuleCounters counters) {
            this.netfilter = netfilter;
            this.filter = filter;
            this.ruleset = ruleset;
            this.counters = counters;
        }

        /** {@code iptables-save -c}. */
        String save() { return IptablesSave.print(ruleset, counters, IptablesSave.Options.withCounters()); }
    }

    /** A packet that reached the internet's stack: what inet_seen reports of a flow's first packet. */
    record Arrival(long time, String flow, int ttl) { }

    final Lab lab;
    final Map<String, IpStack> stacks = new LinkedHashMap<>();
    final Map<String, Firewall> firewalls = new LinkedHashMap<>();
    final Bridge virbr0;
    final Bridge sw0;
    final List<Arrival> inetArrivals = new ArrayList<>();
    /** Every frame received by a node's interfaces (path, time, bytes), for reading ICMP errors as a raw socket would. */
    final List<Frame> received = new ArrayList<>();
    private final Map<String, String> params;
    private Optional<Path> dnsmasqConf = Optional.empty();
    private final List<String> resolv = new ArrayList<>();
    /** The host's emulated dnsmasq, when the spec runs one. */
    Optional<org.vnetlab.emulator.dnsmasq.Dnsmasq> dnsmasq = Optional.empty();
    private BridgeNetfilter bridgeNetfilter;
    long settleNanos = SimTime.millis(100);
    /** What {@code $guest} stands for: the static address, or the lease a dhcp probe put on eth0. */
    Ipv4Address guestAddress = GUEST;
    long probeTimeoutNanos = SimTime.seconds(2);

    record Frame(String path, long time, byte[] bytes) {
        String node() { return path.substring(0, path.indexOf('/')); }
    }

    private Rig(long seed, Map<String, String> params) {
        this.lab = new Lab(seed);
        this.params = params;
        lab.addCaptureSink((path, t, dir, frame) -> {
            if (dir != CaptureSink.Direction.INBOUND) return;
            byte[] bytes = ByteBufUtil.getBytes(frame);
            received.add(new Frame(path, t, bytes));
        });
        IpStack guest = stack("guest");
        IpStack host = stack("host");
        IpStack router = stack("router");
        IpStack inet = stack("inet");
        IpStack lanhost = stack("lanhost");
        inet.setPacketFilter(new Sniffer(PacketFilter.ACCEPT_ALL));

        LinkDevice guestEth0 = device(guest, "eth0", "52:54:00:aa:bb:01");
        LinkDevice vnet0 = new LinkDevice(lab, "host", "vnet0", MacAddress.parse("fe:54:00:aa:bb:01"));
        BridgeConfig br = BridgeConfig.of("virbr0", MacAddress.parse("52:54:00:73:62:06")).withForwardDelay(0)
                .withStp(param("bridge.stp", "on").equals("on"));
        virbr0 = new Bridge(lab, "host", br);
        virbr0.addPort(vnet0);
        Link.connect(lab, "vnet0", guestEth0, vnet0);
        host.attach(virbr0);
        if (!param("guest2.ip", "none").equals("none")) {
            IpStack guest2 = stack("guest2");
            LinkDevice eth0 = device(guest2, "eth0", "52:54:00:aa:bb:02");
            LinkDevice vnet1 = new LinkDevice(lab, "host", "vnet1", MacAddress.parse("fe:54:00:aa:bb:02"));
            virbr0.addPort(vnet1);
            Link.connect(lab, "vnet1", eth0, vnet1);
            vnet1.setUp(true);
        }
        LinkDevice enp3s0 = device(host, "enp3s0", "00:d8:61:0a:0b:10");
        LinkDevice lan0 = device(router, "lan0", "00:11:32:00:00:01");
        LinkDevice wan0 = device(router, "wan0", "00:11:32:00:01:02");
        LinkDevice inetWan0 = device(inet, "wan0", "00:11:32:00:01:01");
        LinkDevice lanhostEth0 = device(lanhost, "eth0", "00:11:32:00:00:20");
        sw0 = new Bridge(lab, "lan", BridgeConfig.of("sw0", MacAddress.parse("02:00:00:00:00:53")).withForwardDelay(0));
        for (String[] port : new String[][] {{"p-host", "lan-host"}, {"p-router", "lan-router"}, {"p-lanhost", "lan-lanhost"}}) {
            LinkDevice p = new LinkDevice(lab, "lan", port[0], MacAddress.parse("02:00:00:00:00:" + (10 + sw0.ports().size())));
            sw0.addPort(p);
            LinkDevice peer = switch (port[0]) {
                case "p-host" -> enp3s0;
                case "p-router" -> lan0;
                default -> lanhostEth0;
            };
            Link.connect(lab, port[1], peer, p);
            p.setUp(true);
        }
        Link.connect(lab, "wan", wan0, inetWan0);
        sw0.setUp(true);
        vnet0.setUp(true);
        virbr0.setUp(true);
    }

    /** The topology and settings of {@code spec}; its probes are run by {@link #run}. */
    static Rig of(org.vnetlab.emulator.oracle.OracleSpec spec) {
        Map<String, String> params = new LinkedHashMap<>();
        List<String[]> lines = new ArrayList<>();
        for (String raw : spec.text().split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] words = line.split("\\s+", 2);
            if (words[0].equals("set")) {
                String[] kv = words[1].split("\\s+", 2);
                params.put(kv[0], kv[1]);
            } else {
                lines.add(words);
            }
        }
        for (String key : params.keySet()) {
            if (!SUPPORTED_PARAMS.contains(key)) throw new IllegalArgumentException("the rig does not play 'set " + key + "'");
        }
        Rig rig = new Rig(Long.parseLong(params.getOrDefault("seed", "42")), params);
        rig.configure(lines);
        return rig;
    }

    private static final List<String> SUPPORTED_PARAMS = List.of("guest.ip", "guest2.ip", "bridge.stp", "dnsmasq",
            "capture", "bridge-nf-call-iptables", "settle.ms", "probe.timeout", "run.timeout", "inet.dns", "inet.http", "host.http", "guest.http");

    private String param(String key, String fallback) { return params.getOrDefault(key, fallback); }

    private IpStack stack(String role) {
        IpStack s = new IpStack(lab, role);
        stacks.put(role, s);
        return s;
    }

    IpStack get(String role) {
        IpStack s = stacks.get(role);
        if (s == null) throw new IllegalArgumentException("no namespace " + role + " in the rig");
        return s;
    }

    private LinkDevice device(IpStack s, String name, String mac) {
        LinkDevice d = new LinkDevice(lab, s.node(), name, MacAddress.parse(mac));
        s.attach(d);
        d.setUp(true);
        return d;
    }

    private void configure(List<String[]> lines) {
        IpStack guest = get("guest");
        IpStack host = get("host");
        IpStack router = get("router");
        IpStack inet = get("inet");
        IpStack lanhost = get("lanhost");
        host.addAddress("virbr0", "192.168.122.1/24");
        host.addAddress("enp3s0", "192.168.0.10/24");
        router.addAddress("lan0", "192.168.0.1/24");
        router.addAddress("wan0", "203.0.113.2/24");
        inet.addAddress("wan0", "203.0.113.1/24");
        for (String a : List.of("8.8.8.8/32", "1.1.1.1/32", "142.250.1.1/32")) inet.addAddress("lo", a);
        lanhost.addAddress("eth0", "192.168.0.20/24");
        String guestIp = param("guest.ip", "dhcp");
        if (!guestIp.equals("dhcp")) {
            guest.addAddress("eth0", guestIp);
            guestAddress = Ipv4Address.parse(guestIp.split("/")[0]);
        }
        stacks.computeIfPresent("guest2", (k, g2) -> {
            g2.addAddress("eth0", param("guest2.ip", "none"));
            return g2;
        });

        Map<String, List<String>> routes = new LinkedHashMap<>();
        List<String[]> conntrackSysctls = new ArrayList<>();
        host.setIpForward(true);
        router.setIpForward(true);
        for (String[] l : lines) {
            switch (l[0]) {
                case "sysctl" -> {
                    String[] w = l[1].split("\\s+", 2);
                    String[] kv = w[1].split("=", 2);
                    // conntrack's sysctls need the namespace's netfilter, which a later line may install
                    if (kv[0].startsWith("net.netfilter.")) conntrackSysctls.add(new String[] {w[0], kv[0], kv[1]});
                    else sysctl(w[0], kv[0], kv[1]);
                }
                case "route" -> {
                    String[] w = l[1].split("\\s+", 2);
                    routes.computeIfAbsent(w[0], k -> new ArrayList<>()).add(w[1]);
                }
                case "iptables" -> {
                    String[] w = l[1].split("\\s+", 2);
                    if (w.length == 2) iptables(w[0], Path.of(w[1]));
                    else iptables("host", Path.of(w[0]));
                }
                case "mtu" -> {
                    String[] w = l[1].split("\\s+");
                    mtu(w[0], w[1], Integer.parseInt(w[2]));
                }
                case "dnsmasq-conf" -> dnsmasqConf = Optional.of(Path.of(l[1].strip()));
                case "resolv" -> resolv.add(l[1].strip());
                case "inet-dns" -> {
                    if (!l[1].strip().split("\\s+")[0].equals("google.com") || !l[1].strip().endsWith("142.250.1.1")) {
                        throw new IllegalArgumentException("the rig's internet DNS answers google.com 142.250.1.1 only: " + l[1]);
                    }
                }
                case "probe" -> { }
                default -> throw new IllegalArgumentException("the rig does not play '" + String.join(" ", l) + "'");
            }
        }
        for (String[] c : conntrackSysctls) sysctl(c[0], c[1], c[2]);
        Map<String, List<String>> defaults = new LinkedHashMap<>();
        defaults.put("host", List.of("default via 192.168.0.1"));
        defaults.put("router", List.of("default via 203.0.113.1", "192.168.122.0/24 via 192.168.0.10"));
        defaults.put("inet", List.of("192.168.0.0/24 via 203.0.113.2"));
        defaults.put("lanhost", List.of("default via 192.168.0.1", "192.168.122.0/24 via 192.168.0.10"));
        if (!guestIp.equals("dhcp")) defaults.put("guest", List.of("default via 192.168.122.1"));
        if (stacks.containsKey("guest2")) defaults.put("guest2", List.of("default via 192.168.122.1"));
        for (String role : stacks.keySet()) {
            for (String r : routes.getOrDefault(role, defaults.getOrDefault(role, List.of()))) route(get(role), r);
        }
        if (param("bridge-nf-call-iptables", "0").equals("1")) {
            Firewall fw = firewalls.get("host");
            if (fw == null) throw new IllegalArgumentException("bridge-nf-call-iptables=1 needs a host ruleset in the rig");
            bridgeNetfilter = new BridgeNetfilter("virbr0", fw.filter, get("host"));
            virbr0.setFilter(bridgeNetfilter);
        }
        if (param("settle.ms", null) != null) settleNanos = SimTime.millis(Long.parseLong(param("settle.ms", "100")));
        if (param("probe.timeout", null) != null) probeTimeoutNanos = SimTime.seconds(Long.parseLong(param("probe.timeout", "2")));
        startInetServices(inet);
        if (param("dnsmasq", "on").equals("on")) startDnsmasq(host);
        // the bridge with STP on forwards after listening and learning (2 s each); the harness waits for it
        lab.scheduler().runFor(SimTime.seconds(param("bridge.stp", "on").equals("on") ? 5 : 1));
    }

    /** {@code ip route add ARGS}: {@code default|PREFIX via GW [metric N]} or {@code PREFIX dev DEV [metric N]}. */
    private static void route(IpStack s, String args) {
        String[] w = args.split("\\s+");
        Ipv4Prefix dst = w[0].equals("default") ? Ipv4Prefix.DEFAULT
                : w[0].contains("/") ? Ipv4Prefix.parse(w[0]) : Ipv4Prefix.host(Ipv4Address.parse(w[0]));
        Optional<Ipv4Address> via = Optional.empty();
        Optional<String> dev = Optional.empty();
        long metric = 0;
        for (int i = 1; i + 1 < w.length; i += 2) {
            switch (w[i]) {
                case "via" -> via = Optional.of(Ipv4Address.parse(w[i + 1]));
                case "dev" -> dev = Optional.of(w[i + 1]);
                case "metric" -> metric = Long.parseLong(w[i + 1]);
                default -> throw new IllegalArgumentException("the rig does not play route option '" + w[i] + "' in '" + args + "'");
            }
        }
        if (via.isPresent()) {
            Ipv4Address gw = via.get();
            String out = dev.orElseGet(() -> s.interfaces().stream()
                    .filter(i -> i.addresses().stream().anyMatch(a -> a.sameSubnet(gw))).map(StackInterface::name)
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("gateway " + gw + " not on a connected subnet of " + s.node())));
            s.addRoute(Route.unicast(dst, Nexthop.via(gw, out), metric));
        } else {
            s.addRoute(Route.unicast(dst, Nexthop.dev(dev.orElseThrow(() -> new IllegalArgumentException("route without via or dev: " + args))), metric));
        }
    }

    // ------------------------------------------------------------------ settings the harness can change

    /** The per-namespace sysctls the selftests touch; any other is an error. */
    void sysctl(String role, String key, String value) {
        if (key.equals("net.ipv4.igmp_link_local_mcast_reports")) return; // vnetlab's stacks and bridges send no IGMP
        IpStack s = get(role);
        int v;
        try {
            v = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sysctl " + key + "=" + value + " is not a number");
        }
        StackSettings st = s.settings();
        if (key.equals("net.ipv4.ip_forward")) {
            s.setIpForward(v != 0);
            return;
        }
        if (key.startsWith("net.netfilter.nf_conntrack_")) {
            Firewall fw = firewalls.get(role);
            if (fw == null) throw new IllegalArgumentException("sysctl " + key + " in " + role + " needs its ruleset first in the rig");
            fw.netfilter.conntrack().setSettings(fw.netfilter.conntrack().settings().withSysctl(key, value));
            return;
        }
        // the namespace's ICMP error limits, read by its stack and its REJECT alike
        if (key.equals("net.ipv4.icmp_ratelimit")) {
            s.setSettings(st.withIcmpRatelimit(v, st.icmpRatemask()));
            return;
        }
        if (key.equals("net.ipv4.icmp_ratemask")) {
            s.setSettings(st.withIcmpRatelimit(st.icmpRatelimitMillis(), v));
            return;
        }
        if (key.equals("net.ipv4.icmp_msgs_per_sec")) {
            s.setSettings(st.withIcmpGlobal(v, st.icmpMsgsBurst()));
            return;
        }
        if (key.equals("net.ipv4.icmp_msgs_burst")) {
            s.setSettings(st.withIcmpGlobal(st.icmpMsgsPerSec(), v));
            return;
        }
        if (key.equals("net.ipv4.icmp_echo_ignore_broadcasts")) {
            s.setSettings(new StackSettings(st.defaultTtl(), st.localPortLow(), st.localPortHigh(), st.icmpRatelimitMillis(),
                    st.icmpRatemask(), st.icmpMsgsPerSec(), st.icmpMsgsBurst(), st.icmpEchoIgnoreAll(), v != 0,
                    st.icmpErrorsUseInboundIfaddr(), st.ipNoPmtuDisc(), st.tcpSynRetries(), st.tcpSynackRetries(),
                    st.tcpFinTimeoutSeconds(), st.neighbour(), st.all(), st.defaults(), st.interfaces()));
            return;
        }
        if (key.startsWith("net.ipv4.conf.")) {
            String rest = key.substring("net.ipv4.conf.".length());
            int dot = rest.lastIndexOf('.');
            String dev = rest.substring(0, dot);
            String name = rest.substring(dot + 1);
            InterfaceConf c = dev.equals("all") ? st.all() : dev.equals("default") ? st.defaults() : st.interfaceConf(dev);
            InterfaceConf changed = switch (name) {
                case "rp_filter" -> c.withRpFilter(v);
                case "send_redirects" -> c.withSendRedirects(v);
                case "forwarding" -> c.withForwarding(v);
                case "accept_local" -> c.withAcceptLocal(v);
                default -> throw new IllegalArgumentException("the rig does not play sysctl " + key);
            };
            if (dev.equals("all")) s.setSettings(st.withAll(changed));
            else if (dev.equals("default")) {
                s.setSettings(new StackSettings(st.defaultTtl(), st.localPortLow(), st.localPortHigh(), st.icmpRatelimitMillis(),
                        st.icmpRatemask(), st.icmpMsgsPerSec(), st.icmpMsgsBurst(), st.icmpEchoIgnoreAll(),
                        st.icmpEchoIgnoreBroadcasts(), st.icmpErrorsUseInboundIfaddr(), st.ipNoPmtuDisc(), st.tcpSynRetries(),
                        st.tcpSynackRetries(), st.tcpFinTimeoutSeconds(), st.neighbour(), st.all(), changed, st.interfaces()));
            } else s.setSettings(st.withInterface(dev, changed));
            return;
        }
        throw new IllegalArgumentException("the rig does not play sysctl " + key);
    }

    void mtu(String role, String iface, int mtu) {
        if (role.equals("lan")) {
            sw0.port(iface).orElseThrow(() -> new IllegalArgumentException("no lan port " + iface)).device().setMtu(mtu);
            return;
        }
        get(role).iface(iface).orElseThrow(() -> new IllegalArgumentException("no interface " + iface + " in " + role)).device().setMtu(mtu);
    }

    /** {@code iptables-restore < file} in a namespace: the first one installs netfilter, later ones replace the tables. */
    void iptables(String role, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        iptablesText(role, text, file.getFileName().toString());
    }

    void iptablesText(String role, String text, String name) {
        IpStack s = get(role);
        try {
            Firewall fw = firewalls.get(role);
            if (fw == null) {
                SaveFile save = IptablesSaveParser.parse(text, name);
                Netfilter nf = Netfilter.iptables(save.ruleset(), save.counters(), s.hostNetwork(), ConntrackSettings.DEFAULTS, 7);
                NetfilterPacketFilter filter = new NetfilterPacketFilter(nf, lab);
                s.setPacketFilter(role.equals("inet") ? new Sniffer(filter) : filter);
                firewalls.put(role, new Firewall(nf, filter, save.ruleset(), save.counters()));
            } else {
                Ruleset next = IptablesSaveParser.restore(fw.ruleset, fw.counters, text, name, false);
                // iptables-restore without -c: each table in the file starts from zero
                for (String line : text.split("\n")) {
                    if (line.startsWith("*")) fw.counters.zero(org.vnetlab.emulator.netfilter.TableName.valueOf(line.substring(1).strip().toUpperCase(java.util.Locale.ROOT)));
                }
                fw.netfilter.replaceRuleset(next, fw.counters);
                fw.ruleset = next;
            }
        } catch (InputException e) {
            throw new IllegalArgumentException("iptables-restore in " + role + ": " + e.getMessage(), e);
        }
    }

    Firewall firewall(String role) {
        Firewall fw = firewalls.get(role);
        if (fw == null) throw new IllegalArgumentException("no ruleset in " + role);
        return fw;
    }

    // ------------------------------------------------------------------ the internet's services

    private void startInetServices(IpStack inet) {
        try {
            UdpSocket echo = inet.openUdp().bind(WEB, 7);
            echo.onReceive(d -> {
                try {
                    echo.sendTo(d.source(), d.sourcePort(), d.data());
                } catch (SocketException e) {
                    throw new IllegalStateException(e);
                }
            });
            startHttp(inet, param("inet.http", "142.250.1.1:80"));
            if (!param("host.http", "none").equals("none")) startHttp(get("host"), param("host.http", "none"));
            if (!param("guest.http", "none").equals("none")) startHttp(get("guest"), param("guest.http", "none"));
            if (!param("inet.dns", "8.8.8.8 1.1.1.1").equals("none")) {
                for (String a : param("inet.dns", "8.8.8.8 1.1.1.1").split("\\s+")) {
                    UdpSocket dns = inet.openUdp().bind(Ipv4Address.parse(a), 53);
                    dns.onReceive(d -> {
                        try {
                            dns.sendTo(d.source(), d.sourcePort(), Packets.inetDnsAnswer(d.data()));
                        } catch (SocketException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
            }
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The host's dnsmasq from the spec's conf, as the harness runs the real one: side files (hostsfile,
     * addn-hosts) read from the paths the conf names, upstream servers from the spec's resolv lines (default
     * 8.8.8.8). The machine's /etc/hosts, which the real one also reads, has no counterpart here.
     */
    private void startDnsmasq(IpStack host) {
        Path conf = dnsmasqConf.orElseThrow(() -> new IllegalArgumentException(
                "the rig runs dnsmasq only from a 'dnsmasq-conf' line (or set dnsmasq off)"));
        try {
            String text = Files.readString(conf, StandardCharsets.UTF_8);
            org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions options =
                    org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfParser.parse(conf.toString(), text);
            Map<String, String> files = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                String[] kv = line.strip().split("=", 2);
                if (kv.length == 2 && (kv[0].equals("dhcp-hostsfile") || kv[0].equals("addn-hosts"))) {
                    Path side = Path.of(kv[1]);
                    files.put(kv[1], Files.exists(side) ? Files.readString(side, StandardCharsets.UTF_8) : "");
                }
            }
            var settings = org.vnetlab.emulator.dnsmasq.LibvirtSettings.from(conf.toString(), options, files);
            List<Ipv4Address> servers = new ArrayList<>();
            for (String r : resolv.isEmpty() ? List.of("nameserver 8.8.8.8") : resolv) {
                String[] w = r.split("\\s+");
                if (w.length == 2 && w[0].equals("nameserver")) servers.add(Ipv4Address.parse(w[1]));
                else throw new IllegalArgumentException("the rig plays only 'nameserver ADDRESS' resolv lines: " + r);
            }
            dnsmasq = Optional.of(org.vnetlab.emulator.dnsmasq.StackDnsmasq.start(host, settings,
                    org.vnetlab.emulator.dnsmasq.HostFiles.of(servers)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InputException e) {
            throw new IllegalArgumentException("dnsmasq conf " + conf + ": " + e.getMessage(), e);
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The harness's web server: reads a request, answers HTTP/1.0 200 and closes. */
    private static void startHttp(IpStack s, String addressAndPort) throws SocketException {
        String[] http = addressAndPort.split(":");
        s.listen(Ipv4Address.parse(http[0]), Integer.parseInt(http[1]), c -> new TcpConnection.Handler() {
            private final StringBuilder request = new StringBuilder();

            @Override
            public void received(TcpConnection conn, byte[] data) {
                request.append(new String(data, StandardCharsets.ISO_8859_1));
                if (request.indexOf("\r\n\r\n") < 0) return;
                String body = "vnetlab-oracle internet\n";
                try {
                    conn.write(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
                            + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
                } catch (SocketException e) {
                    throw new IllegalStateException(e);
                }
                conn.close();
            }

            @Override
            public void peerClosed(TcpConnection conn) { conn.close(); }
        });
    }

    /**
     * The internet's raw sockets: they get a copy of every ICMP, UDP and TCP packet delivered locally, after
     * INPUT (so after a DNAT in PREROUTING and a source remap in INPUT), which is what the harness's inetd logs.
     */
    private final class Sniffer implements PacketFilter {
        private final PacketFilter inner;

        Sniffer(PacketFilter inner) { this.inner = inner; }

        @Override
        public FilterVerdict hook(Hook hook, FilterPacket packet) {
            FilterVerdict v = inner.hook(hook, packet);
            if (hook == Hook.INPUT && v instanceof FilterVerdict.Accept) {
                byte[] d = ByteBufUtil.getBytes(packet.datagram());
                Packets.seenDatagram(d).ifPresent(f -> inetArrivals.add(new Arrival(lab.now(), f.flow(), f.ttl())));
            }
            return v;
        }

        @Override
        public void packetLost(FilterPacket packet) { inner.packetLost(packet); }

        @Override
        public void attachRelated(FilterPacket reply, FilterPacket original) { inner.attachRelated(reply, original); }

        @Override
        public void finished(FilterPacket packet, PacketFate fate, String detail) { inner.finished(packet, fate, detail); }
    }

    /** inet_seen of the frames that reached the internet from {@code since} on: each flow's first packet. */
    List<String> inetSeen(long since) {
        List<String> flows = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Arrival a : inetArrivals) {
            if (a.time() < since || keys.contains(a.flow())) continue;
            keys.add(a.flow());
            flows.add(a.flow() + "/ttl=" + a.ttl());
        }
        return flows;
    }

    /** Frames received by {@code role}'s interfaces from {@code since} on. */
    List<ByteBuf> receivedBy(String role, long since) {
        List<ByteBuf> out = new ArrayList<>();
        for (Frame f : received) {
            if (f.time() >= since && f.node().equals(role)) out.add(io.netty.buffer.Unpooled.wrappedBuffer(f.bytes()));
        }
        return out;
    }

    /** {@code conntrack -L} of a namespace with a ruleset, one line per entry. */
    List<String> conntrack(String role) {
        String list = firewall(role).netfilter.conntrack().list(lab.now());
        return list.lines().filter(l -> !l.startsWith("conntrack v")).toList();
    }
}
