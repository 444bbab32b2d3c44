package org.vnetlab.emulator.libvirt.dnsmasq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.input.InputException;

/** Lease times beyond the 32 bits dnsmasq keeps them in: refused by line, never an arithmetic accident. */
class LeaseTimeLimitsTest {
    @Test
    void theLargestLeaseTimeStillFits() {
        assertThat(DnsmasqConfParser.parseLeaseTime("4294967295")).hasValueSatisfying(l -> assertThat(l.seconds()).isEqualTo(4294967295L));
        assertThat(DnsmasqConfParser.parseLeaseTime("7101w")).hasValueSatisfying(l -> assertThat(l.seconds()).isEqualTo(7101L * 604800));
    }

    @Test
    void aNumberTooLongForALongIsNoLeaseTime() {
        // found by mutating leasetime-seconds.hostsfile: Long.parseLong threw NumberFormatException
        assertThat(DnsmasqConfParser.parseLeaseTime("99999999999999999999999")).isEmpty();
        assertThat(DnsmasqConfParser.parseLeaseTime("9999999999w")).isEmpty();
        assertThat(DnsmasqConfParser.parseLeaseTime("4294967296")).isEmpty();
    }

    @Test
    void inAHostsFileSuchAFieldIsAnErrorOnItsLine() {
        InputException e = catchThrowableOfType(InputException.class, () -> DnsmasqHostsFiles.parseDhcpHosts("hosts",
                "52:54:00:aa:bb:01,192.168.122.55,guest,300s\n52:54:00:aa:bb:02,192.168.122.56,other,99999999999999999999999\n"));

        assertThat(e).isNotNull();
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.token()).isEqualTo("99999999999999999999999");
    }
}
