package org.vnetlab.protocols.checksum;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {

    /** The IPv4 header of the guest's DHCPDISCOVER in ref/captures/article/dhcp.pcap (checksum 0x79a6). */
    private static final String DISCOVER_IP_HEADER = "450001480000000040117" + "9a600000000ffffffff";

    @Test
    void fullSumOfRealHeaderIsZeroOnceChecksumIsIn() {
        ByteBuf header = Unpooled.wrappedBuffer(io.netty.buffer.ByteBufUtil.decodeHexDump(DISCOVER_IP_HEADER));
        assertThat(InternetChecksum.verify(header, 0, 20)).isTrue();
        header.setShort(10, 0);
        assertThat(InternetChecksum.compute(header, 0, 20)).isEqualTo(0x79a6);
    }

    @Property(tries = 500)
    void incrementalAddressUpdateEqualsFullRecompute(@ForAll int oldSrc, @ForAll int newSrc,
            @ForAll @IntRange(min = 0, max = 255) int ttl) {
        ByteBuf h = Unpooled.buffer(20);
        h.writeBytes(io.netty.buffer.ByteBufUtil.decodeHexDump(DISCOVER_IP_HEADER));
        h.setByte(8, ttl);
        h.setInt(12, oldSrc);
        h.setShort(10, 0);
        int before = InternetChecksum.compute(h, 0, 20);
        h.setShort(10, before);
        h.setInt(12, newSrc);
        int incremental = InternetChecksum.update32(before, oldSrc, newSrc);
        h.setShort(10, 0);
        int full = InternetChecksum.compute(h, 0, 20);
        // 0x0000 and 0xffff are the same value in one's complement; RFC 1624 can yield either.
        assertThat(incremental == full || (incremental ^ full) == 0xffff && (full == 0 || full == 0xffff))
                .as("incremental %04x vs full %04x", incremental, full).isTrue();
    }
}
