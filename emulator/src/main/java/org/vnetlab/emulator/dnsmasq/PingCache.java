package org.vnetlab.emulator.dnsmasq;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.protocols.Ipv4Address;

/**
 * dnsmasq's record of addresses that did not answer a ping (dhcp.c do_icmp_ping): for PING_CACHE_TIME
 * (30 s) such an address is offered again without another ping. If 60 % of the pings possible in that time
 * (30 s / 3 s wait) were already made, dnsmasq is "under load" and offers without pinging at all.
 */
final class PingCache {
    static final long CACHE_SECONDS = 30;
    static final long WAIT_SECONDS = 3;
    /** (int)(0.6 * PING_CACHE_TIME / PING_WAIT) = 6. */
    static final int MAX_RECENT = (int) (0.6 * ((float) CACHE_SECONDS / (float) WAIT_SECONDS));

    enum Verdict { CACHED_FREE, OVERLOADED, MUST_PING }

    private record Entry(Ipv4Address address, long time, int hash) {}

    private final List<Entry> entries = new ArrayList<>();

    Verdict check(Ipv4Address address, long nowSeconds) {
        int recent = 0;
        for (Entry e : entries) {
            if (nowSeconds - e.time <= CACHE_SECONDS) {
                recent++;
                if (e.address.equals(address)) return Verdict.CACHED_FREE;
            }
        }
        return recent >= MAX_RECENT ? Verdict.OVERLOADED : Verdict.MUST_PING;
    }

    /** The ping went unanswered: remember the address as free, reusing an expired slot if there is one. */
    void recordFree(Ipv4Address address, long nowSeconds, int hash) {
        Entry fresh = new Entry(address, nowSeconds, hash);
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (nowSeconds - entries.get(i).time > CACHE_SECONDS) {
                entries.set(i, fresh);
                return;
            }
        }
        entries.add(0, fresh);
    }
}
