package org.vnetlab.emulator.bridge;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.sim.KernelLog;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.protocols.MacAddress;

/**
 * The bridge's forwarding database (br_fdb.c). Learned entries age out after the ageing time (300 s by
 * default) — or after the forward delay while an STP topology change is in progress — but only when the
 * garbage collector runs: like the kernel, lookups do not check age, and the collector runs 100 ms after
 * the bridge comes up, then again at the earliest expiry it knows of (at least 10 ms apart).
 */
public final class Fdb {
    private static final long GC_FIRST_DELAY = SimTime.millis(100);
    private static final long GC_MIN_INTERVAL = SimTime.millis(10);

    static final class Entry {
        final MacAddress mac;
        BridgePort port; // null: the bridge device itself
        final boolean local;
        final boolean isStatic;
        long updated;
        long used;

        Entry(MacAddress mac, BridgePort port, boolean local, boolean isStatic, long now) {
            this.mac = mac;
            this.port = port;
            this.local = local;
            this.isStatic = isStatic;
            this.updated = now;
            this.used = now;
        }
    }

    private final Bridge bridge;
    private final Map<MacAddress, Entry> entries = new LinkedHashMap<>();
    private final Timer gc;

    Fdb(Bridge bridge) {
        this.bridge = bridge;
        this.gc = bridge.lab().scheduler().daemonTimer("bridge " + bridge.path() + " fdb gc", this::cleanup);
    }

    /** How long an unused learned entry lives now: the forward delay during a topology change, else the ageing time. */
    public long holdTimeNanos() {
        return bridge.stp().topologyChange() ? bridge.stp().forwardDelay() : bridge.config().ageingTimeNanos();
    }

    Entry find(MacAddress mac) { return entries.get(mac); }

    /** The entry for an address, as the collector last left it. */
    public Optional<FdbEntry> lookup(MacAddress mac) {
        Entry e = entries.get(mac);
        return e == null ? Optional.empty() : Optional.of(snapshot(e));
    }

    /** All entries, oldest first. */
    public List<FdbEntry> entries() {
        List<FdbEntry> out = new ArrayList<>();
        for (Entry e : entries.values()) out.add(snapshot(e));
        return out;
    }

    private FdbEntry snapshot(Entry e) {
        return new FdbEntry(e.mac, e.port == null ? bridge.name() : e.port.name(), e.local, e.isStatic, e.updated);
    }

    /** Adds a static entry, like {@code bridge fdb add MAC dev PORT master static}. */
    public void addStatic(MacAddress mac, BridgePort port) {
        if (port.bridge() != bridge) throw new IllegalArgumentException(port.name() + " is not a port of " + bridge.name());
        Entry old = entries.get(mac);
        if (old != null && old.local) throw new IllegalArgumentException(mac + " is a local address of " + bridge.name());
        entries.put(mac, new Entry(mac, port, false, true, bridge.lab().now()));
    }

    /** fdb_add_local: the bridge's or a port's own address; the first owner of a shared address keeps it. */
    void addLocal(BridgePort port, MacAddress mac) {
        Entry old = entries.get(mac);
        if (old != null) {
            if (old.local) return;
            bridge.lab().log().warn(bridge.node(), bridge.name() + ": adding interface "
                    + (port == null ? bridge.name() : port.name()) + " with same address as a received packet (addr:" + mac + ", vlan:0)");
            entries.remove(mac);
        }
        entries.put(mac, new Entry(mac, port, true, true, bridge.lab().now()));
    }

    /** br_fdb_update: learn or refresh where {@code mac} lives. */
    void learn(BridgePort source, MacAddress mac) {
        if (holdTimeNanos() == 0) return; // ageing time 0: the bridge always floods
        if (!source.state().learns()) return;
        long now = bridge.lab().now();
        Entry e = entries.get(mac);
        if (e == null) {
            entries.put(mac, new Entry(mac, source, false, false, now));
        } else if (e.local) {
            bridge.lab().log().ratelimited(bridge.node(), KernelLog.Level.WARNING, bridge.name() + ": received packet on "
                    + source.name() + " with own address as source address (addr:" + mac + ", vlan:0)");
            bridge.count("own_address_as_source");
        } else {
            e.updated = now;
            e.port = source; // roams to the port it was last seen on, static entries too (no sticky flag)
        }
    }

    /** br_fdb_delete_by_port: forget what was learned behind a port; with {@code all}, its static and local entries too. */
    void deleteByPort(BridgePort port, boolean all) {
        Iterator<Entry> it = entries.values().iterator();
        List<Entry> relocated = new ArrayList<>();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.port != port) continue;
            if (e.isStatic && !all) continue;
            it.remove();
            if (e.local) relocated.add(e);
        }
        // fdb_delete_local: a local address shared with another port or the bridge itself stays local.
        for (Entry e : relocated) {
            for (BridgePort other : bridge.portList()) {
                if (other != port && other.device().mac().equals(e.mac)) {
                    entries.put(e.mac, new Entry(e.mac, other, true, true, e.updated));
                    break;
                }
            }
            if (!entries.containsKey(e.mac) && bridge.mac().equals(e.mac)) {
                entries.put(e.mac, new Entry(e.mac, null, true, true, e.updated));
            }
        }
    }

    void startGc() { gc.start(GC_FIRST_DELAY); }

    void stopGc() { gc.cancel(); }

    /** br_fdb_cleanup: delete what has aged, come back at the next expiry. */
    private void cleanup() {
        long now = bridge.lab().now();
        long delay = holdTimeNanos();
        long next = delay;
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (e.isStatic) continue;
            long expires = e.updated + delay;
            if (expires > now) next = Math.min(next, expires - now);
            else it.remove();
        }
        gc.start(Math.max(next, GC_MIN_INTERVAL));
    }
}
