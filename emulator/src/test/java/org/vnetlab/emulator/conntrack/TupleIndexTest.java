package org.vnetlab.emulator.conntrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;

/** The table's storage: both tuples indexed, deletion keeps probe chains whole, slots reused after a quarantine. */
class TupleIndexTest {
    static ConntrackTuple udp(int i) {
        return ConntrackTuple.ports(ConntrackTuple.UDP, new Ipv4Address(0x0a00_0000 | i), 1024 + (i & 0x3fff),
                Ipv4Address.parse("8.8.8.8"), 53);
    }

    @Test
    void everyInsertedTupleIsFoundInBothDirectionsUntilRemovedAndOthersSurviveRemovals() {
        EntryStore store = new EntryStore();
        TupleIndex index = new TupleIndex(store, 0); // starts small: grows many times, ends on several cell pages
        Random r = new Random(1);
        List<Integer> live = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            int slot = store.allocate(udp(i), false);
            index.insert(slot, 0);
            index.insert(slot, 1);
            live.add(slot);
            if (r.nextInt(3) == 0) {
                int victim = live.remove(r.nextInt(live.size()));
                index.remove(victim, 0);
                index.remove(victim, 1);
                store.setStatus(victim, Status.DYING);
                store.release(victim);
            }
        }
        assertThat(index.size()).isEqualTo(2 * live.size());
        for (int slot : live) {
            assertThat(index.find(store.tuple(slot, Direction.ORIGINAL))).isEqualTo(slot * 2);
            assertThat(index.find(store.tuple(slot, Direction.REPLY))).isEqualTo(slot * 2 + 1);
        }
        assertThat(index.find(udp(1 << 20))).isEqualTo(-1);
        assertThat(index.cellBytes()).isGreaterThan(4L * IntPages.PAGE); // more than one page
    }

    @Test
    void aFreedSlotComesBackOnlyAfterTheQuarantineAndOldHandlesThenRefuseToRead() {
        ConntrackTable table = new ConntrackTable(ConntrackSettings.DEFAULTS, (line, time) -> { });
        EntryStore store = table.store;
        int first = store.allocate(udp(1), false);
        ConntrackEntry handle = table.entry(first);
        store.setStatus(first, Status.DYING);
        store.release(first);
        assertThat(handle.original()).isEqualTo(udp(1)); // dead but still readable, as for a packet still holding it
        int reused = -1;
        for (int i = 2; reused != first; i++) {
            int s = store.allocate(udp(i), false);
            if (s == first) reused = s;
            else store.release(s);
            assertThat(i).isLessThan(1000);
        }
        assertThatThrownBy(handle::original).isInstanceOf(IllegalStateException.class).hasMessageContaining("reused");
        assertThat(table.entry(reused)).isNotEqualTo(handle);
    }

    @Test
    void handlesOfOneEntryAreEqual() {
        ConntrackTable table = new ConntrackTable(ConntrackSettings.DEFAULTS, (line, time) -> { });
        int s = table.store.allocate(udp(5), false);
        assertThat(table.entry(s)).isEqualTo(table.entry(s)).hasSameHashCodeAs(table.entry(s));
    }
}
