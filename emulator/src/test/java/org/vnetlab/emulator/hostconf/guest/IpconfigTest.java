package org.vnetlab.emulator.hostconf.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.hostconf.Fixtures;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

class IpconfigTest {
    private static WindowsIpconfig parse(String fixture) throws InputException {
        return IpconfigParser.parse(fixture, Fixtures.read("guest/" + fixture));
    }

    @Test
    void readsTheArticlesGuest() throws InputException {
        WindowsIpconfig w = parse("article-ipconfig.txt");
        assertThat(w.detailed()).isFalse();
        IpconfigAdapter a = w.adapter("Local Area Connection 2").orElseThrow();
        assertThat(a.kind()).isEqualTo("Ethernet");
        assertThat(a.dnsSuffix()).isEmpty();
        assertThat(w.ipv4Addresses()).containsExactly(
                new GuestAddress("Local Area Connection 2", Ipv4Address.parse("192.168.122.177"), 24));
        assertThat(w.defaultGateway()).contains(Ipv4Address.parse("192.168.122.1"));
        assertThat(w.dnsServers()).as("plain ipconfig does not show DNS servers").isEmpty();
    }

    @Test
    void printsTheArticlesBlockInWindowsLayout() throws InputException {
        String printed = IpconfigPrinter.print(parse("article-ipconfig.txt"), false);
        assertThat(printed).isEqualTo("\nWindows IP Configuration\n\n\n" + Fixtures.read("guest/article-ipconfig.txt"));
    }

    @Test
    void readsIpconfigAll() throws InputException {
        WindowsIpconfig w = parse("win10-ipconfig-all.txt");
        assertThat(w.detailed()).isTrue();
        assertThat(w.hostName()).contains("WIN10-GUEST");
        IpconfigAdapter a = w.adapters().get(0);
        assertThat(a.description()).contains("Red Hat VirtIO Ethernet Adapter");
        assertThat(a.physicalAddress()).contains(MacAddress.parse("52:54:00:aa:bb:01"));
        assertThat(a.dhcpEnabled()).contains(true);
        assertThat(a.ipv4Entries()).containsExactly(new IpconfigAdapter.Ipv4Entry(Ipv4Address.parse("192.168.122.177"), Optional.of("Preferred")));
        assertThat(a.dhcpServer()).contains(Ipv4Address.parse("192.168.122.1"));
        assertThat(a.dnsServers()).containsExactly("192.168.122.1", "8.8.8.8");
        assertThat(a.leaseObtained()).contains("Tuesday, March 5, 2024 10:15:32 AM");
        IpconfigAdapter tunnel = w.adapters().get(1);
        assertThat(tunnel.mediaDisconnected()).isTrue();
        assertThat(tunnel.physicalAddress()).as("8-byte tunnel address is no MAC").isEmpty();
        assertThat(w.ipv4Addresses()).hasSize(1);
        assertThat(w.dnsServers()).containsExactly("192.168.122.1", "8.8.8.8");
    }

    @Test
    void printsIpconfigAllAndItsPlainViewExactly() throws InputException {
        WindowsIpconfig all = parse("win10-ipconfig-all.txt");
        assertThat(IpconfigPrinter.print(all, true)).isEqualTo(Fixtures.read("guest/win10-ipconfig-all.txt"));
        assertThat(IpconfigPrinter.print(all, false)).isEqualTo(Fixtures.read("guest/win10-ipconfig.txt"));
        assertThat(IpconfigPrinter.print(parse("win10-ipconfig.txt"), false)).isEqualTo(Fixtures.read("guest/win10-ipconfig.txt"));
    }

    @Test
    void dottedLeadersPutTheColonInColumn38() {
        for (String label : List.of("IPv4 Address", "Subnet Mask", "Default Gateway", "Connection-specific DNS Suffix",
                "Link-local IPv6 Address", "Primary Dns Suffix", "Autoconfiguration Enabled", "Host Name", "Unknown Label X")) {
            assertThat(IpconfigLabels.withLeader(label)).as(label).hasSize(34).startsWith(label);
        }
        assertThat(IpconfigLabels.withLeader("IPv4 Address")).isEqualTo("IPv4 Address. . . . . . . . . . . ");
        assertThat(IpconfigLabels.withLeader("Subnet Mask")).isEqualTo("Subnet Mask . . . . . . . . . . . ");
    }

