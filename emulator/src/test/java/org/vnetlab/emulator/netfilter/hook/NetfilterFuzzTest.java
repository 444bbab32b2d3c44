package org.vnetlab.emulator.netfilter.hook;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer against the netfilter engine as the host's stack drives it: a sequence of datagrams, each
 * {@code [interface byte][length: 2 bytes][datagram]}, received on virbr0 (even interface byte) or enp3s0
 * (odd) by the article's host, one conntrack table for the whole sequence so flows build up state. The
 * IPv4 header checksum is fixed before each datagram (ip_rcv would drop it otherwise and the fuzzer would
 * spend its time on checksums). Nothing may throw, whatever the transport headers hold. Seeds: flows cut
 * from the reference captures, in {@code NetfilterFuzzTestInputs/datagrams/}.
 */
class NetfilterFuzzTest {
    @FuzzTest
    void datagrams(byte[] data) {
        PathRunner host = MalformedDatagramProperties.articleHost(9);
        long now = 1_000_000L;
        int i = 0;
        while (i + 3 <= data.length) {
            String in = (data[i] & 1) == 0 ? "virbr0" : "enp3s0";
            int length = Math.min((data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff), data.length - i - 3);
            byte[] ip = MalformedDatagramProperties.withHeaderChecksum(Arrays.copyOfRange(data, i + 3, i + 3 + length));
            MalformedDatagramProperties.feed(host, ip, in, now);
            now += 1_000_000;
            i += 3 + length;
        }
    }
}
