package org.vnetlab.emulator.netfilter.iptables;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * iptables' numeric address reading (libxtables __numeric_to_ipaddr): short forms are padded with zero
 * octets at the end, each part is a C number; the expected values were checked with the real iptables 1.8.9.
 */
class AddressesTest {
    @ParameterizedTest
    @CsvSource({
        "53, 53.0.0.0",
        "68, 68.0.0.0",
        "10.1, 10.1.0.0",
        "1.2.3, 1.2.3.0",
        "0x10, 16.0.0.0",
        "010.1.1.1, 8.1.1.1",
        "0x7f.1, 127.1.0.0",
        "192.168.122.1, 192.168.122.1",
    })
    void shortAndCNumberForms(String written, String address) {
        assertThat(Addresses.numeric(written, false)).hasValueSatisfying(a -> assertThat(a.toString()).isEqualTo(address));
    }

    @ParameterizedTest
    @CsvSource({"256", "1.2.3.4.5", "example.com", "1..2", "-1", "08", "''"})
    void notNumeric(String written) {
        assertThat(Addresses.numeric(written, false)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"53, true", "10.1/8, true", "1.2.3.4, false", "host, false", "1.2.3.4/24, false"})
    void abbreviatedAddressesAreRecognizedForTheLint(String written, boolean abbreviated) {
        assertThat(Addresses.isAbbreviated(written)).isEqualTo(abbreviated);
    }

    @ParameterizedTest
    @CsvSource({"255.255.0.0, true", "24, false", "255.255, false"})
    void masksMustBeFullDottedQuads(String mask, boolean dotted) {
        assertThat(Addresses.numeric(mask, true).isPresent()).isEqualTo(dotted);
    }
}