    @Test
    void readsWindowsLineEndingsAndAPromptLine() throws InputException {
        String crlf = ("C:\\Users\\me>ipconfig\n" + Fixtures.read("guest/win10-ipconfig.txt")).replace("\n", "\r\n");
        WindowsIpconfig w = IpconfigParser.parse("ipconfig.txt", crlf);
        assertThat(w.noted()).hasSize(1);
        assertThat(w.defaultGateway()).contains(Ipv4Address.parse("192.168.122.1"));
    }

    @Test
    void buildsTheGuestAdapterWindowsWouldPrint() {
        IpconfigAdapter a = IpconfigAdapter.dhcpEthernet("Ethernet", "Red Hat VirtIO Ethernet Adapter",
                MacAddress.parse("52:54:00:aa:bb:01"), "fe80::5054:ff:feaa:bb01%4", Ipv4Address.parse("192.168.122.55"),
                Ipv4Address.parse("255.255.255.0"), "Monday, January 1, 2024 9:00:00 AM", "Monday, January 1, 2024 10:00:00 AM",
                Optional.of(Ipv4Address.parse("192.168.122.1")), Ipv4Address.parse("192.168.122.1"),
                List.of(Ipv4Address.parse("192.168.122.1")), "");
        WindowsIpconfig w = new WindowsIpconfig(false, List.of(), List.of(a), List.of());
        assertThat(IpconfigPrinter.print(w, false)).isEqualTo("""

                Windows IP Configuration


                Ethernet adapter Ethernet:

                   Connection-specific DNS Suffix  . :
                   Link-local IPv6 Address . . . . . : fe80::5054:ff:feaa:bb01%4
                   IPv4 Address. . . . . . . . . . . : 192.168.122.55
                   Subnet Mask . . . . . . . . . . . : 255.255.255.0
                   Default Gateway . . . . . . . . . : 192.168.122.1
                """);
        assertThat(IpconfigPrinter.print(w, true)).contains("   Physical Address. . . . . . . . . : 52-54-00-AA-BB-01\n")
                .contains("   DNS Servers . . . . . . . . . . . : 192.168.122.1\n");
    }

    @Test
    void badAddressNamesLineAndColumn() {
        assertThatThrownBy(() -> IpconfigParser.parse("ipconfig.txt", """
                Ethernet adapter Ethernet:

                   IPv4 Address. . . . . . . . . . . : 192.168.122.277
                """)).isInstanceOfSatisfying(InputException.class, e ->
                assertThat(e.getMessage()).isEqualTo("ipconfig.txt:3:40: not a valid IPv4 Address near '192.168.122.277'"));
    }

    @Test
    void nonContiguousMaskIsAnError() {
        assertThatThrownBy(() -> IpconfigParser.parse("ipconfig.txt",
                "Ethernet adapter Ethernet:\n   Subnet Mask . . . . . . . . . . . : 255.0.255.0\n"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.token()).isEqualTo("255.0.255.0"));
    }

    @Test
    void otherLanguagesAreAnErrorWithAHint() {
        assertThatThrownBy(() -> IpconfigParser.parse("ipconfig.txt", """
                Ethernet adapter Ethernet:

                   Verbindungsspezifisches DNS-Suffix:
                   IPv4-Adresse  . . . . . . . . . . : 192.168.122.177
                """)).isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.hint()).hasValueSatisfying(h -> assertThat(h).contains("English"));
                });
    }

    @Test
    void strayTextIsAnError() {
        assertThatThrownBy(() -> IpconfigParser.parse("ipconfig.txt", "Ethernet adapter Ethernet:\n\nhello there\n"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.token()).isEqualTo("hello");
                });
    }

    @Test
    void noAdapterIsAnError() {
        assertThatThrownBy(() -> IpconfigParser.parse("ipconfig.txt", "\nWindows IP Configuration\n\n"))
                .isInstanceOf(InputException.class);
    }
}
