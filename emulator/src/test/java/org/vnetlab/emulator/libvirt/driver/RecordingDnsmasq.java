package org.vnetlab.emulator.libvirt.driver;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfig;

/**
 * A test double for the dnsmasq launcher: records every start (the files libvirt generated, the leases handed
 * back) and lets a test play dnsmasq's lease events. Driver specs use it to check what libvirt asks for,
 * independent of the emulated dnsmasq.
 */
final class RecordingDnsmasq implements DnsmasqLauncher {
    record Start(DnsmasqConfig files, String bridge, List<DhcpLeaseRecord> known, Leases leases, Proc process) {}

    static final class Proc implements Process {
        boolean running = true;

        @Override
        public void stop() { running = false; }
    }

    final List<Start> starts = new ArrayList<>();

    @Override
    public Process start(DnsmasqConfig files, String bridge, List<DhcpLeaseRecord> known, Leases leases) {
        Proc p = new Proc();
        starts.add(new Start(files, bridge, List.copyOf(known), leases, p));
        return p;
    }

    Start last() { return starts.get(starts.size() - 1); }
}
