package org.vnetlab.emulator.netfilter.hook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.vnetlab.emulator.netfilter.Ipset;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The mutable state of one network namespace's match extensions that outlives a ruleset change, as the kernel
 * keeps it per netns: {@code -m recent} lists and {@code -m hashlimit} tables by name (a new ruleset naming
 * the same list finds it again), the ipsets, and the random stream of {@code -m statistic --mode random}
 * (seeded: the same run draws the same numbers). Times are the lab clock in jiffies (HZ=1000, as -m limit).
 */
final class ExtensionState {
    /** xt_recent module parameters' defaults: ip_list_tot entries per list, ip_pkt_list_tot stamps per entry. */
    static final int RECENT_LIST_TOTAL = 100, RECENT_STAMPS = 20;

    /** One address in a recent list: its TTL and the jiffies of its last hits (oldest first). */
    static final class RecentEntry {
        final Ipv4Address address;
        int ttl;
        final List<Long> stamps = new ArrayList<>();

        RecentEntry(Ipv4Address address, int ttl) {
            this.address = address;
            this.ttl = ttl;
        }

        long newest() { return stamps.get(stamps.size() - 1); }
    }

    /** A recent list in least-recently-updated order (LinkedHashMap in access order of updates). */
    static final class RecentList {
        final LinkedHashMap<Ipv4Address, RecentEntry> entries = new LinkedHashMap<>();
        int stampsKept = RECENT_STAMPS;
    }

    /** One hashlimit bucket: credit, its cap, cost, last refill and expiry, all in the kernel's units. */
    static final class Bucket {
        long credit, cap, cost, prev, expires;
    }

    /** A hashlimit table: buckets by key, garbage-collected every gcInterval ms from its creation. */
    static final class HashTable {
        final long created, gcInterval;
        final Map<List<Long>, Bucket> buckets = new HashMap<>();

        HashTable(long created, long gcInterval) {
            this.created = created;
            this.gcInterval = gcInterval;
        }
    }

    /** An ipset's current members; {@code known} false for a set the dump named but did not describe. */
    static final class SetContent {
        final Ipset.Type type;
        final boolean known;
        final List<Ipset.Member> members;

        SetContent(Ipset.Type type, boolean known, List<Ipset.Member> members) {
            this.type = type;
            this.known = known;
            this.members = new ArrayList<>(members);
        }
    }

    private final Map<String, RecentList> recent = new HashMap<>();
    private final Map<String, HashTable> hashTables = new HashMap<>();
    private final Map<String, SetContent> sets = new LinkedHashMap<>();
    private boolean setsGiven;
    private final SplittableRandom random;

    ExtensionState(long seed) { this.random = new SplittableRandom(seed ^ 0x5eed_57a7_15c1L); }

    RecentList recentList(String name, int hitcount) {
        RecentList l = recent.computeIfAbsent(name, k -> new RecentList());
        // recent_mt_check: a list made for a larger --hitcount keeps that many stamps
        l.stampsKept = Math.max(l.stampsKept, hitcount);
        return l;
    }

    /** The addresses in a recent list, for tests and the trace. */
    List<Ipv4Address> recentAddresses(String name) {
        RecentList l = recent.get(name);
        return l == null ? List.of() : List.copyOf(new TreeSet<>(l.entries.keySet()));
    }

    HashTable hashTable(String name, long now, long gcInterval) {
        return hashTables.computeIfAbsent(name, k -> new HashTable(now, gcInterval));
    }

    /** A 31-bit random number, as get_random_u32() & 0x7fffffff. */
    long random31() { return random.nextInt() & 0x7fff_ffffL; }

    /** The ipsets of an {@code ipset save}: from now on the members are known and missing sets do not exist. */
    void loadIpsets(List<Ipset> given) {
        sets.clear();
        setsGiven = true;
        for (Ipset s : given) sets.put(s.name(), new SetContent(s.type(), true, s.members()));
    }

    boolean ipsetsGiven() { return setsGiven; }

    /** The set named by a rule; without an ipset dump, an empty set of unknown content. */
    Optional<SetContent> set(String name) {
        if (!setsGiven) return Optional.of(sets.computeIfAbsent(name, k -> new SetContent(Ipset.Type.HASH_IP, false, List.of())));
        return Optional.ofNullable(sets.get(name));
    }

    /** Every set's current members, for tests and reports. */
    Map<String, List<Ipset.Member>> setMembers() {
        Map<String, List<Ipset.Member>> m = new LinkedHashMap<>();
        for (Map.Entry<String, SetContent> e : sets.entrySet()) m.put(e.getKey(), List.copyOf(e.getValue().members));
        return m;
    }

    static <K, V> void removeFirst(LinkedHashMap<K, V> map) {
        Iterator<K> it = map.keySet().iterator();
        it.next();
        it.remove();
    }
}
