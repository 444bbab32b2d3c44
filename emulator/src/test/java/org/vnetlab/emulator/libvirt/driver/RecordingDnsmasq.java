package org.vnetlab.emulator.libvirt.driver;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfig;

/**
 * A test double for the dnsmasq launcher: records every start (the files libvirt generated, the leases handed
 * back) and lets a test set the leases dnsmasq holds. Driver specs use it to check what libvirt asks for,
 * independent of the emulated dnsmasq.
 */
final class RecordingDnsmasq implements DnsmasqLauncher {
    record Start(DnsmasqConfig files, String bridge, List<DhcpLeaseRecord> known, Proc process) {}

    static final class Proc implements Process {
        boolean running = true;
        final List<DhcpLeaseRecord> leases = new ArrayList<>();

        @Override
        public void stop() { running = false; }

        @Override
        public List<DhcpLeaseRecord> leases() { return List.copyOf(leases); }
    }

    final List<Start> starts = new ArrayList<>();

    @Override
    public Process start(DnsmasqConfig files, String bridge, List<DhcpLeaseRecord> known) {
        Proc p = new Proc();
        p.leases.addAll(known);
        starts.add(new Start(files, bridge, List.copyOf(known), p));
        return p;
    }

    Start last() { return starts.get(starts.size() - 1); }
}
