package org.vnetlab.scenarios.diagnose;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * What each probe does on a healthy libvirt network of a given forward mode, from libvirt's rules for that
 * mode: a NAT network lets guests out and refuses new connections in (LIBVIRT_FWI's REJECT answers with
 * ICMP port unreachable); routed and open networks let LAN hosts in; an isolated network keeps guests to
 * the host (LIBVIRT_FWO rejects the rest).
 */
public final class HealthyNetwork {
    private HealthyNetwork() {}

    public static Set<Outcome> expected(String forwardMode, ProbeId probe) {
        return table(forwardMode).get(probe);
    }

    private static Map<ProbeId, Set<Outcome>> table(String mode) {
        Map<ProbeId, Set<Outcome>> m = new EnumMap<>(ProbeId.class);
        for (ProbeId p : ProbeId.values()) m.put(p, Set.of(Outcome.OK));
        switch (mode) {
            case "nat" -> m.put(ProbeId.INBOUND_FROM_LAN, Set.of(Outcome.ICMP_ERROR));
            case "route", "open" -> { }
            default -> {
                // isolated: the guest reaches the host (dnsmasq answers from its own upstreams) and nothing else
                Set<Outcome> refused = Set.of(Outcome.ICMP_ERROR, Outcome.TIMEOUT);
                m.put(ProbeId.PING_UPLINK_GATEWAY, refused);
                m.put(ProbeId.PING_INTERNET, refused);
                m.put(ProbeId.DNS_DIRECT, refused);
                m.put(ProbeId.TCP_INTERNET, refused);
                m.put(ProbeId.INBOUND_FROM_LAN, refused);
            }
        }
        return m;
    }
}
