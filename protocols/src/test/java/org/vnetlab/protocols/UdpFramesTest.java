package org.vnetlab.protocols;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dns.DnsMessage;

/** The test wrapper rebuilds dnsmasq's real frames, so the frames we hand to tshark are like real ones. */
class UdpFramesTest {
    private static final MacAddress GUEST = MacAddress.parse("52:54:00:aa:bb:01");
    private static final MacAddress VIRBR0 = MacAddress.parse("52:54:00:73:62:06");
    private static final Ipv4Address HOST = Ipv4Address.parse("192.168.122.1");
    private static final Ipv4Address LEASED = Ipv4Address.parse("192.168.122.55");

    @Test
    void rebuildsDnsmasqsOffer() throws ParseException {
        RefCaptures.Udp offer = RefCaptures.dhcp("dhcp.pcap").stream().filter(u -> u.frame() == 6).findFirst().orElseThrow();
        byte[] payload = DhcpMessage.parse(offer.payload()).toBytes();
        byte[] frame = UdpFrames.frame(VIRBR0, GUEST, HOST, LEASED, 67, 68, new UdpFrames.Ip(0xc0, 64, 0x7053, false), payload);
        assertThat(frame).isEqualTo(offer.frameBytes());
    }

    @Test
    void rebuildsDnsmasqsAnswer() throws ParseException {
        RefCaptures.Udp answer = RefCaptures.dns("guest-eth0.pcap").stream().filter(u -> u.frame() == 22).findFirst().orElseThrow();
        byte[] payload = DnsMessage.parse(answer.payload()).toWire();
        byte[] frame = UdpFrames.frame(VIRBR0, GUEST, HOST, LEASED, 53, 40001, new UdpFrames.Ip(0, 64, 0x7082, true), payload);
        assertThat(frame).isEqualTo(answer.frameBytes());
    }

    @Test
    void aMissingToolFailsLoudlyUnlessAllowed() {
        if ("1".equals(System.getenv("VNETLAB_ALLOW_MISSING_TOOLS"))) {
            assertThatThrownBy(() -> Tshark.require("vnetlab-no-such-tool")).isInstanceOf(TestAbortedException.class);
        } else {
            assertThatThrownBy(() -> Tshark.require("vnetlab-no-such-tool")).isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("apt-get install tshark").hasMessageContaining("VNETLAB_ALLOW_MISSING_TOOLS=1");
        }
    }
}
