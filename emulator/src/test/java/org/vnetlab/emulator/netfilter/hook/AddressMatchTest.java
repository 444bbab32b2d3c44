package org.vnetlab.emulator.netfilter.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.testing.Packets;
import org.vnetlab.protocols.MacAddress;

/**
 * Matches on addresses, lengths and the frame: addrtype (xt_addrtype.c, route types from the local table),
 * iprange, length, mac, pkttype and physdev, on the article's host (virbr0 192.168.122.1, enp3s0 192.168.0.10).
 */
class AddressMatchTest {
    final MatchBench bench = new MatchBench();

    static ByteBuf ping(String src, String dst) { return Packets.ping(src, dst, 64, 7, 1); }

    boolean matches(TableName table, String chain, String spec, PacketContext ctx) {
        return bench.eval(MatchBench.rule(table, chain, spec), ctx) == Matcher.Result.MATCH;
    }

    @Nested
    class AddrType {
        @Test
        void localMeansAnAddressOfTheHostOnAnyInterface() {
            PacketContext toUplinkFromGuest = bench.received(ping("192.168.122.55", "192.168.0.10"), "virbr0", MatchBench.VIRBR0);
            assertThat(matches(TableName.NAT, "PREROUTING", "-m addrtype --dst-type LOCAL", toUplinkFromGuest)).isTrue();
            PacketContext toInternet = bench.received(ping("192.168.122.55", "8.8.8.8"), "virbr0", MatchBench.VIRBR0);
            assertThat(matches(TableName.NAT, "PREROUTING", "-m addrtype --dst-type LOCAL", toInternet)).isFalse();
            assertThat(matches(TableName.NAT, "PREROUTING", "-m addrtype --dst-type UNICAST", toInternet)).isTrue();
        }

        @Test
        void limitIfaceInLooksTheAddressUpOnTheInputInterfaceOnly() {
            // 192.168.0.10 belongs to enp3s0: seen from virbr0 it is an ordinary unicast address
            PacketContext toUplinkFromGuest = bench.received(ping("192.168.122.55", "192.168.0.10"), "virbr0", MatchBench.VIRBR0);
            assertThat(matches(TableName.NAT, "PREROUTING", "-m addrtype --dst-type LOCAL --limit-iface-in", toUplinkFromGuest)).isFalse();
            assertThat(matches(TableName.NAT, "PREROUTING", "-m addrtype --dst-type UNICAST --limit-iface-in", toUplinkFromGuest)).isTrue();
            PacketContext toGateway = bench.received(ping("192.168.122.55", "192.168.122.1"), "virbr0", MatchBench.VIRBR0);
            assertThat(matches(TableName.NAT, "PREROUTING", "-m addrtype --dst-type LOCAL --limit-iface-in", toGateway)).isTrue();
        }

        @Test
        void limitIfaceOutServesTheSourceTestToo() {
            // one device for both tests (addrtype_mt_v1): the output one
            PacketContext fromUplinkOutVirbr0 = bench.local(ping("192.168.0.10", "192.168.122.55"), "virbr0");
            assertThat(matches(TableName.FILTER, "OUTPUT", "-m addrtype --src-type LOCAL", fromUplinkOutVirbr0)).isTrue();
            assertThat(matches(TableName.FILTER, "OUTPUT", "-m addrtype --src-type LOCAL --limit-iface-out", fromUplinkOutVirbr0)).isFalse();
            PacketContext fromGatewayOutVirbr0 = bench.local(ping("192.168.122.1", "192.168.122.55"), "virbr0");
            assertThat(matches(TableName.FILTER, "OUTPUT", "-m addrtype --src-type LOCAL --limit-iface-out", fromGatewayOutVirbr0)).isTrue();
            assertThat(matches(TableName.FILTER, "OUTPUT", "-m addrtype --src-type LOCAL --dst-type UNICAST --limit-iface-out",
                    fromGatewayOutVirbr0)).isTrue();
        }

