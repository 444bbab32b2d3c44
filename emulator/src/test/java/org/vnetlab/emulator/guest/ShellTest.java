package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;

/** What the shells do with what they cannot run, and the state-changing commands. */
class ShellTest {

    @Test
    void cmdRejectsUnknownCommandsAsCmdDoes() {
        Rig rig = new Rig(OsProfile.windows10("WIN10"));
        CommandResult r = rig.guest.run("tracert 8.8.8.8");
        assertThat(r.output()).isEqualTo("'tracert' is not recognized as an internal or external command,\noperable program or batch file.\n");
        assertThat(r.exitStatus()).isEqualTo(9009);
        assertThat(r.outcome()).isEqualTo(new Outcome.UsageError("tracert", "unknown command"));
    }

    @Test
    void bashRejectsUnknownCommandsAsBashDoes() {
        Rig rig = new Rig(OsProfile.debian("debian"));
        CommandResult r = rig.guest.run("traceroute 8.8.8.8");
        assertThat(r.output()).isEqualTo("bash: traceroute: command not found\n");
        assertThat(r.exitStatus()).isEqualTo(127);
        assertThat(rig.guest.run("udhcpc").output()).isEqualTo("bash: udhcpc: command not found\n");
    }

    @Test
    void shellSyntaxIsRefusedNotIgnored() {
        Rig rig = new Rig(OsProfile.debian("debian"));
        CommandResult r = rig.guest.run("ping -c 1 8.8.8.8 | grep ttl");
        assertThat(r.outcome()).isInstanceOf(Outcome.UsageError.class);
        assertThat(((Outcome.UsageError) r.outcome()).token()).isEqualTo("|");
        assertThat(r.output()).contains("'|'");
    }

    @Test
    void commandNamesAreCaseInsensitiveOnWindowsOnly() {
        Rig win = new Rig(OsProfile.windows10("WIN10"));
        assertThat(win.guest.run("HOSTNAME").output()).isEqualTo("WIN10\n");
        Rig linux = new Rig(OsProfile.debian("debian"));
        assertThat(linux.guest.run("HOSTNAME").exitStatus()).isEqualTo(127);
    }

    @Test
    void netshSetsAStaticAddressAndDnsServer() {
        Rig rig = new Rig(OsProfile.windows10("WIN10"));
        CommandResult r = rig.guest.run("netsh interface ip set address \"Ethernet\" static 192.168.122.50 255.255.255.0 192.168.122.1");
        assertThat(r.exitStatus()).isZero();
        rig.guest.run("netsh interface ip set dns name=\"Ethernet\" static 8.8.8.8");
        assertThat(rig.guest.config()).contains(new Ipv4Config(Ipv4Address.parse("192.168.122.50"), 24,
                Optional.of(Ipv4Address.parse("192.168.122.1")), List.of(Ipv4Address.parse("8.8.8.8"))));
        assertThat(rig.guest.run("ipconfig").output()).contains("   IPv4 Address. . . . . . . . . . . : 192.168.122.50\n");
        assertThat(rig.guest.run("ping -n 1 google.com").outcome()).isInstanceOf(Outcome.Reply.class);
        assertThat(rig.guest.run("ipconfig /renew").output()).contains("The operation failed as no adapter is in the state permissible for");
        CommandResult bad = rig.guest.run("netsh interface ip set address \"Wi-Fi\" dhcp");
        assertThat(bad.outcome()).isEqualTo(new Outcome.UsageError("Wi-Fi", "no such interface (the guest's adapter is \"Ethernet\")"));
    }

    @Test
    void netshBackToDhcpStartsTheClientAtOnce() {
        Rig rig = new Rig(OsProfile.windows10("WIN10"));
        rig.guest.run("netsh interface ip set address Ethernet static 192.168.122.50 255.255.255.0");
        rig.dhcpServer();
        rig.guest.run("netsh interface ip set address Ethernet dhcp");
        assertThat(rig.guest.dhcpEnabled()).isTrue();
        rig.lab.scheduler().runFor(1_000_000_000L);
        assertThat(rig.guest.lease()).map(DhcpLease::address).contains(Rig.GUEST_IP);
    }

    @Test
    void withoutAnAddressPingCannotTransmit() {
        Rig rig = new Rig(OsProfile.windows10("WIN10"));
        CommandResult r = rig.guest.run("ping -n 1 8.8.8.8");
        assertThat(r.output()).contains("PING: transmit failed. General failure. \n");
        assertThat(r.exitStatus()).isEqualTo(1);
        Rig linux = new Rig(OsProfile.debian("debian"));
        CommandResult l = linux.guest.run("ping -c 1 8.8.8.8");
        assertThat(l.output()).isEqualTo("ping: connect: Network is unreachable\n");
        assertThat(l.exitStatus()).isEqualTo(2);
    }

    @Test
    void ipCommandsConfigureByHand() {
        Rig rig = new Rig(OsProfile.debian("debian"));
        assertThat(rig.guest.run("ip addr add 192.168.122.77/24 dev eth0").exitStatus()).isZero();
        assertThat(rig.guest.run("ip route add default via 192.168.122.1").exitStatus()).isZero();
        assertThat(rig.guest.run("ip r").output()).isEqualTo("""
                default via 192.168.122.1 dev eth0
                192.168.122.0/24 dev eth0 proto kernel scope link src 192.168.122.77
                """);
        assertThat(rig.guest.run("ping -c 1 192.168.0.1").output()).contains("64 bytes from 192.168.0.1: icmp_seq=1 ttl=63");
        assertThat(rig.guest.run("ip route add default via 10.0.0.1").output()).isEqualTo("Error: Nexthop has invalid gateway.\n");
        assertThat(rig.guest.run("ip addr show dev eth9").output()).isEqualTo("Device \"eth9\" does not exist.\n");
        assertThat(rig.guest.run("ip link").output()).isEqualTo("Object \"link\" is unknown, try \"ip help\".\n");
    }
}
