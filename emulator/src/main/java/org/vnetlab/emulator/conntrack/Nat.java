package org.vnetlab.emulator.conntrack;

import java.util.Random;
import org.vnetlab.protocols.Ipv4Address;

/**
 * NAT bindings (nf_nat_core.c): a connection's first packet gets a binding — the tuple it will carry after
 * translation, made unique so that replies map back to exactly one connection — and every later packet of
 * either direction reuses it. The port choice follows get_unique_tuple and nf_nat_l4proto_unique_tuple:
 * keep the original tuple when it is in range and free, else reuse this source's existing mapping, else
 * probe linearly from a random offset. The kernel's offset comes from get_random_u16(); here from a seeded
 * generator, so runs repeat.
 */
public final class Nat {
    private static final int MAX_ATTEMPTS = 128;
    private final ConntrackTable table;
    private final Random random;

    public Nat(ConntrackTable table, long seed) {
        this.table = table;
        this.random = new Random(seed);
    }

    /** MASQUERADE remembers the interface (nat->masq_index) so the entry dies with its address. */
    /** The conntrack table the bindings live in. */
    public ConntrackTable table() { return table; }

    public void markMasquerade(ConntrackEntry ct, String outInterface) { ct.setMasqueradeInterface(outInterface); }

    public static boolean isInitialized(ConntrackEntry ct, NatManip manip) { return ct.has(manip.doneBit()); }

    /**
     * nf_nat_setup_info: choose the binding for {@code manip} on an unconfirmed connection and alter its
     * reply tuple. Returns the new original-direction tuple after translation.
     */
    public ConntrackTuple setup(ConntrackEntry ct, NatRequest range, NatManip manip) {
        if (ct.isConfirmed()) return ct.reply().inverted();
        if (isInitialized(ct, manip)) throw new IllegalStateException("NAT " + manip + " already set up for " + ct);
        ConntrackTuple current = ct.reply().inverted();
        ConntrackTuple chosen = uniqueTuple(current, range, ct, manip);
        if (!chosen.equals(current)) {
            ct.setReply(chosen.inverted());
            ct.setStatus(manip.natBit());
        }
        ct.setStatus(manip.doneBit());
        return chosen;
    }

    /** nf_nat_alloc_null_binding: no rule translated; still make the tuple unique (it may be remapped). */
    public ConntrackTuple nullBinding(ConntrackEntry ct, NatManip manip) {
        long reply = ct.addresses(Direction.REPLY);
        Ipv4Address ip = new Ipv4Address(manip == NatManip.SOURCE ? (int) reply : (int) (reply >>> 32));
        return setup(ct, NatRequest.toAddress(ip), manip);
    }

    /** nf_nat_used_tuple: would {@code t} (a translated original tuple) make a reply that is already taken? */
    private boolean used(ConntrackTuple t, ConntrackEntry ct) {
        return t.invertible() && table.isTaken(t.inverted(), ct);
    }

    private boolean allowsClash(int protocol) {
        return protocol == ConntrackTuple.UDP || protocol == ConntrackTuple.UDPLITE || protocol == ConntrackTuple.ICMP
                || protocol == 47 || protocol == ConntrackTuple.SCTP;
    }

    /** nf_nat_used_tuple_new: like used(), but an un-NATed reverse duplicate is left to the clash logic. */
    private boolean usedNew(ConntrackTuple t, ConntrackEntry ct) {
        if (!used(t, ct)) return false;
        if (!allowsClash(t.protocol())) return true;
        if (ct.has(Status.SRC_NAT) || ct.has(Status.DST_NAT) || ct.has(Status.SEQ_ADJUST)) return true;
        ConntrackEntry other;
        Direction dir;
        java.util.Optional<ConntrackEntry> hit = table.find(t);
        if (hit.isPresent()) {
            other = hit.get();
            dir = ConntrackTable.directionOf(other, t);
        } else {
            hit = table.find(t.inverted());
            if (hit.isEmpty()) return false;
            other = hit.get();
            dir = ConntrackTable.directionOf(other, t.inverted());
        }
        if (dir != Direction.REPLY) return true;
        if (other.has(Status.SRC_NAT) || other.has(Status.DST_NAT) || other.has(Status.SEQ_ADJUST)) return true;
        return !(other.original().equals(ct.reply()) && other.reply().equals(ct.original()));
    }

    private static boolean addressInRange(Ipv4Address a, NatRequest r) {
        return a.compareTo(r.minAddress().get()) >= 0 && a.compareTo(r.maxAddress().get()) <= 0;
    }

    private static boolean keyInRange(ConntrackTuple t, NatManip manip, NatRequest r) {
        int key;
        if (t.protocol() == ConntrackTuple.ICMP) key = t.icmpId();
        else if (t.hasPorts() || t.protocol() == 47) key = manip == NatManip.SOURCE ? t.sourceKey() : t.destinationKey();
        else return true;
        return key >= r.minKey().get() && key <= r.maxKey().get();
    }

