package org.vnetlab.emulator.libvirt.driver;

import java.util.List;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfig;

/**
 * Starts the network's dnsmasq the way libvirt does: {@code dnsmasq --conf-file=/var/lib/libvirt/dnsmasq/NAME.conf
 * --leasefile-ro --dhcp-script=libvirt_leaseshelper}, with the hosts files libvirt wrote beside it.
 */
@FunctionalInterface
public interface DnsmasqLauncher {

    /**
     * @param files  the configuration and hosts files, as {@link DnsmasqConfig#generate} wrote them
     * @param bridge the interface the configuration names ({@code interface=virbr0})
     * @param known  the unexpired leases of the status file, which the helper hands dnsmasq at start-up
     * @throws LibvirtError when dnsmasq would exit at start-up (libvirt then fails net-start)
     */
    Process start(DnsmasqConfig files, String bridge, List<DhcpLeaseRecord> known) throws LibvirtError;

    /** A running dnsmasq. */
    interface Process {
        /** SIGTERM: dnsmasq stops answering at once. */
        void stop();

        /**
         * The leases dnsmasq holds now, as libvirt_leaseshelper has written them to the status file from
         * dnsmasq's add/old/del events (it rewrites the file on every event, so the file is always current).
         */
        List<DhcpLeaseRecord> leases();
    }
}
