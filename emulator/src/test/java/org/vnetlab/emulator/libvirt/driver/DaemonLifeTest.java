package org.vnetlab.emulator.libvirt.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.libvirt.SharedData;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * What outlives a network's run and what a daemon restart or a firewalld reload puts back: lease status files,
 * the rules, autostart, and the guests' taps.
 */
class DaemonLifeTest {
    private static final MacAddress GUEST = MacAddress.parse("52:54:00:3b:7d:11");
    private DriverRig rig;
    private Ruleset canonical;

    @BeforeEach
    void runningDefaultNetwork() {
        rig = new DriverRig();
        rig.files.put("d.xml", SharedData.read(SharedData.libvirt("derived/networkxml2firewalldata/nat-default.xml")));
        rig.virsh.run("virsh net-define d.xml");
        rig.virsh.run("virsh net-start default");
        canonical = DriverRig.parse(SharedData.read(SharedData.libvirt("derived/default-network.iptables-save.txt")));
    }

    private long epoch() { return DaemonConfig.DEFAULT_EPOCH.getEpochSecond(); }

    @Test
    void leasesAreListedFromTheStatusFileEvenAfterTheNetworkStops() {
        RecordingDnsmasq.Proc p = rig.dnsmasq.last().process();
        p.leases.add(new DhcpLeaseRecord(epoch() + 3600, GUEST, Ipv4Address.parse("192.168.122.177"),
                Optional.of("DESKTOP-1"), Optional.of("01:52:54:00:3b:7d:11")));
        p.leases.add(new DhcpLeaseRecord(epoch() + 1800, MacAddress.parse("52:54:00:00:00:02"), Ipv4Address.parse("192.168.122.9"),
                Optional.empty(), Optional.empty()));
        String table = """
                 Expiry Time           MAC address         Protocol   IP address           Hostname    Client ID or DUID
                -------------------------------------------------------------------------------------------------------------
                 2026-11-26 07:00:00   52:54:00:00:00:02   ipv4       192.168.122.9/24     -           -
                 2026-11-26 07:00:00   52:54:00:3b:7d:11   ipv4       192.168.122.177/24   DESKTOP-1   01:52:54:00:3b:7d:11

                """;
        assertThat(rig.virsh.run("virsh net-dhcp-leases default").stdout()).isEqualTo(table.replace(
                " 2026-11-26 07:00:00   52:54:00:00:00:02", " 2026-11-26 06:30:00   52:54:00:00:00:02"));
        assertThat(rig.virsh.run("virsh net-dhcp-leases default --mac 52:54:00:3b:7d:11").stdout()).contains("192.168.122.177/24")
                .doesNotContain("192.168.122.9/");

        rig.virsh.run("virsh net-destroy default");
        assertThat(rig.virsh.run("virsh net-dhcp-leases default").stdout()).contains("192.168.122.177/24");
        rig.virsh.run("virsh net-start default");
        assertThat(rig.dnsmasq.last().known()).as("the lease helper's init hands the leases back to the new dnsmasq").hasSize(2);

        rig.lab.scheduler().runFor(SimTime.seconds(1801));
        assertThat(rig.virsh.run("virsh net-dhcp-leases default").stdout()).as("expired leases are not shown")
                .doesNotContain("192.168.122.9/").contains("192.168.122.177/24");
        assertThat(rig.virsh.run("virsh net-dhcp-leases default --mac nonsense").stderr()).isEqualTo("""
                error: Failed to get leases info for default
                error: invalid MAC address: nonsense
                """);
    }

    @Test
    void aDaemonRestartPutsBackARuleTheUserDeleted() throws Exception {
        rig.iptables.command("iptables -t filter -D LIBVIRT_FWI 2");
        assertThat(rig.iptables.ruleset()).isNotEqualTo(canonical);
        assertThat(rig.daemon.restart()).isEmpty();
        assertThat(rig.iptables.ruleset()).isEqualTo(canonical);
    }

    @Test
    void firewalldsReloadFlushesEverythingAndLibvirtRebuildsItsChainsAndRules() {
        rig.iptables.flushAsFirewalldReload();
        assertThat(rig.iptables.save()).doesNotContain("LIBVIRT");
        rig.daemon.firewalldReloaded();
        assertThat(rig.iptables.ruleset()).isEqualTo(canonical);
    }

    @Test
    void autostartNetworksComeUpWhenTheDaemonStarts() {
        rig.files.put("lab.xml", "<network><name>lab</name><ip address='10.9.0.1' prefix='24'/></network>");
        rig.virsh.run("virsh net-define lab.xml");
        rig.virsh.run("virsh net-autostart lab");
        assertThat(rig.virsh.run("virsh net-list --inactive --name").stdout()).isEqualTo("lab\n\n");
        rig.daemon.restart();
        assertThat(rig.virsh.run("virsh net-list --name").stdout()).isEqualTo("default\nlab\n\n");
        assertThat(rig.host.iface("virbr1")).as("the first free bridge name").isPresent();
        assertThat(rig.host.settings().ipForward()).isTrue();
    }

    @Test
    void tapsFallOffTheBridgeWithTheNetworkAndOnlyADaemonRestartPutsThemBack() throws Exception {
        GuestTap tap = rig.daemon.plugGuest("win10", "default", GUEST);
        assertThat(tap.device().name()).isEqualTo("vnet0");
        assertThat(tap.device().mac()).isEqualTo(MacAddress.parse("fe:54:00:3b:7d:11"));
        assertThat(rig.daemon.bridge("default").orElseThrow().port("vnet0")).isPresent();
        assertThat(rig.virsh.run("virsh net-dumpxml default").stdout()).startsWith("<network connections='1'>");

        rig.virsh.run("virsh net-destroy default");
        rig.virsh.run("virsh net-start default");
        assertThat(tap.bridge()).isEmpty();
        assertThat(rig.daemon.bridge("default").orElseThrow().ports()).isEmpty();
        assertThat(rig.virsh.run("virsh net-dumpxml default").stdout()).startsWith("<network>");

        rig.daemon.restart();
        assertThat(tap.bridge()).contains("virbr0");
        assertThat(rig.daemon.bridge("default").orElseThrow().port("vnet0")).isPresent();
        assertThat(rig.virsh.run("virsh net-dumpxml default").stdout()).startsWith("<network connections='1'>");
        assertThat(rig.daemon.plugGuest("other", "default", MacAddress.parse("52:54:00:00:00:09")).device().name())
                .as("tap numbers are not reused").isEqualTo("vnet1");
    }
}
