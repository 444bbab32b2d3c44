package org.vnetlab.emulator.stack;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SeededRandom;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * ARP's neighbour table (net/core/neighbour.c with arp_tbl's parameters): the one mutable place that maps
 * next hops to MAC addresses, with the kernel's state machine.
 *
 * <ul>
 *   <li>A packet for an unknown (or FAILED) next hop makes an INCOMPLETE entry: the packet waits in the
 *       entry's queue (unres_qlen, oldest dropped first), a broadcast request goes out at once and again
 *       every retrans_time; after mcast_solicit requests (3, at 0, 1 and 2 s) and one more retrans_time
 *       without answer the entry is FAILED (at 3 s) and every queued packet is reported back (the stack
 *       answers it with ICMP host unreachable).</li>
 *   <li>A reply addressed to us makes the entry REACHABLE for reachable_time (random in [base/2, 3·base/2),
 *       base_reachable_time 30 s, redrawn every 300 s); then STALE, or DELAY if used meanwhile. A STALE entry
 *       in use goes to DELAY for delay_first_probe_time (5 s) while packets still flow, then PROBE: up to
 *       ucast_solicit unicast requests 1 s apart; no answer → FAILED.</li>
 *   <li>Requests addressed to us and broadcast replies only assert STALE; a different MAC replaces the old
 *       one only with "override": always for requests to us and gratuitous ARP, for replies only once
 *       locktime (1 s) passed since the last update (the first of competing replies wins).</li>
 * </ul>
 * No garbage collection: the kernel only collects once the table holds gc_thresh1 (128) entries, which
 * emulated networks never reach.
 */
public final class NeighbourCache {

    /** NUD_* states as {@code ip neigh} prints them. */
    public enum State {
        INCOMPLETE, REACHABLE, STALE, DELAY, PROBE, FAILED, PERMANENT;

        boolean valid() { return this == REACHABLE || this == STALE || this == DELAY || this == PROBE || this == PERMANENT; }

        boolean connected() { return this == REACHABLE || this == PERMANENT; }
    }

    /** One line of {@code ip neigh}. */
    public record Entry(Ipv4Address address, String dev, Optional<MacAddress> mac, State state) {
        @Override
        public String toString() {
            return address + " dev " + dev + mac.map(m -> " lladdr " + m).orElse("") + " " + state;
        }
    }

    /** A packet waiting for its next hop's address, with what the stack needs to send or refuse it. */
    interface Pending {
        void send(MacAddress mac);

        /** Resolution failed: the stack answers with ICMP host unreachable (arp_error_report). */
        void failed();
    }

    /** What the table asks of its stack. */
    interface Host {
        /** arp_solicit: a request for {@code target} out of {@code dev}, unicast to {@code to} when present. */
        void solicit(String dev, Ipv4Address target, Optional<MacAddress> to, Optional<Ipv4Address> sourceHint);
    }

    private final class Neighbour {
        final Ipv4Address address;
        final String dev;
        State state = State.INCOMPLETE;
        MacAddress mac;
        int probes;
        long updated;
        long confirmed;
        long used;
        final Deque<Pending> queue = new ArrayDeque<>();
        Optional<Ipv4Address> lastSource = Optional.empty();
        Timer timer;

        Neighbour(Ipv4Address address, String dev) {
            this.address = address;
            this.dev = dev;
        }
    }

    private record Key(String dev, Ipv4Address address) { }

    private final Lab lab;
    private final String path;
    private final Host host;
    private final SeededRandom random;
    private final Map<Key, Neighbour> entries = new LinkedHashMap<>();
    private StackSettings.NeighbourParams params;
    private long reachableTime;
    private long reachableDrawn = Long.MIN_VALUE;

    NeighbourCache(Lab lab, String path, Host host, StackSettings.NeighbourParams params, SeededRandom random) {
        this.lab = lab;
        this.path = path;
        this.host = host;
        this.params = params;
        this.random = random;
    }

    void setParams(StackSettings.NeighbourParams p) {
        this.params = p;
        reachableDrawn = Long.MIN_VALUE;
    }

    private long ms(long millis) { return millis * 1_000_000L; }