        @Test
        void broadcastMulticastAndTheZeroNetwork() {
            PacketContext limited = bench.received(Packets.udp("0.0.0.0", 68, "255.255.255.255", 67, 64, 300), "virbr0",
                    MacAddress.parse("ff:ff:ff:ff:ff:ff"));
            assertThat(matches(TableName.FILTER, "INPUT", "-m addrtype --dst-type BROADCAST", limited)).isTrue();
            assertThat(matches(TableName.FILTER, "INPUT", "-m addrtype --src-type BROADCAST", limited)).as("0.0.0.0 too").isTrue();
            PacketContext subnet = bench.received(ping("192.168.122.55", "192.168.122.255"), "virbr0", MacAddress.parse("ff:ff:ff:ff:ff:ff"));
            assertThat(matches(TableName.FILTER, "INPUT", "-m addrtype --dst-type BROADCAST --limit-iface-in", subnet)).isTrue();
            PacketContext otherSubnet = bench.received(ping("192.168.122.55", "192.168.0.255"), "virbr0", MacAddress.parse("ff:ff:ff:ff:ff:ff"));
            assertThat(matches(TableName.FILTER, "INPUT", "-m addrtype --dst-type BROADCAST --limit-iface-in", otherSubnet)).isFalse();
            PacketContext mdns = bench.received(Packets.udp("192.168.122.55", 5353, "224.0.0.251", 5353, 255, 40), "virbr0",
                    MacAddress.parse("01:00:5e:00:00:fb"));
            assertThat(matches(TableName.FILTER, "INPUT", "-m addrtype --dst-type MULTICAST", mdns)).isTrue();
            assertThat(matches(TableName.FILTER, "INPUT", "-m addrtype ! --src-type UNICAST", mdns)).isFalse();
        }
    }

    @Nested
    class IpRange {
        @Test
        void boundsAreInclusiveAndCompareAsUnsignedNumbers() {
            PacketContext c = bench.fromLan(ping("200.1.2.3", "192.168.122.55"));
            assertThat(bench.matches("-m iprange --src-range 200.1.2.3-200.1.2.9", c)).isTrue();
            assertThat(bench.matches("-m iprange --src-range 100.0.0.0-200.1.2.3", c)).as("across 128.0.0.0").isTrue();
            assertThat(bench.matches("-m iprange --src-range 200.1.2.4-200.1.2.9", c)).isFalse();
            assertThat(bench.matches("-m iprange ! --src-range 10.0.0.0-10.255.255.255", c)).isTrue();
            assertThat(bench.matches("-m iprange --src-range 200.0.0.0-201.0.0.0 --dst-range 192.168.122.2-192.168.122.254", c)).isTrue();
            assertThat(bench.matches("-m iprange --src-range 200.0.0.0-201.0.0.0 ! --dst-range 192.168.122.2-192.168.122.254", c)).isFalse();
        }
    }

    @Nested
    class Length {
        @Test
        void theIpTotalLengthWithinInclusiveBounds() {
            PacketContext ping84 = bench.fromGuest(ping("192.168.122.55", "8.8.8.8"));
            assertThat(bench.matches("-m length --length 84", ping84)).isTrue();
            assertThat(bench.matches("-m length --length 0:83", ping84)).isFalse();
            assertThat(bench.matches("-m length --length 84:65535", ping84)).isTrue();
            assertThat(bench.matches("-m length ! --length 0:100", ping84)).isFalse();
        }
    }

    @Nested
    class Mac {
        @Test
        void theEthernetSourceComparedWhateverTheCaseItWasWrittenIn() {
            PacketContext c = bench.fromGuest(ping("192.168.122.55", "8.8.8.8"));
            assertThat(bench.matches("-m mac --mac-source 52:54:00:AA:BB:01", c)).isTrue();
            assertThat(bench.matches("-m mac ! --mac-source 52:54:00:aa:bb:02", c)).isTrue();
            assertThat(bench.matches("-m mac ! --mac-source 52:54:00:aa:bb:01", c)).isFalse();
        }

        @Test
        void aPacketWithoutAnEthernetHeaderNeverMatchesEvenInverted() {
            // mac_mt: no link-layer header -> false before the invert flag is looked at
            PacketContext own = bench.local(ping("192.168.122.1", "192.168.122.55"), "virbr0");
            assertThat(matches(TableName.MANGLE, "PREROUTING", "-m mac ! --mac-source 52:54:00:aa:bb:01", own)).isFalse();
        }
    }