    /** nf_in_range: would a source mapping to {@code t} satisfy the request? */
    private static boolean inRange(ConntrackTuple t, NatRequest r) {
        if (r.mapsAddresses() && !addressInRange(t.source(), r)) return false;
        if (!r.protoSpecified()) return true;
        return keyInRange(t, NatManip.SOURCE, r);
    }

    private ConntrackTuple uniqueTuple(ConntrackTuple orig, NatRequest range, ConntrackEntry ct, NatManip manip) {
        if (manip == NatManip.SOURCE && !range.anyRandom()) {
            if (inRange(orig, range)) {
                if (!usedNew(orig, ct)) return orig;
            } else {
                for (ConntrackEntry other : table.sameSource(orig)) {
                    ConntrackTuple mapped = other.reply().inverted();
                    ConntrackTuple candidate = new ConntrackTuple(orig.protocol(), mapped.source(), orig.destination(),
                            mapped.sourceKey(), orig.destinationKey());
                    if (inRange(candidate, range)) {
                        if (!used(candidate, ct)) return candidate;
                        break;
                    }
                }
            }
        }
        ConntrackTuple t = bestIp(orig, range, manip);
        if (!range.anyRandom()) {
            if (range.protoSpecified()) {
                if (keyInRange(t, manip, range)
                        && (range.minKey().get().equals(range.maxKey().get()) || !used(t, ct))) {
                    return t;
                }
            } else if (!used(t, ct)) {
                return t;
            }
        }
        return uniqueKey(t, range, manip, ct);
    }

    /** find_best_ips_proto: one address, or a hash of the addresses spread over the range (jhash in the kernel). */
    private static ConntrackTuple bestIp(ConntrackTuple t, NatRequest r, NatManip manip) {
        if (!r.mapsAddresses()) return t;
        Ipv4Address min = r.minAddress().get();
        Ipv4Address max = r.maxAddress().get();
        Ipv4Address chosen;
        if (min.equals(max)) {
            chosen = min;
        } else {
            long dist = max.unsigned() - min.unsigned() + 1;
            int h = t.source().bits() * 0x9e3779b1 ^ (r.persistent() ? 0 : t.destination().bits());
            h ^= h >>> 16;
            long off = ((h & 0xffff_ffffL) * dist) >>> 32;
            chosen = new Ipv4Address((int) (min.unsigned() + off));
        }
        if (manip == NatManip.SOURCE) return chosen.equals(t.source()) ? t : t.withSource(chosen, t.sourceKey());
        return chosen.equals(t.destination()) ? t : t.withDestination(chosen, t.destinationKey());
    }

    private ConntrackTuple withKey(ConntrackTuple t, NatManip manip, int key) {
        if (t.protocol() == ConntrackTuple.ICMP) return new ConntrackTuple(t.protocol(), t.source(), t.destination(), key, t.destinationKey());
        return manip == NatManip.SOURCE ? t.withSource(t.source(), key) : t.withDestination(t.destination(), key);
    }

    /** nf_nat_l4proto_unique_tuple. */
    private ConntrackTuple uniqueKey(ConntrackTuple t, NatRequest r, NatManip manip, ConntrackEntry ct) {
        int min;
        int rangeSize;
        int current;
        if (t.protocol() == ConntrackTuple.ICMP) {
            current = t.icmpId();
            if (!r.protoSpecified()) {
                min = 0;
                rangeSize = 65536;
            } else {
                min = r.minKey().get();
                rangeSize = r.maxKey().get() - min + 1;
            }
        } else if (t.hasPorts()) {
            current = manip == NatManip.SOURCE ? t.sourceKey() : t.destinationKey();
            if (!r.protoSpecified()) {
                if (manip == NatManip.DESTINATION) return t;
                if (current < 1024) {
                    if (current < 512) {
                        min = 1;
                        rangeSize = 511;
                    } else {
                        min = 600;
                        rangeSize = 1023 - 600 + 1;
                    }
                } else {
                    min = 1024;
                    rangeSize = 65535 - 1024 + 1;
                }
            } else {
                min = r.minKey().get();
                rangeSize = r.maxKey().get() - min + 1;
            }
        } else {
            return t;
        }
        int off = (r.anyRandom() || manip != NatManip.DESTINATION) ? random.nextInt(65536) : 0;
        int attempts = Math.min(rangeSize, MAX_ATTEMPTS);
        ConntrackTuple candidate = t;
        while (true) {
            for (int i = 0; i < attempts; i++, off = (off + 1) & 0xffff) {
                candidate = withKey(t, manip, min + Integer.remainderUnsigned(off, rangeSize));
                if (!used(candidate, ct)) return candidate;
            }
            if (attempts >= rangeSize || attempts < 16) return candidate;
            attempts /= 2;
            off = random.nextInt(65536);
        }
    }
}