    /** neigh_rand_reach_time, redrawn every 300 s like neigh_periodic_work does. */
    private long reachableTime() {
        long now = lab.now();
        if (reachableDrawn == Long.MIN_VALUE || now - reachableDrawn >= ms(300_000)) {
            long base = params.baseReachableTimeMillis();
            reachableTime = base == 0 ? 0 : ms(random.nextInt((int) base) + (base >> 1));
            reachableDrawn = now;
        }
        return reachableTime;
    }

    /** The table as {@code ip neigh show} lists it. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        for (Neighbour n : entries.values()) out.add(new Entry(n.address, n.dev, Optional.ofNullable(n.mac), n.state));
        out.sort(Comparator.comparing(Entry::dev).thenComparing(Entry::address));
        return out;
    }

    public Optional<Entry> lookup(String dev, Ipv4Address address) {
        Neighbour n = entries.get(new Key(dev, address));
        return n == null ? Optional.empty() : Optional.of(new Entry(n.address, n.dev, Optional.ofNullable(n.mac), n.state));
    }

    /** {@code ip neigh show} text. */
    public String show() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries()) sb.append(e).append('\n');
        return sb.toString();
    }

    /**
     * {@code ip neigh replace IP lladdr MAC dev DEV nud reachable|permanent} (also what dnsmasq's SIOCSARP
     * does before it unicasts a DHCP offer to a client that has no address yet). Queued packets go out.
     */
    public void set(String dev, Ipv4Address address, MacAddress mac, boolean permanent) {
        Neighbour n = entries.computeIfAbsent(new Key(dev, address), k -> new Neighbour(address, dev));
        cancelTimer(n);
        n.mac = mac;
        n.state = permanent ? State.PERMANENT : State.REACHABLE;
        n.updated = n.confirmed = lab.now();
        if (!permanent) armTimer(n, reachableTime(), true);
        flush(n);
    }

    /** {@code ip neigh flush dev DEV} / interface gone. */
    public void flush(String dev) {
        entries.values().removeIf(n -> {
            if (!n.dev.equals(dev)) return false;
            cancelTimer(n);
            n.queue.clear();
            return true;
        });
    }

    /** neigh_resolve_output / __neigh_event_send: send {@code p} to {@code hop} on {@code dev}. */
    void send(String dev, Ipv4Address hop, Pending p, Optional<Ipv4Address> source) {
        long now = lab.now();
        Neighbour n = entries.computeIfAbsent(new Key(dev, hop), k -> {
            Neighbour x = new Neighbour(hop, dev);
            x.state = State.FAILED; // NUD_NONE: starts resolving below
            return x;
        });
        n.used = now;
        source.ifPresent(s -> n.lastSource = Optional.of(s));
        switch (n.state) {
            case REACHABLE, PERMANENT, DELAY, PROBE -> p.send(n.mac);
            case STALE -> {
                n.state = State.DELAY;
                n.updated = now;
                armTimer(n, ms(params.delayFirstProbeTimeMillis()), false);
                p.send(n.mac);
            }
            case INCOMPLETE -> enqueue(n, p);
            case FAILED -> {
                if (params.mcastSolicit() == 0) {
                    p.failed();
                    return;
                }
                n.state = State.INCOMPLETE;
                n.probes = params.ucastSolicit();
                n.updated = now;
                enqueue(n, p);
                armTimer(n, ms(Math.max(params.retransTimeMillis(), 10)), false);
                probe(n);
            }
        }
    }

    private void enqueue(Neighbour n, Pending p) {
        while (n.queue.size() >= Math.max(1, params.unresQlen())) {
            n.queue.removeFirst();
            lab.counters().increment(path, Mib.NEIGH_UNRES_DISCARDS);
        }
        n.queue.addLast(p);
    }

    private void probe(Neighbour n) {
        // arp_solicit: while probes < ucast_solicit the known address is asked directly, later ones broadcast.
        boolean unicast = n.probes < params.ucastSolicit() && n.mac != null;
        n.probes++;
        host.solicit(n.dev, n.address, unicast ? Optional.of(n.mac) : Optional.empty(), n.lastSource);
    }

    private int maxProbes(Neighbour n) {
        return params.ucastSolicit() + (n.state == State.PROBE ? 0 : params.mcastSolicit());
    }

    private void timerFired(Neighbour n) {
        long now = lab.now();
        long next = -1;
        switch (n.state) {
            case REACHABLE -> {
                if (now < n.confirmed + reachableTime()) {
                    next = n.confirmed + reachableTime() - now;
                } else if (now <= n.used + ms(params.delayFirstProbeTimeMillis())) {
                    n.state = State.DELAY;
                    n.updated = now;
                    next = ms(params.delayFirstProbeTimeMillis());
                } else {
                    n.state = State.STALE;
                    n.updated = now;
                }
            }
            case DELAY -> {
                if (now <= n.confirmed + ms(params.delayFirstProbeTimeMillis())) {
                    n.state = State.REACHABLE;
                    n.updated = now;
                    next = Math.max(0, n.confirmed + reachableTime() - now);
                } else {
                    n.state = State.PROBE;
                    n.updated = now;
                    n.probes = 0;
                    next = ms(Math.max(params.retransTimeMillis(), 10));
                }
            }
            case INCOMPLETE, PROBE -> next = ms(Math.max(params.retransTimeMillis(), 10));
            default -> { return; }
        }
        if ((n.state == State.INCOMPLETE || n.state == State.PROBE) && n.probes >= maxProbes(n)) {
            n.state = State.FAILED;
            n.updated = now;
            lab.counters().increment(path, Mib.NEIGH_RES_FAILED);
            List<Pending> failed = new ArrayList<>(n.queue);
            n.queue.clear();
            for (Pending p : failed) p.failed();
            return;
        }
        if (next >= 0) armTimer(n, Math.max(next, ms(10)), n.state == State.REACHABLE);
        if (n.state == State.INCOMPLETE || n.state == State.PROBE) probe(n);
    }

    private void armTimer(Neighbour n, long delay, boolean housekeeping) {
        cancelTimer(n);
        String label = path + " neigh " + n.address + " " + n.dev;
        n.timer = housekeeping ? lab.scheduler().daemonTimer(label, () -> timerFired(n))
                : lab.scheduler().timer(label, () -> timerFired(n));
        n.timer.start(delay);
    }

    private void cancelTimer(Neighbour n) {
        if (n.timer != null) n.timer.cancel();
        n.timer = null;
    }

    /** True if an entry exists for the sender (arp_process only updates existing entries on replies). */
    boolean exists(String dev, Ipv4Address address) { return entries.containsKey(new Key(dev, address)); }

    /**
     * neigh_update from ARP: {@code reachable} for a reply addressed to us, else STALE; {@code create} for
     * requests to us (neigh_event_ns); {@code override} per locktime / gratuitous ARP.
     */
    void update(String dev, Ipv4Address address, MacAddress mac, boolean reachable, boolean create, boolean forceOverride) {
        Key key = new Key(dev, address);
        Neighbour n = entries.get(key);
        long now = lab.now();
        if (n == null) {
            if (!create) return;
            n = new Neighbour(address, dev);
            n.state = State.FAILED;
            n.mac = null;
            entries.put(key, n);
        }
        if (n.state == State.PERMANENT) return;
        boolean override = forceOverride || now > n.updated + ms(params.locktimeMillis());
        State old = n.state;
        State next = reachable ? State.REACHABLE : State.STALE;
        boolean sameMac = mac.equals(n.mac);
        if (next.connected()) n.confirmed = now;
        if (old.valid()) {
            if (!sameMac && !override) return;
            if (sameMac && next == State.STALE) next = old;
        }
        if (next != old) {
            cancelTimer(n);
            if (next == State.REACHABLE) armTimer(n, reachableTime(), true);
            n.state = next;
            n.updated = now;
        }
        if (!sameMac) {
            n.mac = mac;
            n.updated = now;
            if (!next.connected()) n.confirmed = now - ms(2 * params.baseReachableTimeMillis());
        }
        if (!old.valid()) flush(n);
    }

    /** dst_confirm_neigh: upper layers saw progress (a TCP ACK of new data), the neighbour is reachable. */
    void confirm(String dev, Ipv4Address address) {
        Neighbour n = entries.get(new Key(dev, address));
        if (n != null && n.state.valid()) n.confirmed = lab.now();
    }

    private void flush(Neighbour n) {
        List<Pending> ready = new ArrayList<>(n.queue);
        n.queue.clear();
        for (Pending p : ready) p.send(n.mac);
    }
}
