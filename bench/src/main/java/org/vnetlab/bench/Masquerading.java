package org.vnetlab.bench;

import io.netty.buffer.ByteBuf;
import org.vnetlab.emulator.conntrack.ConntrackEntry;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.conntrack.ConntrackTable;
import org.vnetlab.emulator.conntrack.CtInfo;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.conntrack.Lookup;
import org.vnetlab.emulator.conntrack.Nat;
import org.vnetlab.emulator.conntrack.NatManip;
import org.vnetlab.emulator.conntrack.NatRequest;
import org.vnetlab.emulator.conntrack.NatRewriter;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/**
 * What the hooks do to a forwarded packet when the only rule that applies is libvirt's
 * {@code MASQUERADE --to-ports 1024-65535} to the uplink, without walking rules or writing a trace:
 * nf_conntrack_in, the PREROUTING null binding and rewrite, the TTL decrement, the MASQUERADE binding
 * (nf_nat_setup_info, port allocation) and rewrite at POSTROUTING, confirmation. It uses the conntrack
 * package's public calls in the order {@code Netfilter}'s base chains make them; the benchmarks use it to
 * set flows up quickly and to measure connection setup.
 */
final class Masquerading {
    final ConntrackTable table;
    final Nat nat;
    private final NatRequest request = NatRequest.toAddress(Workload.UPLINK).withPorts(1024, 65535);

    Masquerading(ConntrackSettings settings, long seed) {
        table = new ConntrackTable(settings, (line, time) -> { });
        nat = new Nat(table, seed);
    }

    /** Conntrack settings for {@code flows} connections: nf_conntrack_max (and so the hash) sized for them. */
    static ConntrackSettings settings(int flows, boolean acct) {
        return ConntrackSettings.DEFAULTS.withSysctl("net.netfilter.nf_conntrack_max", Integer.toString(Math.max(flows, 1024)))
                .withSysctl("net.netfilter.nf_conntrack_acct", acct ? "1" : "0");
    }

    /** Forwards the datagram in {@code frame} (Ethernet header first). False: conntrack dropped it or found it INVALID. */
    boolean forward(ByteBuf frame, long now) {
        ByteBuf ip = frame.slice(frame.readerIndex() + 14, frame.readableBytes() - 14);
        Datagram d = Datagram.read(ip).orElseThrow();
        Lookup l = table.in(d, true, now);
        if (!(l instanceof Lookup.Tracked t)) return false;
        ConntrackEntry ct = t.entry();
        CtInfo info = t.info();
        if (info == CtInfo.NEW && !Nat.isInitialized(ct, NatManip.DESTINATION)) nat.nullBinding(ct, NatManip.DESTINATION);
        NatRewriter.packet(ct, info, NatManip.DESTINATION, d);
        try {
            Ipv4Packet.checked(ip.slice(0, d.available())).decrementTtlWithChecksumUpdate();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        d = Datagram.read(ip).orElseThrow();
        if (info == CtInfo.NEW && !Nat.isInitialized(ct, NatManip.SOURCE)) {
            nat.setup(ct, request, NatManip.SOURCE);
            nat.markMasquerade(ct, "enp3s0");
        }
        NatRewriter.packet(ct, info, NatManip.SOURCE, d);
        return table.confirm(ct, info, now);
    }

    /**
     * Sets flows {@code ids} of protocol {@code p} up to what the fast path serves (UDP: request, reply,
     * request 3 s later: ASSURED; TCP: the handshake; ICMP: echo and reply). Returns each flow's NAT port
     * (ICMP: id). Time runs from {@code t0}; returns after {@code t0 + 4 s}.
     */
    int[] establish(Workload.Proto p, int[] ids, long t0) {
        int[] nat = new int[ids.length];
        for (int k = 0; k < ids.length; k++) {
            ByteBuf f = Workload.outbound(p, ids[k], 0x02);
            if (!forward(f, t0)) throw new IllegalStateException("flow " + ids[k] + " not set up");
            nat[k] = f.getUnsignedShort(14 + 20 + (p == Workload.Proto.ICMP ? 4 : 0));
        }
        for (int k = 0; k < ids.length; k++) {
            if (!forward(Workload.inbound(p, ids[k], nat[k], 0x12), t0 + 1_000_000)) throw new IllegalStateException("reply");
        }
        if (p != Workload.Proto.ICMP) {
            for (int k = 0; k < ids.length; k++) {
                if (!forward(Workload.outbound(p, ids[k], 0x10), t0 + 3_000_000_000L)) throw new IllegalStateException("third");
            }
        }
        return nat;
    }
}
