package org.vnetlab.protocols.ipv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vnetlab.protocols.Captures.hex;

import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.ParseException;

class TransportPortsTest {

    @Test
    void readsThePortsOfAQuoteCutToTheRfc792Minimum() throws ParseException {
        // The SYN of host-enp3s0 #47 as an old router would quote it: IP header + 8 bytes.
        Ipv4Packet quoted = Ipv4Packet.checkedTruncated(hex("4500003c7a1040003f06c622c0a80001c0a87a37" + "ed721f900c771531"));
        assertThat(TransportPorts.of(quoted)).isEqualTo(new TransportPorts(60786, 8080));
        assertThat(TransportPorts.of(quoted).reversed()).isEqualTo(new TransportPorts(8080, 60786));
    }

    @Test
    void refusesWhatHasNoPorts() {
        assertThatThrownBy(() -> TransportPorts.of(Ipv4Packet.checkedTruncated(hex("45000054000040004001000001020304050607080800"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("carries no ports");
        assertThatThrownBy(() -> TransportPorts.of(Ipv4Packet.checkedTruncated(hex("4500003c7a1040003f06c622c0a80001c0a87a37ed72"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> TransportPorts.of(Ipv4Packet.checkedTruncated(hex("4500003c7a1000b93f06c622c0a80001c0a87a37ed721f90"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("non-first fragment");
    }
}
