package org.vnetlab.emulator.hostconf.iface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.hostconf.Fixtures;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

class IpBriefParserTest {
    @Test
    void briefAddrHasTheSameIpv4AddressesAsTheFullDump() throws InputException {
        HostInterfaces brief = IpBriefParser.parse("br", Fixtures.read("iface/lab-ip-br-addr.txt"));
        HostInterfaces full = IpAddrParser.parse("full", Fixtures.read("iface/lab-ip-addr.txt"));
        assertThat(brief.names()).isEqualTo(full.names());
        for (InterfaceConfig f : full.interfaces()) {
            InterfaceConfig b = brief.byName(f.name()).orElseThrow();
            assertThat(b.state()).isEqualTo(f.state());
            assertThat(b.linkPeer()).isEqualTo(f.linkPeer());
            assertThat(b.ipv4()).extracting(InterfaceAddress::brief)
                    .isEqualTo(f.ipv4().stream().map(InterfaceAddress::brief).toList());
        }
        assertThat(brief.byName("tun0").orElseThrow().ipv4().get(0).peer()).contains(Ipv4Address.parse("10.8.0.2"));
        assertThat(brief.byName("lo").orElseThrow().ipv6Lines()).containsExactly("::1/128");
    }

    @Test
    void printsBriefAddrBackExactly() throws InputException {
        String text = Fixtures.read("iface/lab-ip-br-addr.txt");
        assertThat(IpAddrPrinter.brief(IpBriefParser.parse("br", text))).isEqualTo(text);
        HostInterfaces full = IpAddrParser.parse("full", Fixtures.read("iface/lab-ip-addr.txt"));
        assertThat(IpAddrPrinter.brief(full)).isEqualTo(text);
    }

    @Test
    void briefLinkHasMacsAndFlags() throws InputException {
        HostInterfaces h = IpBriefParser.parse("br", Fixtures.read("iface/lab-ip-br-link.txt"));
        InterfaceConfig v = h.byName("virbr0").orElseThrow();
        assertThat(v.mac()).contains(MacAddress.parse("52:54:00:73:62:06"));
        assertThat(v.flags()).containsExactly("BROADCAST", "MULTICAST", "UP", "LOWER_UP");
        InterfaceConfig tun = h.byName("tun0").orElseThrow();
        assertThat(tun.mac()).isEmpty();
        assertThat(tun.flags()).contains("POINTOPOINT", "NO-CARRIER");
    }

    @Test
    void unknownStateIsAnError() {
        assertThatThrownBy(() -> IpBriefParser.parse("br", "eth0             SLEEPING       10.0.0.1/24\n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.column()).isEqualTo(18);
                    assertThat(e.token()).isEqualTo("SLEEPING");
                });
    }

    @Test
    void addressWithoutLengthIsAnError() {
        assertThatThrownBy(() -> IpBriefParser.parse("br", "eth0             UP             10.0.0.1\n"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.column()).isEqualTo(33));
    }
}
