package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.internet.Zone;
import org.vnetlab.emulator.internet.ZoneEntry;
import org.vnetlab.protocols.Ipv4Address;

class Ipv6TextTest {
    @Test
    void rfc5952Compression() {
        assertThat(Ipv6Text.compress("2607:f8b0:4005:80c:0:0:0:200e")).isEqualTo("2607:f8b0:4005:80c::200e");
        assertThat(Ipv6Text.compress("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Ipv6Text.compress("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(Ipv6Text.compress("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(Ipv6Text.compress("2001:DB8::0001")).isEqualTo("2001:db8::1");
    }

    @Test
    void nslookupListsAaaaBeforeA() {
        Rig rig = new Rig(OsProfile.windows10("WIN10")).withDns("8.8.8.8");
        rig.internet.setZone(Zone.defaults().with(List.of(new ZoneEntry.Aaaa("google.com", "2607:f8b0:4005:80c::200e"))));
        assertThat(rig.guest.run("nslookup google.com").output()).endsWith("""
                Non-authoritative answer:
                Name:    google.com
                Addresses:  2607:f8b0:4005:80c::200e
                          142.250.72.14

                """);
        Rig linux = new Rig(OsProfile.debian("debian")).withDns("8.8.8.8");
        linux.internet.setZone(Zone.defaults().with(List.of(new ZoneEntry.Aaaa("google.com", "2607:f8b0:4005:80c::200e"))));
        assertThat(linux.guest.run("dig +short google.com AAAA").output()).isEqualTo("2607:f8b0:4005:80c::200e\n");
        assertThat(Ipv4Address.parse("142.250.72.14")).isNotNull();
    }
}
