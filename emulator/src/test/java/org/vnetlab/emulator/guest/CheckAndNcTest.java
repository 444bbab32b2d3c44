package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;

/**
 * A guest's check reads a command line exactly as run does, and does nothing else; and netcat's port probe
 * ({@code nc -z}) against the reference internet, whose web host completes TCP handshakes on 443.
 */
class CheckAndNcTest {

    @Test
    void checkAcceptsWhatRunRunsAndSendsNothing() throws CommandException {
        Rig rig = new Rig(OsProfile.debian("debian"), 1, true).withDns("192.168.122.1");
        long before = rig.lab.now();
        for (String line : List.of("ping -c 1 8.8.8.8", "dig @8.8.8.8 google.com", "curl -sS http://142.250.1.1/", "nc -zv -w 5 142.250.1.1 443",
                "ip addr flush dev eth0", "ip addr add 10.0.0.5/24 dev eth0", "ip route add default via 10.0.0.1", "dhclient -v eth0", "hostname")) {
            rig.guest.check(line);
        }
        assertThat(rig.lab.now()).isEqualTo(before);
        assertThat(rig.wire).isEmpty();
        assertThat(rig.guest.config().map(Ipv4Config::address)).contains(Rig.GUEST_IP); // the flush and add were only read
    }

    @Test
    void checkRefusesWhatRunRefusesNamingTheSameWord() {
        Rig rig = new Rig(OsProfile.debian("debian"));
        for (String line : List.of("ping -c x 8.8.8.8", "ping --bogus 8.8.8.8", "dig +bogus google.com", "curl https://x/", "ip link show",
                "ip addr add 10.0.0.5/24 dev eth9", "udhcpc", "traceroute 8.8.8.8", "nc 142.250.1.1 443", "nc -zq 1 h 443", "ping 8.8.8.8 | grep x")) {
            CommandResult run = rig.guest.run(line);
            Outcome.UsageError usage = (Outcome.UsageError) run.outcomes().get(0);
            assertThatThrownBy(() -> rig.guest.check(line)).as(line).isInstanceOfSatisfying(CommandException.class, e -> {
                assertThat(e.token()).isEqualTo(usage.token());
                assertThat(e.problem()).isEqualTo(usage.problem());
            });
        }
        Rig win = new Rig(OsProfile.windows10("WIN10"));
        assertThatThrownBy(() -> win.guest.check("ipconfig /bogus")).isInstanceOfSatisfying(CommandException.class,
                e -> assertThat(e.token()).isEqualTo("/bogus"));
        assertThatThrownBy(() -> win.guest.check("netsh interface ip set address \"Ethernet\" static 10.0.0.5 255.0.255.0"))
                .isInstanceOfSatisfying(CommandException.class, e -> assertThat(e.problem()).isEqualTo("non-contiguous subnet mask"));
        assertThatThrownBy(() -> win.guest.check("dig google.com")).isInstanceOfSatisfying(CommandException.class,
                e -> assertThat(e.exitStatus()).isEqualTo(9009));
    }

    @Test
    void ncOpensTheConnectionOnHttpsPortAndSaysSoAsNetcatDoes() {
        Rig rig = new Rig(OsProfile.debian("debian"), 1, true).withDns("192.168.122.1");
        CommandResult r = rig.guest.run("nc -zv -w 5 142.250.1.1 443");
        assertThat(r.output()).isEqualTo("Connection to 142.250.1.1 443 port [tcp/https] succeeded!\n");
        assertThat(r.exitStatus()).isZero();
        assertThat(r.outcomes()).containsExactly(new Outcome.Connected(Ipv4Address.parse("142.250.1.1"), 443));
        // the handshake and nothing more: SYN, then the ACK (and the FIN that closes it); no payload
        assertThat(rig.sentIp(6)).allSatisfy(ip -> assertThat(ip.totalLength()).isEqualTo(ip.headerLength() + tcpHeaderLength(ip)));
    }

    @Test
    void ncReportsARefusedPortOnlyWithVerboseAndExitsOne() {
        Rig rig = new Rig(OsProfile.debian("debian"), 1, true).withDns("192.168.122.1");
        CommandResult verbose = rig.guest.run("nc -zv 142.250.1.1 8443");
        assertThat(verbose.output()).isEqualTo("nc: connect to 142.250.1.1 port 8443 (tcp) failed: Connection refused\n");
        assertThat(verbose.exitStatus()).isEqualTo(1);
        assertThat(verbose.outcomes()).containsExactly(new Outcome.Refused(Ipv4Address.parse("142.250.1.1"), 8443));
        CommandResult quiet = rig.guest.run("nc -z 142.250.1.1 8443");
        assertThat(quiet.output()).isEmpty();
        assertThat(quiet.exitStatus()).isEqualTo(1);
    }

    @Test
    void ncTimesOutAfterItsWaitWithDebiansWording() {
        Rig rig = new Rig(OsProfile.debian("debian"), 1, true).withDns("192.168.122.1");
        CommandResult r = rig.guest.run("nc -zvw 3 203.0.113.99 443"); // nobody holds this address: the SYNs vanish
        assertThat(r.output()).isEqualTo("nc: connect to 203.0.113.99 port 443 (tcp) timed out: Operation now in progress\n");
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(r.outcomes()).containsExactly(new Outcome.Timeout());
    }

    private static int tcpHeaderLength(org.vnetlab.protocols.ipv4.Ipv4Packet ip) {
        return ((ip.payload().getUnsignedByte(ip.payload().readerIndex() + 12) >> 4) & 0xf) * 4;
    }
}
