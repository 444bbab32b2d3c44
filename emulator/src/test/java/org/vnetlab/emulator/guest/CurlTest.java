package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.tcp.TcpSegment;

/** curl over the emulated internet: the GET, its 200, and the ways a connection fails. */
class CurlTest {
    private static final Ipv4Address WEB = Ipv4Address.parse("142.250.72.14");

    private static Rig linux() {
        return new Rig(OsProfile.debian("debian")).withDns("8.8.8.8");
    }

    @Test
    void getPrintsTheBodyOfA200() {
        CommandResult r = linux().guest.run("curl http://142.250.72.14/");
        assertThat(r.output()).isEqualTo("<html>vnetlab</html>\n");
        assertThat(r.exitStatus()).isZero();
        assertThat(r.outcomes()).containsExactly(new Outcome.Connected(WEB, 80), new Outcome.HttpResponse(200, "<html>vnetlab</html>\n"));
    }

    @Test
    void theRequestIsTheOneCurlSentInTheCapture() throws Exception {
        Rig rig = linux();
        rig.guest.run("curl http://142.250.72.14/");
        String request = null;
        for (Ipv4Packet ip : rig.sentIp(6)) {
            TcpSegment seg = TcpSegment.checked(ip.payload());
            if (seg.payload().readableBytes() > 0) request = seg.payload().toString(StandardCharsets.ISO_8859_1);
        }
        assertThat(request).isEqualTo("GET / HTTP/1.1\r\nHost: 142.250.72.14\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n");
    }

    @Test
    void onTheReferenceRigTheRequestIsTheCapturedOneByteForByte() throws Exception {
        Rig rig = new Rig(OsProfile.debian("debian"), 1, true).withDns("8.8.8.8");
        CommandResult r = rig.guest.run("curl http://google.com/");
        assertThat(r.outcome()).isEqualTo(new Outcome.HttpResponse(200, "<html>vnetlab</html>\n"));
        byte[] ours = null;
        for (Ipv4Packet ip : rig.sentIp(6)) {
            TcpSegment seg = TcpSegment.checked(ip.payload());
            if (seg.payload().readableBytes() > 0) ours = io.netty.buffer.ByteBufUtil.getBytes(seg.payload());
        }
        assertThat(ours).isNotNull();
        String ourText = new String(ours, StandardCharsets.ISO_8859_1).replace("Host: google.com", "Host: 142.250.1.1");
        assertThat(ourText.getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(capturedRequest());
    }

    /** The payload of the guest's first HTTP request in the reference capture (curl 7.88.1 to 142.250.1.1). */
    private static byte[] capturedRequest() throws Exception {
        java.nio.file.Path shared = java.nio.file.Path.of(System.getProperty("vnetlab.shared", "../../shared"));
        for (var rec : org.vnetlab.protocols.pcap.PcapReader.read(shared.resolve("ref/captures/article/guest-eth0.pcap"))) {
            var eth = org.vnetlab.protocols.ethernet.EthernetFrame.checked(io.netty.buffer.Unpooled.wrappedBuffer(rec.data()));
            if (eth.etherType().value() != 0x0800) continue;
            Ipv4Packet ip = Ipv4Packet.checked(eth.payload());
            if (ip.protocol().value() != 6) continue;
            TcpSegment seg = TcpSegment.checked(ip.payload());
            if (seg.destinationPort() == 80 && seg.payload().readableBytes() > 0) return io.netty.buffer.ByteBufUtil.getBytes(seg.payload());
        }
        throw new AssertionError("no HTTP request in the capture");
    }

    @Test
    void namesAreResolvedAndHeadersShownOnRequest() {
        CommandResult r = linux().guest.run("curl -i http://google.com/");
        assertThat(r.output()).startsWith("HTTP/1.0 200 OK\r\n").endsWith("\r\n\r\n<html>vnetlab</html>\n");
    }

    @Test
    void aClosedPortIsRefusedByRst() {
        CommandResult r = linux().guest.run("curl http://142.250.72.14:81/");
        assertThat(r.output()).matches("curl: \\(7\\) Failed to connect to 142\\.250\\.72\\.14 port 81 after \\d+ ms: Couldn't connect to server\n");
        assertThat(r.exitStatus()).isEqualTo(7);
        assertThat(r.outcome()).isEqualTo(new Outcome.Refused(WEB, 81));
    }

    @Test
    void aDroppedPrefixTimesOutAtTheMaxTime() {
        Rig rig = linux();
        rig.router.enable("drop-prefix 142.250.0.0/16");
        CommandResult r = rig.guest.run("curl -m 5 http://142.250.72.14/");
        assertThat(r.output()).isEqualTo("curl: (28) Connection timed out after 5000 milliseconds\n");
        assertThat(r.exitStatus()).isEqualTo(28);
        assertThat(r.outcome()).isEqualTo(new Outcome.Timeout());
    }

    @Test
    void withoutMaxTimeTheKernelsSynRetriesDecide() {
        Rig rig = linux();
        rig.router.enable("drop-prefix 142.250.0.0/16");
        CommandResult r = rig.guest.run("curl http://142.250.72.14/");
        // Linux: SYNs at 0, 1, 3, 7, 15, 31, 63 s, ETIMEDOUT at 127 s
        assertThat(r.output()).isEqualTo("curl: (28) Failed to connect to 142.250.72.14 port 80 after 127000 ms: Couldn't connect to server\n");
    }

    @Test
    void anUnresolvableHost() {
        CommandResult r = linux().guest.run("curl http://nowhere.example/");
        assertThat(r.output()).isEqualTo("curl: (6) Could not resolve host: nowhere.example\n");
        assertThat(r.exitStatus()).isEqualTo(6);
    }

    @Test
    void windowsCurlExeWorksTheSameWay() {
        Rig rig = new Rig(OsProfile.windows10("WIN10")).withDns("8.8.8.8");
        CommandResult r = rig.guest.run("curl.exe http://google.com/");
        assertThat(r.output()).isEqualTo("<html>vnetlab</html>\n");
    }

    @Test
    void httpsAndUnknownOptionsAreRefusedByName() {
        Rig rig = linux();
        assertThat(rig.guest.run("curl https://google.com/").outcome())
                .isEqualTo(new Outcome.UsageError("https://google.com/", "HTTPS (TLS) is not emulated: use http://"));
        CommandResult bad = rig.guest.run("curl --frobnicate http://google.com/");
        assertThat(bad.output()).startsWith("curl: option --frobnicate: is unknown\n");
        assertThat(bad.exitStatus()).isEqualTo(2);
    }
}