    @Nested
    class PktType {
        @Test
        void theFrameKindFollowsTheDestinationMac() {
            PacketContext unicast = bench.received(ping("192.168.122.55", "192.168.122.1"), "virbr0", MatchBench.VIRBR0);
            PacketContext broadcast = bench.received(ping("192.168.122.55", "192.168.122.255"), "virbr0", MacAddress.parse("ff:ff:ff:ff:ff:ff"));
            PacketContext multicast = bench.received(ping("192.168.122.55", "224.0.0.1"), "virbr0", MacAddress.parse("01:00:5e:00:00:01"));
            assertThat(matches(TableName.FILTER, "INPUT", "-m pkttype --pkt-type unicast", unicast)).isTrue();
            assertThat(matches(TableName.FILTER, "INPUT", "-m pkttype --pkt-type broadcast", broadcast)).isTrue();
            assertThat(matches(TableName.FILTER, "INPUT", "-m pkttype --pkt-type multicast", multicast)).isTrue();
            assertThat(matches(TableName.FILTER, "INPUT", "-m pkttype ! --pkt-type unicast", multicast)).isTrue();
            assertThat(matches(TableName.FILTER, "INPUT", "-m pkttype --pkt-type broadcast", multicast)).isFalse();
        }

        @Test
        void theHostsOwnPacketsAreUnicast() {
            assertThat(matches(TableName.FILTER, "OUTPUT", "-m pkttype --pkt-type unicast", bench.local(ping("192.168.0.10", "8.8.8.8"), "enp3s0")))
                    .isTrue();
        }
    }

    @Nested
    class Physdev {
        PacketContext bridged(Optional<String> in, Optional<String> out) {
            PacketContext c = bench.fromGuest(ping("192.168.122.55", "192.168.122.56"));
            c.setBridgePorts(in, out);
            return c;
        }

        @Test
        void withoutBridgeInformationOnlyInvertedOptionsPass() {
            PacketContext routed = bench.fromGuest(ping("192.168.122.55", "8.8.8.8"));
            assertThat(bench.matches("-m physdev --physdev-in vnet0", routed)).isFalse();
            assertThat(bench.matches("-m physdev --physdev-is-bridged", routed)).isFalse();
            assertThat(bench.matches("-m physdev ! --physdev-is-bridged", routed)).isTrue();
            assertThat(bench.matches("-m physdev ! --physdev-in vnet0 ! --physdev-is-in", routed)).isTrue();
        }

        @Test
        void portsOfABridgedPacket() {
            PacketContext guestToGuest = bridged(Optional.of("vnet0"), Optional.of("vnet1"));
            assertThat(bench.matches("-m physdev --physdev-in vnet0", guestToGuest)).isTrue();
            // output-port tests in FORWARD need --physdev-is-bridged (physdev_mt_check refuses them otherwise)
            assertThat(bench.matches("-m physdev --physdev-in vnet+ --physdev-out vnet1 --physdev-is-bridged", guestToGuest)).isTrue();
            assertThat(bench.matches("-m physdev ! --physdev-in vnet0", guestToGuest)).isFalse();
            assertThat(bench.matches("-m physdev --physdev-is-bridged", guestToGuest)).isTrue();
            assertThat(bench.matches("-m physdev --physdev-is-in --physdev-is-out --physdev-is-bridged", guestToGuest)).isTrue();
        }

        @Test
        void anUnknownOutputPortPassesOutTestsAndAnAbsentInputPortPassesInTests() {
            // in PREROUTING the bridge has not chosen an output port yet: --physdev-out cannot fail
            PacketContext prerouting = bridged(Optional.of("vnet0"), Optional.empty());
            assertThat(matches(TableName.MANGLE, "PREROUTING", "-m physdev --physdev-out vnet9", prerouting)).isTrue();
            assertThat(bench.matches("-m physdev --physdev-is-bridged", prerouting)).as("bridged means an output port").isFalse();
            assertThat(matches(TableName.MANGLE, "PREROUTING", "-m physdev --physdev-is-out", prerouting)).isFalse();
            PacketContext fromHost = bridged(Optional.empty(), Optional.of("vnet0"));
            assertThat(bench.matches("-m physdev --physdev-in vnet9", fromHost)).isTrue();
            assertThat(bench.matches("-m physdev --physdev-is-in", fromHost)).isFalse();
        }
    }
}
