package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.hostconf.guest.IpconfigParser;
import org.vnetlab.emulator.hostconf.guest.WindowsIpconfig;
import org.vnetlab.protocols.Ipv4Address;

/** Same seed, same story; and what guests print, vnetlab reads back. */
class DeterminismTest {

    private static List<Object> session(long seed) {
        Rig rig = new Rig(OsProfile.windows10("WIN10"), seed);
        TinyDhcpServer server = rig.dhcpServer();
        server.answering = false;
        List<Object> out = new ArrayList<>();
        out.add(rig.guest.run("ipconfig /renew").output());
        out.add(rig.guest.run("ipconfig").output());
        server.answering = true;
        out.add(rig.guest.run("ipconfig /renew").output());
        out.add(rig.guest.run("nslookup google.com 8.8.8.8").output());
        out.add(rig.guest.run("ping -n 2 google.com").output());
        for (Rig.WireFrame f : rig.wire) out.add(f.atNanos() + " " + java.util.HexFormat.of().formatHex(f.bytes()));
        return out;
    }

    @Test
    void aSeedReplaysByteForByte() {
        List<Object> a = session(42);
        assertThat(session(42)).isEqualTo(a);
        // another seed draws another xid, APIPA address and jitter
        assertThat(session(43)).isNotEqualTo(a);
    }

    @Test
    void ipconfigOutputParsesBackToTheGuestsAddress() throws Exception {
        Rig rig = new Rig(OsProfile.windows10("WIN10"));
        rig.dhcpServer();
        rig.guest.run("ipconfig /renew");
        WindowsIpconfig parsed = IpconfigParser.parse("ipconfig-all.txt", rig.guest.run("ipconfig /all").output());
        assertThat(parsed.hostName()).contains("WIN10");
        var adapter = parsed.adapter("Ethernet").orElseThrow();
        assertThat(adapter.ipv4Gateway()).contains(Rig.GATEWAY);
        assertThat(adapter.dhcpServer()).contains(Rig.GATEWAY);
        assertThat(parsed.ipv4Addresses()).extracting(a -> a.address()).containsExactly(Rig.GUEST_IP);
        assertThat(Ipv4Address.parse("192.168.122.55")).isEqualTo(Rig.GUEST_IP);
    }
}
