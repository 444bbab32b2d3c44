package org.vnetlab.emulator.differential;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vnetlab.emulator.conntrack.ConntrackEntry;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.differential.Topology.Iface;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.ChainRef;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.netfilter.hook.PathRunner;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The oracle's topology with the emulator in the host's place: guest — virbr0 [host] enp3s0 — LAN (router,
 * LAN host) — router — internet. Datagrams travel hop by hop through a FIFO (each hop 20 µs of emulated
 * time, probes 300 ms apart); the host's part is {@link Netfilter} driven by {@link PathRunner}; the rest
 * are {@link FarEndNode}s. Runs a scenario's probes in order and records what the oracle records.
 */
final class ReferenceRig implements FarEndNode.Rig {
    private static final long HOP = 20_000, PROBE_GAP = 300_000_000, MAX_HOPS_PER_PROBE = 2_000;
    static final Ipv4Address GUEST = Topology.GUEST_ETH0.address();

    private final Deque<Runnable> wire = new ArrayDeque<>();
    private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    private final Map<String, FarEndNode> farEnd = new LinkedHashMap<>();
    private final List<Iface> ifaces = List.of(Topology.GUEST_ETH0, Topology.HOST_VIRBR0, Topology.HOST_ENP3S0,
            Topology.ROUTER_LAN0, Topology.ROUTER_WAN0, Topology.INET_WAN0, Topology.LANHOST_ETH0);
    private final List<Ip> inetArrivals = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final Ruleset ruleset;
    private final RuleCounters counters = new RuleCounters();
    private final Netfilter netfilter;
    private final HostStack host;
    private long now = 100_000_000_000L;

    ReferenceRig(Ruleset ruleset, boolean ipForward, boolean defaultRoute, boolean guestHttp) throws InputException {
        this.ruleset = ruleset;
        ArticleHost hostNet = Topology.host(defaultRoute);
        this.netfilter = Netfilter.iptables(ruleset, counters, hostNet, ConntrackSettings.DEFAULTS, 1);
        this.host = new HostStack(new PathRunner(netfilter, hostNet, ipForward), hostNet, this, () -> now);
        FarEndNode guest = new FarEndNode("guest", List.of(Topology.GUEST_ETH0), Set.of(), false, this)
                .route("0.0.0.0/0", "192.168.122.1", Topology.GUEST_ETH0);
        if (guestHttp) guest.serve(Ip.TCP, Ipv4Address.ANY, 80, FarEndNode.Service.HTTP);
        FarEndNode router = new FarEndNode("router", List.of(Topology.ROUTER_LAN0, Topology.ROUTER_WAN0), Set.of(), true, this)
                .route("0.0.0.0/0", "203.0.113.1", Topology.ROUTER_WAN0)
                .route("192.168.122.0/24", "192.168.0.10", Topology.ROUTER_LAN0);
        Ipv4Address dns1 = Topology.ip("8.8.8.8"), dns2 = Topology.ip("1.1.1.1"), web = Topology.ip("142.250.1.1");
        FarEndNode inet = new FarEndNode("inet", List.of(Topology.INET_WAN0), Set.of(dns1, dns2, web), false, this)
                .route("192.168.0.0/24", "203.0.113.2", Topology.INET_WAN0)
                .serve(Ip.UDP, dns1, 53, FarEndNode.Service.DNS)
                .serve(Ip.UDP, dns2, 53, FarEndNode.Service.DNS)
                .serve(Ip.TCP, web, 80, FarEndNode.Service.HTTP)
                .serve(Ip.UDP, web, 7, FarEndNode.Service.ECHO);
        inet.onArrival(inetArrivals::add);
        FarEndNode lanhost = new FarEndNode("lanhost", List.of(Topology.LANHOST_ETH0), Set.of(), false, this)
                .route("0.0.0.0/0", "192.168.0.1", Topology.LANHOST_ETH0)
                .route("192.168.122.0/24", "192.168.0.10", Topology.LANHOST_ETH0);
        for (FarEndNode n : List.of(guest, router, inet, lanhost)) farEnd.put(n.name(), n);
        endpoints.put("host", host);
        endpoints.putAll(farEnd);
    }

