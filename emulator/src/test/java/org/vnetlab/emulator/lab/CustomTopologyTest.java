package org.vnetlab.emulator.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.guest.CommandResult;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.guest.Outcome;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.stack.Ipv4Assignment;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/** A lab built without a dump: two libvirt NAT networks with a guest each, on an uplink of our choosing. */
class CustomTopologyTest {
    static final String SECOND = """
            <network>
              <name>lab</name>
              <forward mode='nat'/>
              <bridge name='virbr1'/>
              <ip address='192.168.100.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.100.10' end='192.168.100.20'/>
                </dhcp>
              </ip>
            </network>
            """;

    @Test
    void guestsOnTwoNatNetworksReachTheInternetButNotEachOther() throws Exception {
        LibvirtHostLab lab = LibvirtHostLab.builder(3)
                .uplink("eth0", MacAddress.parse("00:16:3e:00:00:01"), Ipv4Assignment.parse("10.0.0.5/24"))
                .gateway(Ipv4Address.parse("10.0.0.1"))
                .network(LibvirtHostLab.STOCK_DEFAULT_NETWORK)
                .network(SECOND)
                .build();
        assertThat(lab.assumptions()).anyMatch(a -> a.startsWith("no iptables-save"));
        assertThat(lab.host().iptablesSave()).contains("-A LIBVIRT_FWI -d 192.168.100.0/24 -o virbr1 -m conntrack")
                .contains("-A LIBVIRT_PRT -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE");

        Guest a = lab.addGuest("a", OsProfile.debian("a"), MacAddress.parse("52:54:00:00:00:0a"), "default", true);
        Guest b = lab.addGuest("b", OsProfile.debian("b"), MacAddress.parse("52:54:00:00:00:0b"), "lab", true);
        lab.runFor(SimTime.seconds(30));
        Ipv4Address bAddress = b.lease().orElseThrow().address();
        assertThat(bAddress.inPrefix(Ipv4Address.parse("192.168.100.0"), 24)).isTrue();

        assertThat(a.run("ping -c 1 8.8.8.8").succeeded()).isTrue();
        assertThat(b.run("ping -c 1 8.8.8.8").succeeded()).isTrue();
        // libvirt's LIBVIRT_FWI accepts only replies into a network: a new flow from the other network is rejected
        CommandResult across = a.run("ping -c 1 " + bAddress);
        assertThat(across.succeeded()).isFalse();
        assertThat(across.outcome()).isInstanceOf(Outcome.Unreachable.class);
        assertThat(lab.host().conntrackList()).contains("dst=8.8.8.8").contains("dst=10.0.0.5");
    }
}
