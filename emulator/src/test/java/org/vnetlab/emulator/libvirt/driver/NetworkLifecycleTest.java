package org.vnetlab.emulator.libvirt.driver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.libvirt.SharedData;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfig;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.stack.Ipv4Assignment;

/**
 * The life of libvirt's default network on a clean host, as virsh shows it: define, start, list, info, the
 * rules and devices net-start creates, net-destroy taking exactly those away, and virsh's error texts.
 */
class NetworkLifecycleTest {
    private DriverRig rig;

    @BeforeEach
    void defineDefault() {
        rig = new DriverRig();
        rig.files.put("/tmp/default.xml", SharedData.read(SharedData.libvirt("derived/networkxml2firewalldata/nat-default.xml")));
        VirshResult r = rig.virsh.run("virsh net-define /tmp/default.xml");
        assertThat(r.stdout()).isEqualTo("Network default defined from /tmp/default.xml\n\n");
        assertThat(r.stderr()).isEmpty();
        assertThat(r.exitStatus()).isZero();
    }

    @Test
    void aDefinedNetworkIsListedInactiveWithoutAutostart() {
        assertThat(rig.virsh.run("virsh net-list").stdout()).isEqualTo("""
                 Name   State   Autostart   Persistent
                ----------------------------------------

                """);
        assertThat(rig.virsh.run("virsh net-list --all").stdout()).isEqualTo("""
                 Name      State      Autostart   Persistent
                ----------------------------------------------
                 default   inactive   no          yes

                """);
    }

    @Test
    void definingFillsInUuidAndMacAndDumpsInLibvirtsOwnForm() {
        String xml = rig.virsh.run("virsh net-dumpxml default").stdout();
        assertThat(xml).matches("""
                (?s)<network>
                  <name>default</name>
                  <uuid>[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}</uuid>
                  <forward mode='nat'/>
                  <bridge name='virbr0' stp='on' delay='0'/>
                  <mac address='52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}'/>
                  <ip address='192.168.122.1' netmask='255.255.255.0'>
                    <dhcp>
                      <range start='192.168.122.2' end='192.168.122.254'/>
                    </dhcp>
                  </ip>
                </network>

                """);
    }

    @Test
    void startBuildsTheBridgeAddressRulesForwardingAndDnsmasq() throws Exception {
        VirshResult r = rig.virsh.run("virsh net-start default");
        assertThat(r.stdout()).isEqualTo("Network default started\n\n");
        assertThat(r.exitStatus()).isZero();

        var bridge = rig.daemon.bridge("default").orElseThrow();
        assertThat(bridge.isUp()).isTrue();
        assertThat(bridge.config().stp()).isTrue();
        assertThat(bridge.forwardDelayNanos()).as("delay='0' with STP on is raised to the kernel's 2 s").isEqualTo(SimTime.seconds(2));
        assertThat(rig.host.iface("virbr0").orElseThrow().addresses()).containsExactly(Ipv4Assignment.parse("192.168.122.1/24"));
        assertThat(rig.host.settings().ipForward()).isTrue();

        Ruleset expected = DriverRig.parse(SharedData.read(SharedData.libvirt("derived/default-network.iptables-save.txt")));
        assertThat(rig.iptables.ruleset()).isEqualTo(expected);

        assertThat(rig.dnsmasq.starts).hasSize(1);
        RecordingDnsmasq.Start s = rig.dnsmasq.last();
        assertThat(s.bridge()).isEqualTo("virbr0");
        assertThat(s.files()).isEqualTo(DnsmasqConfig.generate(rig.daemon.definition("default"),
                DnsmasqConfig.Options.libvirtDefaults().withPidFile("/run/libvirt/network/default.pid")));
    }

    @Test
    void startingARunningNetworkIsRefused() {
        rig.virsh.run("virsh net-start default");
        VirshResult r = rig.virsh.run("virsh net-start default");
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("""
                error: Failed to start network default
                error: Requested operation is not valid: network is already active
                """);
        assertThat(r.stdout()).isEqualTo("\n");
    }

    @Test
    void unknownNetworksAreReportedTwice() {
        VirshResult r = rig.virsh.run("virsh net-start foo");
        assertThat(r.stderr()).isEqualTo("""
                error: failed to get network 'foo'
                error: Network not found: no network with matching name 'foo'
                """);
        assertThat(r.exitStatus()).isEqualTo(1);
    }