    @Override
    public void transmit(Iface out, Ipv4Address nextHop, ByteBuf datagram) {
        ByteBuf copy = datagram.copy(datagram.readerIndex(), datagram.readableBytes());
        for (Iface i : ifaces) {
            if (i.segment() == out.segment() && i.address().equals(nextHop) && !i.equals(out)) {
                wire.add(() -> arrive(i, out, copy));
                return;
            }
        }
        lost(out.node(), "no neighbour " + nextHop + " on " + out.segment() + " (ARP fails)", Ip.of(copy));
    }

    private void arrive(Iface at, Iface from, ByteBuf datagram) {
        now += HOP;
        if (at.node().equals("host")) host.receive(datagram, at, from.mac());
        else farEnd.get(at.node()).receive(datagram, at);
    }

    @Override
    public long now() { return now; }

    @Override
    public void lost(String node, String why, Ip ip) {
        log.add(String.format("%.6f %s: %s%s", now / 1e9, node, why, ip == null ? "" : " (" + ip + ")"));
    }

    /** Runs the probes in order, each until the wires are quiet. */
    EmulatedRun run(List<Probe> probes) {
        Map<String, EmulatedRun.ProbeRecord> records = new LinkedHashMap<>();
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            now += PROBE_GAP;
            log.add(String.format("%.6f probe %s", now / 1e9, p.line()));
            String from = p.args().getOrDefault("from", "guest");
            Endpoint at = endpoints.get(from);
            if (at == null) throw new IllegalArgumentException("probe " + p.id() + ": no machine '" + from + "' in the rig");
            Map<String, Long> before = packetCounters();
            inetArrivals.clear();
            ProbeClient client = new ProbeClient(p, i, at, GUEST);
            at.attach(client);
            client.start();
            for (int hops = 0; !wire.isEmpty(); hops++) {
                if (hops > MAX_HOPS_PER_PROBE) throw new IllegalStateException("probe " + p.id() + " does not settle: " + log);
                wire.poll().run();
            }
            at.attach(null);
            records.put(p.id(), new EmulatedRun.ProbeRecord(client.result(seen()), client.flow(), deltas(before, packetCounters()), conntrack()));
        }
        return new EmulatedRun(records, log);
    }

    /** The inet namespace's arrival log, summarized as oracle_probe.py's {@code seen} does: first packet per flow. */
    private String seen() {
        Map<String, Integer> flows = new LinkedHashMap<>();
        for (Ip ip : inetArrivals) {
            String key = switch (ip.protocol()) {
                case Ip.TCP -> "tcp:" + ip.source() + ":" + ip.sourcePort() + ">" + ip.destination() + ":" + ip.destinationPort();
                case Ip.UDP -> "udp:" + ip.source() + ":" + ip.sourcePort() + ">" + ip.destination() + ":" + ip.destinationPort();
                case Ip.ICMP -> ip.icmpType() == 0 || ip.icmpType() == 8
                        ? "icmp:" + ip.source() + "#" + ip.icmpId() + ">" + ip.destination()
                        : "icmp:" + ip.source() + ">" + ip.destination();
                default -> null;
            };
            if (key != null) flows.putIfAbsent(key, ip.ttl());
        }
        List<String> items = new ArrayList<>();
        flows.forEach((k, ttl) -> items.add(k + "/ttl=" + ttl));
        return String.join(",", items);
    }

    /** Every policy and rule counter, keyed as the oracle's RuleCounters keys them. */
    private Map<String, Long> packetCounters() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Table t : ruleset.tables()) {
            for (Chain c : t.chains()) {
                String chain = t.name().iptablesName() + ":" + c.name();
                if (c.isBuiltin()) m.put(chain + " policy", counters.policy(new ChainRef(t.name(), c.name())).packets());
                for (int n = 1; n <= c.rules().size(); n++) {
                    m.put(chain + " #" + n, counters.rule(new RuleRef(t.name(), c.name(), n)).packets());
                }
            }
        }
        return m;
    }

    private static Map<String, Long> deltas(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> moved = new LinkedHashMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) moved.put(k, d);
        });
        return moved;
    }

    private List<String> conntrack() {
        netfilter.conntrack().expire(now);
        List<String> lines = new ArrayList<>();
        for (ConntrackEntry e : netfilter.conntrack().entries()) lines.add(e.format(now, true));
        return lines;
    }
}
