package org.vnetlab.emulator.stack;

import java.util.HashMap;
import java.util.Map;
import org.vnetlab.emulator.sim.SeededRandom;
import org.vnetlab.protocols.Ipv4Address;

/**
 * IP identifications for packets not sent by a connected socket, as Linux's ip_idents_reserve draws them:
 * one counter per (destination, source, protocol) bucket, starting at a value the boot-time hash key makes
 * unpredictable, moved on by 1 per packet plus a random amount below the jiffies elapsed since the bucket
 * was last used. The key and the draws come from the stack's seeded stream, so a run is reproducible while
 * the properties a capture shows (distinct, increasing per flow, jumping after idle time) hold.
 */
final class IpIdents {
    private record Key(Ipv4Address source, Ipv4Address destination, int protocol) { }

    private static final class Bucket {
        int id;
        long stamp;
    }

    private final Map<Key, Bucket> buckets = new HashMap<>();
    private final SeededRandom random;

    IpIdents(SeededRandom random) { this.random = random; }

    int next(Ipv4Address source, Ipv4Address destination, int protocol, long nanos) {
        long now = IcmpRateLimiter.jiffies(nanos);
        Bucket b = buckets.computeIfAbsent(new Key(source, destination, protocol), k -> {
            Bucket n = new Bucket();
            n.id = random.nextInt(65536);
            n.stamp = now;
            return n;
        });
        int delta = 0;
        if (b.stamp != now) {
            long elapsed = now - b.stamp;
            delta = random.nextInt((int) Math.min(elapsed, Integer.MAX_VALUE));
            b.stamp = now;
        }
        int id = b.id + delta;
        b.id = id + 1;
        return id & 0xffff;
    }
}