    @Test
    void destroyTakesAwayExactlyWhatStartAdded() throws Exception {
        rig.virsh.run("virsh net-start default");
        VirshResult r = rig.virsh.run("virsh net-destroy default");
        assertThat(r.stdout()).isEqualTo("Network default destroyed\n\n");

        // the private chains and their jumps stay, as libvirt leaves them; the network's rules are gone
        Ruleset chainsOnly = DriverRig.parse(String.join("\n",
                "*mangle", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]",
                ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]", ":LIBVIRT_PRT - [0:0]",
                "-A POSTROUTING -j LIBVIRT_PRT", "COMMIT",
                "*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
                ":POSTROUTING ACCEPT [0:0]", ":LIBVIRT_PRT - [0:0]", "-A POSTROUTING -j LIBVIRT_PRT", "COMMIT",
                "*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]",
                ":LIBVIRT_FWI - [0:0]", ":LIBVIRT_FWO - [0:0]", ":LIBVIRT_FWX - [0:0]", ":LIBVIRT_INP - [0:0]",
                ":LIBVIRT_OUT - [0:0]", "-A INPUT -j LIBVIRT_INP", "-A FORWARD -j LIBVIRT_FWX",
                "-A FORWARD -j LIBVIRT_FWI", "-A FORWARD -j LIBVIRT_FWO", "-A OUTPUT -j LIBVIRT_OUT", "COMMIT", ""));
        assertThat(rig.iptables.ruleset()).isEqualTo(chainsOnly);
        assertThat(rig.host.iface("virbr0")).isEmpty();
        assertThat(rig.host.routes().routes()).noneMatch(x -> x.dev().equals(java.util.Optional.of("virbr0")));
        assertThat(rig.dnsmasq.last().process().running).isFalse();
        assertThat(rig.daemon.bridge("default")).isEmpty();

        assertThat(rig.virsh.run("virsh net-destroy default").stderr()).isEqualTo("""
                error: Failed to destroy network default
                error: Requested operation is not valid: network 'default' is not active
                """);
    }

    @Test
    void startAfterDestroyGivesTheSameRulesAgain() {
        rig.virsh.run("virsh net-start default");
        Ruleset first = rig.iptables.ruleset();
        rig.virsh.run("virsh net-destroy default");
        assertThat(rig.virsh.run("virsh net-start default").ok()).isTrue();
        assertThat(rig.iptables.ruleset()).isEqualTo(first);
    }

    @Test
    void infoAutostartAndUndefine() throws Exception {
        rig.virsh.run("virsh net-start default");
        String uuid = rig.daemon.lookupByName("default").uuid();
        assertThat(rig.virsh.run("virsh net-autostart default").stdout()).isEqualTo("Network default marked as autostarted\n\n");
        assertThat(rig.virsh.run("virsh net-info default").stdout()).isEqualTo(
                "Name:           default\n"
                + "UUID:           " + uuid + "\n"
                + "Active:         yes\n"
                + "Persistent:     yes\n"
                + "Autostart:      yes\n"
                + "Bridge:         virbr0\n\n");
        assertThat(rig.virsh.run("virsh net-info " + uuid).stdout()).startsWith("Name:           default\n");
        assertThat(rig.virsh.run("virsh net-autostart --disable default").stdout())
                .isEqualTo("Network default unmarked as autostarted\n\n");

        // undefining a running network makes it transient: it keeps running, autostart is gone
        assertThat(rig.virsh.run("virsh net-undefine default").stdout()).isEqualTo("Network default has been undefined\n\n");
        assertThat(rig.virsh.run("virsh net-list --all").stdout()).contains(" default   active   no          no\n");
        assertThat(rig.virsh.run("virsh net-autostart default").stderr()).isEqualTo("""
                error: failed to mark network default as autostarted
                error: Requested operation is not valid: cannot set autostart for transient network
                """);
        // and a transient network vanishes when destroyed
        rig.virsh.run("virsh net-destroy default");
        assertThat(rig.virsh.run("virsh net-list --all --name").stdout()).isEqualTo("\n");
    }

    @Test
    void commandLineMistakesAreVirshsOwn() {
        assertThat(rig.virsh.run("virsh net-strat default").stderr()).isEqualTo("error: unknown command: 'net-strat'\n");
        assertThat(rig.virsh.run("virsh net-start").stderr()).isEqualTo("error: command 'net-start' requires <network> option\n");
        assertThat(rig.virsh.run("virsh net-list --al").stderr()).isEqualTo("error: command 'net-list' doesn't support option --al\n");
        assertThat(rig.virsh.run("virsh net-define /nope.xml").stderr())
                .isEqualTo("error: Failed to open file '/nope.xml': No such file or directory\n");
    }

    @Test
    void nftablesBackendWithoutNftIsRefusedClearly() {
        DriverRig nft = new DriverRig(Ruleset.EMPTY, DaemonConfig.defaults().withFirewallBackend(FirewallBackend.NFTABLES));
        nft.files.put("d.xml", SharedData.read(SharedData.libvirt("derived/networkxml2firewalldata/nat-default.xml")));
        nft.virsh.run("virsh net-define d.xml");
        VirshResult r = nft.virsh.run("virsh net-start default");
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(r.stderr()).contains("this host has no nft to run libvirt's nftables firewall backend");
        assertThat(nft.host.iface("virbr0")).as("a failed start leaves no bridge behind").isEmpty();
    }

    @Test
    void aSubnetAlreadyRoutedElsewhereRefusesTheStart() throws Exception {
        rig.host.addAddress("enp3s0", "192.168.122.50/24");
        VirshResult r = rig.virsh.run("virsh net-start default");
        assertThat(r.stderr()).isEqualTo("""
                error: Failed to start network default
                error: internal error: Network is already in use by interface enp3s0
                """);
    }
}
