package org.vnetlab.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.UdpPacket;
import org.pcap4j.packet.namednumber.UdpPort;

/**
 * Baseline (b), the naive path: what an emulator built on pcap4j does to each packet — parse the frame
 * into pcap4j's packet objects, rebuild it with the NAT source address and port and TTL − 1, letting pcap4j
 * recompute lengths and checksums, and take the bytes. Outbound UDP, from the same ring of 60-byte frames;
 * no lookup at all (the binding is fixed), which flatters it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Thread)
public class Pcap4jBaseline {
    @Param({"64000"})
    public int flows;

    private PacketRing ring;
    private final byte[] frame = new byte[Workload.FRAME];
    private int cursor;
    private Inet4Address uplink;
    private final UdpPort natPort = UdpPort.getInstance((short) 40000);

    @Setup(Level.Trial)
    public void setUp() throws UnknownHostException {
        ring = PacketRing.of(Workload.Proto.UDP, Workload.Direction.OUTBOUND,
                FlowChoice.UNIFORM.draw(flows, PacketRing.ringPackets(flows), 42, f -> true));
        uplink = (Inet4Address) InetAddress.getByAddress(Workload.UPLINK.toBytes());
    }

    @Benchmark
    public byte[] rebuild() throws IllegalRawDataException {
        System.arraycopy(ring.bytes, (cursor++ & ring.mask) * PacketRing.SLOT, frame, 0, Workload.FRAME);
        EthernetPacket eth = EthernetPacket.newPacket(frame, 0, frame.length);
        IpV4Packet ip = eth.get(IpV4Packet.class);
        UdpPacket udp = ip.get(UdpPacket.class);
        UdpPacket.Builder u = udp.getBuilder().srcAddr(uplink).dstAddr(ip.getHeader().getDstAddr()).srcPort(natPort)
                .correctChecksumAtBuild(true).correctLengthAtBuild(true);
        IpV4Packet.Builder i = ip.getBuilder().srcAddr(uplink).ttl((byte) (ip.getHeader().getTtlAsInt() - 1))
                .payloadBuilder(u).correctChecksumAtBuild(true).correctLengthAtBuild(true);
        return eth.getBuilder().payloadBuilder(i).build().getRawData();
    }
}
