package org.vnetlab.emulator.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.dhcp.DhcpOption;

/** The lease database as dnsmasq's lease file, libvirt's status file and virsh net-dhcp-leases show it. */
class LeaseFilesTest {
    /** The reference capture's clock: the DISCOVER left at 2026-11-26 06:01:00 UTC. */
    private static final long EPOCH = 1_795_672_860L;
    private static final MacAddress NAMED = MacAddress.parse("52:54:00:11:22:33");

    private final DhcpRig rig = new DhcpRig(DhcpRig.defaultNetwork().build());

    private void leaseBoth() {
        rig.lease(DhcpRig.GUEST, 1); // acked at 3 s; client id from the capture's client
        rig.receive(DhcpRig.discover(NAMED, 2));
        rig.settle();
        rig.receive(DhcpRig.client(NAMED, 2, DhcpMessageType.REQUEST)
                .option(new DhcpOption.RequestedIpAddress(rig.last().message().yiaddr()))
                .option(new DhcpOption.ServerIdentifier(DhcpRig.VIRBR0.address()))
                .option(new DhcpOption.HostName("db1")).option(new DhcpOption.End()).padTo(300).build());
    }

    @Test
    void libvirtsStatusFileListsLeasesInEventOrderWithItsKeys() {
        leaseBoth();
        String guestIp = rig.server.leases().findByClient(DhcpRig.GUEST, java.util.Optional.empty()).orElseThrow().address().toString();
        String namedIp = rig.server.leases().findByClient(NAMED, java.util.Optional.empty()).orElseThrow().address().toString();
        assertThat(LeaseFiles.libvirtStatus(rig.server.leases().leases(), EPOCH)).isEqualTo("""
                [
                  {
                    "ip-address": "%s",
                    "mac-address": "52:54:00:aa:bb:01",
                    "expiry-time": 1795676463
                  },
                  {
                    "ip-address": "%s",
                    "mac-address": "52:54:00:11:22:33",
                    "hostname": "db1",
                    "expiry-time": 1795676466
                  }
                ]
                """.formatted(guestIp, namedIp));
    }

    @Test
    void theStatusFileKeepsTheClientIdWhenTheClientSendsOne() {
        rig.receive(ReferenceFrames.udp("dhcp.pcap", 1).payload());
        rig.settle();
        rig.receive(ReferenceFrames.udp("dhcp.pcap", 9).payload());
        assertThat(LeaseFiles.libvirtStatus(rig.server.leases().leases(), EPOCH)).isEqualTo("""
                [
                  {
                    "ip-address": "192.168.122.55",
                    "mac-address": "52:54:00:aa:bb:01",
                    "client-id": "01:52:54:00:aa:bb:01",
                    "expiry-time": 1795676463
                  }
                ]
                """);
    }

    @Test
    void dnsmasqsLeaseFileListsNewestFirst() {
        leaseBoth();
        List<Lease> leases = rig.server.leases().leases();
        assertThat(LeaseFiles.dnsmasqLeases(leases, EPOCH)).isEqualTo(
                "1795676466 52:54:00:11:22:33 " + leases.get(0).address() + " db1 *\n"
                        + "1795676463 52:54:00:aa:bb:01 192.168.122.55 * *\n");
    }

    @Test
    void virshNetDhcpLeasesPrintsSortedPaddedColumns() {
        rig.receive(ReferenceFrames.udp("dhcp.pcap", 1).payload());
        rig.settle();
        rig.receive(ReferenceFrames.udp("dhcp.pcap", 9).payload());
        rig.receive(DhcpRig.discover(NAMED, 2));
        rig.settle();
        rig.receive(DhcpRig.client(NAMED, 2, DhcpMessageType.REQUEST)
                .option(new DhcpOption.RequestedIpAddress(rig.last().message().yiaddr()))
                .option(new DhcpOption.ServerIdentifier(DhcpRig.VIRBR0.address()))
                .option(new DhcpOption.HostName("db1")).option(new DhcpOption.End()).padTo(300).build());
        String table = DhcpLeasesTable.format(DhcpLeasesTable.rows(rig.server.leases().leases(), 24, EPOCH, 10),
                ZoneOffset.UTC);

        // 52:54:00:11:22:33 hashes to .220; the IP column is as wide as its widest cell
        assertThat(table).isEqualTo(
                " Expiry Time           MAC address         Protocol   IP address           Hostname   Client ID or DUID\n"
                + "------------------------------------------------------------------------------------------------------------\n"
                + " 2026-11-26 07:01:06   52:54:00:11:22:33   ipv4       192.168.122.220/24   db1        -\n"
                + " 2026-11-26 07:01:03   52:54:00:aa:bb:01   ipv4       192.168.122.55/24    -          01:52:54:00:aa:bb:01\n");
    }

    @Test
    void expiredLeasesLeaveBothFiles() {
        rig.lease(DhcpRig.GUEST, 1);
        rig.lab.scheduler().runFor(7_200_000_000_000L);
        assertThat(LeaseFiles.libvirtStatus(rig.server.leases().leases(), EPOCH)).isEqualTo("[\n\n]\n");
        assertThat(DhcpLeasesTable.rows(rig.server.leases().leases(), 24, EPOCH, 7200)).isEmpty();
    }
}
