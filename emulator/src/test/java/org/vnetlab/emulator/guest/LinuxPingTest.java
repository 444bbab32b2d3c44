package org.vnetlab.emulator.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.icmp.IcmpPacket;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/** iputils ping on a Linux guest of the reference rig. */
class LinuxPingTest {
    private static Rig rig() {
        return new Rig(OsProfile.debian("debian")).withDns("8.8.8.8");
    }

    @Test
    void repliesAndStatisticsAsIputilsPrintsThem() {
        CommandResult r = rig().guest.run("ping -c 4 8.8.8.8");
        // 20.0 ms first: the router ARPs for the internet edge; TTL 62 = 64 less the router and the host
        assertThat(r.output()).isEqualTo("""
                PING 8.8.8.8 (8.8.8.8) 56(84) bytes of data.
                64 bytes from 8.8.8.8: icmp_seq=1 ttl=62 time=20.0 ms
                64 bytes from 8.8.8.8: icmp_seq=2 ttl=62 time=10.0 ms
                64 bytes from 8.8.8.8: icmp_seq=3 ttl=62 time=10.0 ms
                64 bytes from 8.8.8.8: icmp_seq=4 ttl=62 time=10.0 ms

                --- 8.8.8.8 ping statistics ---
                4 packets transmitted, 4 received, 0% packet loss, time 3000ms
                rtt min/avg/max/mdev = 10.000/12.500/20.000/4.330 ms
                """);
        assertThat(r.exitStatus()).isZero();
    }

    @Test
    void payloadIsATimevalThenCountingBytesWithDfAndTtl64() throws ParseException {
        Rig rig = rig();
        rig.guest.run("ping -c 1 8.8.8.8");
        Ipv4Packet ip = rig.sentIp(1).get(0);
        assertThat(ip.ttl()).isEqualTo(64);
        assertThat(ip.dontFragment()).isTrue();
        IcmpPacket icmp = IcmpPacket.checked(ip.payload());
        byte[] data = io.netty.buffer.ByteBufUtil.getBytes(icmp.data());
        assertThat(data).hasSize(56);
        long seconds = io.netty.buffer.Unpooled.wrappedBuffer(data).getLongLE(0);
        assertThat(seconds).isEqualTo(Guest.DEFAULT_EPOCH.getEpochSecond());
        for (int i = 16; i < 56; i++) assertThat(data[i]).isEqualTo((byte) i); // 0x10 .. 0x37, as in the capture
        assertThat(icmp.sequence()).isEqualTo(1);
    }

    @Test
    void eachRunGetsTheNextIdentifier() throws ParseException {
        Rig rig = rig();
        rig.guest.run("ping -c 1 8.8.8.8");
        rig.guest.run("ping -c 1 192.168.122.1");
        List<Ipv4Packet> sent = rig.sentIp(1);
        assertThat(IcmpPacket.checked(sent.get(0).payload()).identifier()).isEqualTo(4097);
        assertThat(IcmpPacket.checked(sent.get(1).payload()).identifier()).isEqualTo(4098);
    }

    @Test
    void ttlOneAndTwoExpireAtHostThenRouter() {
        Rig rig = rig();
        CommandResult one = rig.guest.run("ping -c 1 -t 1 8.8.8.8");
        assertThat(one.output()).isEqualTo("""
                PING 8.8.8.8 (8.8.8.8) 56(84) bytes of data.
                From 192.168.122.1 icmp_seq=1 Time to live exceeded

                --- 8.8.8.8 ping statistics ---
                1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms
                """);
        assertThat(one.exitStatus()).isEqualTo(1);
        CommandResult two = rig.guest.run("ping -c 1 -t 2 8.8.8.8");
        assertThat(two.output()).contains("From 192.168.0.1 icmp_seq=1 Time to live exceeded");
        assertThat(two.outcome()).isEqualTo(new Outcome.TtlExceeded(Ipv4Address.parse("192.168.0.1")));
    }

    @Test
    void rejectGivesDestinationPortUnreachable() {
        Rig rig = rig();
        rig.host.setPacketFilter(new RejectIcmp(Ipv4Address.parse("192.168.0.10"), IpProtocol.ICMP));
        CommandResult r = rig.guest.run("ping -c 2 8.8.8.8");
        assertThat(r.output()).contains("From 192.168.0.10 icmp_seq=1 Destination Port Unreachable\n")
                .contains("From 192.168.0.10 icmp_seq=2 Destination Port Unreachable\n")
                .contains("2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1000ms\n");
        assertThat(r.outcome()).isEqualTo(new Outcome.Unreachable(3, 3, Ipv4Address.parse("192.168.0.10")));
    }

    @Test
    void silenceLingersTenSecondsAfterTheLastRequest() {
        Rig rig = rig();
        rig.router.enable("drop-icmp");
        long start = rig.lab.now();
        CommandResult r = rig.guest.run("ping -c 3 8.8.8.8");
        assertThat(r.output()).isEqualTo("""
                PING 8.8.8.8 (8.8.8.8) 56(84) bytes of data.

                --- 8.8.8.8 ping statistics ---
                3 packets transmitted, 0 received, 100% packet loss, time 2000ms
                """);
        assertThat(r.exitStatus()).isEqualTo(1);
        assertThat(r.outcomes()).containsOnly(new Outcome.Timeout());
        assertThat(rig.lab.now() - start).isEqualTo(12_000_000_000L);
    }

    @Test
    void unknownNamesAndOptions() {
        Rig rig = rig();
        CommandResult r = rig.guest.run("ping -c 1 nowhere.example");
        assertThat(r.output()).isEqualTo("ping: nowhere.example: Name or service not known\n");
        assertThat(r.exitStatus()).isEqualTo(2);
        CommandResult bad = rig.guest.run("ping -Z 8.8.8.8");
        assertThat(bad.output()).startsWith("ping: invalid option -- 'Z'\n");
        assertThat(bad.exitStatus()).isEqualTo(2);
        assertThat(bad.outcome()).isEqualTo(new Outcome.UsageError("-Z", "unknown ping option"));
    }

    @Test
    void lossPercentFormatsLikePrintfG() {
        assertThat(LinuxPing.percent(0)).isEqualTo("0");
        assertThat(LinuxPing.percent(25)).isEqualTo("25");
        assertThat(LinuxPing.percent(100.0 / 3)).isEqualTo("33.3333");
        assertThat(LinuxPing.millis(123_456)).isEqualTo("0.123");
        assertThat(LinuxPing.millis(1_234_567)).isEqualTo("1.23");
        assertThat(LinuxPing.millis(12_345_678)).isEqualTo("12.3");
        assertThat(LinuxPing.millis(123_456_789)).isEqualTo("123");
    }
}
