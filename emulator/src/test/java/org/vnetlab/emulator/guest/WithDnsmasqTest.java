package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.dnsmasq.Dnsmasq;
import org.vnetlab.emulator.dnsmasq.HostFiles;
import org.vnetlab.emulator.dnsmasq.LibvirtSettings;
import org.vnetlab.emulator.dnsmasq.StackDnsmasq;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfParser;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The guests against the emulated dnsmasq 2.90 on the host, configured from the conf the reference host ran
 * (shared/ref/captures/article/dnsmasq-default.conf) and forwarding to 8.8.8.8 on the emulated internet.
 */
class WithDnsmasqTest {

    static Dnsmasq dnsmasq(Rig rig) throws Exception {
        Path conf = Path.of(System.getProperty("vnetlab.shared", "../../shared")).resolve("ref/captures/article/dnsmasq-default.conf");
        String text = Files.readString(conf);
        Map<String, String> sideFiles = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("dhcp-hostsfile=")) sideFiles.put(line.substring(15), "");
            if (line.startsWith("addn-hosts=")) sideFiles.put(line.substring(11), "");
        }
        return StackDnsmasq.start(rig.host, LibvirtSettings.from("dnsmasq-default.conf",
                DnsmasqConfParser.parse("dnsmasq-default.conf", text), sideFiles), HostFiles.of(List.of(Ipv4Address.parse("8.8.8.8"))));
    }

    @Test
    void busyboxGetsTheReferenceLeaseFromDnsmasqAfterItsPingCheck() throws Exception {
        Rig rig = new Rig(OsProfile.busybox("guest"), 1, true);
        dnsmasq(rig);
        long start = rig.lab.now();
        CommandResult r = rig.guest.run("udhcpc -i eth0 -n -q");
        // dnsmasq pings the candidate for ~3 s before it offers; udhcpc's second DISCOVER goes out at 3 s too
        assertThat(r.output()).contains("udhcpc: lease of 192.168.122.55 obtained from 192.168.122.1, lease time 3600\n");
        assertThat(r.outcome()).isEqualTo(new Outcome.Lease(Rig.GUEST_IP, 24, Optional.of(Rig.GATEWAY), List.of(Rig.GATEWAY),
                Rig.GATEWAY, 3600));
        assertThat(rig.lab.now() - start).isBetween(3_000_000_000L, 3_500_000_000L);
        CommandResult dig = rig.guest.run("dig +short google.com");
        assertThat(dig.output()).isEqualTo("142.250.1.1\n");
    }

    @Test
    void windowsRenewsThenResolvesThroughDnsmasq() throws Exception {
        Rig rig = new Rig(OsProfile.windows10("WIN10"), 1, true);
        Dnsmasq d = dnsmasq(rig);
        CommandResult renew = rig.guest.run("ipconfig /renew");
        assertThat(renew.output()).contains("   IPv4 Address. . . . . . . . . . . : 192.168.122.55\n");
        assertThat(d.leases().size()).isEqualTo(1);
        CommandResult ns = rig.guest.run("nslookup google.com");
        assertThat(ns.output()).contains("Address:  192.168.122.1\n").contains("Name:    google.com\nAddress:  142.250.1.1\n");
        assertThat(ns.outcome()).isEqualTo(new Outcome.Resolved("google.com", List.of(Ipv4Address.parse("142.250.1.1")), List.of()));
        assertThat(rig.guest.run("curl http://google.com/").outcome()).isEqualTo(new Outcome.HttpResponse(200, "<html>vnetlab</html>\n"));
    }
}
