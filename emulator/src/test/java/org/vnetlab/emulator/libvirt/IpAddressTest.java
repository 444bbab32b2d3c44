package org.vnetlab.emulator.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** IPv6 text as glibc's inet_ntop prints it, since that is what libvirt writes into configs and rules. */
class IpAddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2001:db8:ac10:fe01::1, 2001:db8:ac10:fe01::1",
            "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
            "::, ::",
            "::1, ::1",
            "1::, 1::",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
            "2001:db8:1:0:1:1:1:1, 2001:db8:1:0:1:1:1:1",
            "::ffff:192.0.2.1, ::ffff:192.0.2.1",
            "::192.0.2.1, ::192.0.2.1",
            "fe80::1:2:3:4, fe80::1:2:3:4",
    })
    void ipv6PrintsLikeInetNtop(String in, String out) {
        assertThat(IpAddress.parse(in)).hasToString(out);
    }

    @ParameterizedTest
    @CsvSource({"2001::db8::1", "1:2:3:4:5:6:7:8:9", "12345::", "::g", "1:2:3:4:5:6:7"})
    void malformedIpv6IsRefused(String in) {
        assertThatThrownBy(() -> IpAddress.parse(in)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}/{1} -> {2}")
    @CsvSource({
            "192.168.122.1, 24, 192.168.122.0/24",
            "10.24.10.1, 8, 10.0.0.0/8",
            "2001:db8:ca2:2::1, 64, 2001:db8:ca2:2::/64",
            "2001:db8:ca2:2:1::10, 72, 2001:db8:ca2:2::/72",
            "2001:db8:ca2:2:1::10, 80, 2001:db8:ca2:2:1::/80",
            "2001:db8:ca2:2:1:ff:ee:10, 100, 2001:db8:ca2:2:1:ff::/100",
    })
    void networkWithPrefix(String address, int prefix, String network) {
        assertThat(IpAddress.parse(address).networkWithPrefix(prefix)).isEqualTo(network);
    }

    @ParameterizedTest
    @CsvSource({"255.255.255.0, 24", "255.255.255.255, 32", "0.0.0.0, 0", "255.0.255.0, -1", "255.255.254.0, 23"})
    void netmaskBits(String mask, int bits) {
        assertThat(IpAddress.V4.of(mask).netmaskBits()).isEqualTo(bits);
    }
}
