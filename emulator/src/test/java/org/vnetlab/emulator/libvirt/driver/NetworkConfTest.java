package org.vnetlab.emulator.libvirt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;

/** /etc/libvirt/network.conf's firewall_backend, as libvirt 10.4+ reads it. */
class NetworkConfTest {
    @Test
    void theStockFileSetsNothingItsCommentsAreComments() throws Exception {
        String stock = """
                # Master configuration file for the network driver.
                #
                # firewall_backend:
                #
                #   determines which subsystem to use to setup firewall packet
                #   filtering rules for virtual networks.
                #
                #firewall_backend = "nftables"
                """;
        assertThat(NetworkConf.firewallBackend(stock, "network.conf")).isEmpty();
    }

    @Test
    void theLastSettingWins() throws Exception {
        assertThat(NetworkConf.firewallBackend("firewall_backend = \"iptables\"\nfirewall_backend = \"nftables\"\n", "network.conf"))
                .contains(FirewallBackend.NFTABLES);
        assertThat(NetworkConf.firewallBackend("  firewall_backend=\"iptables\"\n", "network.conf")).contains(FirewallBackend.IPTABLES);
    }

    @Test
    void anUnknownBackendIsLibvirtsError() {
        assertThatThrownBy(() -> NetworkConf.firewallBackend("firewall_backend = \"pf\"\n", "network.conf"))
                .isInstanceOf(InputException.class)
                .hasMessage("network.conf:1:21: unrecognized firewall_backend = 'pf' set in network driver config file near 'pf' (hint: nftables or iptables)");
    }
}
