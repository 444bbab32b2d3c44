package org.vnetlab.emulator.nftables;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A table: family, name, its handle, an optional comment, named sets and chains in creation order (which is
 * also how {@code nft list} orders them), and the next handle the kernel hands out in it (chains, sets and
 * rules share one counter per table). {@code managedBy} names the tool that owns a table nft only shows
 * ({@code iptables-nft}): its rules are kept as text ({@link Stmt.Opaque}) and evaluated from that tool's own
 * dump (iptables-save) instead.
 */
public record NftTable(Family family, String name, long handle, Optional<String> comment, List<NftSet> sets,
                       List<NftChain> chains, long nextHandle, Optional<String> managedBy) {
    public NftTable {
        sets = List.copyOf(sets);
        chains = List.copyOf(chains);
    }

    public Optional<NftChain> chain(String n) { return chains.stream().filter(c -> c.name().equals(n)).findFirst(); }

    public Optional<NftSet> set(String n) { return sets.stream().filter(s -> s.name().equals(n)).findFirst(); }

    /** {@code family name}, as nft names a table in commands. */
    public String id() { return family + " " + name; }

    public NftTable withChain(NftChain c) {
        List<NftChain> l = new ArrayList<>(chains);
        boolean replaced = false;
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).name().equals(c.name())) {
                l.set(i, c);
                replaced = true;
            }
        }
        if (!replaced) l.add(c);
        return new NftTable(family, name, handle, comment, sets, l, nextHandle, managedBy);
    }

    public NftTable withoutChain(String n) {
        return new NftTable(family, name, handle, comment, sets, chains.stream().filter(c -> !c.name().equals(n)).toList(), nextHandle, managedBy);
    }

    public NftTable withSet(NftSet s) {
        List<NftSet> l = new ArrayList<>(sets);
        boolean replaced = false;
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).name().equals(s.name())) {
                l.set(i, s);
                replaced = true;
            }
        }
        if (!replaced) l.add(s);
        return new NftTable(family, name, handle, comment, l, chains, nextHandle, managedBy);
    }

    public NftTable withoutSet(String n) {
        return new NftTable(family, name, handle, comment, sets.stream().filter(s -> !s.name().equals(n)).toList(), chains, nextHandle, managedBy);
    }

    public NftTable withComment(Optional<String> c) { return new NftTable(family, name, handle, c, sets, chains, nextHandle, managedBy); }

    /** This table after handing out one handle (returned by {@link #nextHandle()} before the call). */
    public NftTable withHandleUsed() { return new NftTable(family, name, handle, comment, sets, chains, nextHandle + 1, managedBy); }
}
