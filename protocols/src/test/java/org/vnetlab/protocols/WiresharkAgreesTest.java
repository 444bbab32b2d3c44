package org.vnetlab.protocols;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.dhcp.DhcpOption;
import org.vnetlab.protocols.dhcp.DhcpPacket;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsRcode;
import org.vnetlab.protocols.dns.DnsRecord;
import org.vnetlab.protocols.dns.DnsType;
import org.vnetlab.protocols.pcap.PcapRecord;
import org.vnetlab.protocols.pcap.PcapngCapture;
import org.vnetlab.protocols.pcap.PcapngReader;
import org.vnetlab.protocols.pcap.PcapngWriter;

/**
 * Wireshark is the referee: a pcapng we write, holding the real frames of the reference captures and DHCP
 * and DNS messages we emit, on three named links, dissects without malformed packets or new warnings,
 * with good checksums, our DHCP options and DNS names as intended, our interface names and nanoseconds.
 */
class WiresharkAgreesTest {
    private static final String[] CHECKSUMS = {"-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
            "-o", "tcp.check_checksum:TRUE"};
    private static final MacAddress GUEST = MacAddress.parse("52:54:00:aa:bb:01");
    private static final MacAddress VIRBR0 = MacAddress.parse("52:54:00:73:62:06");
    private static final MacAddress UPLINK = MacAddress.parse("00:d8:61:0a:0b:10");
    private static final Ipv4Address HOST = Ipv4Address.parse("192.168.122.1");
    private static final Ipv4Address LEASED = Ipv4Address.parse("192.168.122.55");
    /** Emitted frames are stamped from here, with nanosecond digits a microsecond clock would lose. */
    private static final long T = 1_795_672_870_123_456_789L;

    /** One frame of our capture and where it came from; expectations only for frames we emitted. */
    private record Entry(String link, long timestampNanos, byte[] frame, String origin, int originFrame,
            DhcpMessage dhcp, DnsMessage dns) {}

    @Test
    void tsharkDissectsOurCaptureAsIntended(@TempDir Path dir) throws IOException, ParseException {
        Path tshark = Tshark.require("tshark");
        List<Entry> entries = new ArrayList<>();
        addReal(entries, "dhcp.pcap", "virbr0");
        addReal(entries, "guest-eth0.pcap", "vnet0");
        addReal(entries, "host-enp3s0.pcap", "enp3s0");
        addEmitted(entries);
        Path file = dir.resolve("lab.pcapng");
        try (OutputStream out = Files.newOutputStream(file)) {
            PcapngWriter w = new PcapngWriter(out);
            Map<String, Integer> ids = new LinkedHashMap<>();
            for (String link : List.of("virbr0", "vnet0", "enp3s0")) ids.put(link, w.addInterface(link));
            for (Entry e : entries) w.write(ids.get(e.link), e.timestampNanos, e.frame);
        }

        String verbose = Tshark.run(tshark, concat(CHECKSUMS, "-r", file.toString(), "-V"));
        Map<Integer, String> blocks = frames(verbose);
        assertThat(blocks).hasSize(entries.size());
        for (Map.Entry<Integer, String> b : blocks.entrySet()) {
            Entry e = entries.get(b.getKey() - 1);
            assertThat(b.getValue().lines().filter(l -> l.contains("Malformed") || l.contains("[Expert Info (Error")
                    || l.matches("(?i).*status: Bad.*")).toList())
                    .as("frame %d (%s frame %d): malformed, errors, bad checksums", b.getKey(), e.origin, e.originFrame)
                    .isEmpty();
        }

        // no warning tshark does not also give the same frame in the capture it came from (one RST there)
        Map<String, Map<Integer, List<String>>> originalWarnings = new LinkedHashMap<>();
        for (int n = 1; n <= entries.size(); n++) {
            Entry e = entries.get(n - 1);
            List<String> warnings = warnings(blocks.get(n));
            if (e.origin.equals("emitted")) {
                assertThat(warnings).as("frame %d (emitted)", n).isEmpty();
                assertThat(blocks.get(n)).as("frame %d", n).contains("[Header checksum status: Good]")
                        .contains("[Checksum Status: Good]");
            } else {
                Map<Integer, List<String>> original = originalWarnings.computeIfAbsent(e.origin,
                        f -> warningsByFrame(tshark, RefCaptures.dir().resolve(f)));
                assertThat(warnings).as("frame %d (%s frame %d)", n, e.origin, e.originFrame)
                        .isEqualTo(original.getOrDefault(e.originFrame, List.of()));
            }
        }

        String fields = Tshark.run(tshark, concat(CHECKSUMS, "-r", file.toString(), "-T", "fields", "-E", "separator=|",
                "-E", "occurrence=a", "-e", "frame.interface_name", "-e", "frame.time_epoch", "-e", "dhcp.option.dhcp",
                "-e", "dhcp.option.type", "-e", "dns.qry.name", "-e", "dns.a", "-e", "dns.flags.rcode",
                "-e", "ip.checksum.status", "-e", "udp.checksum.status"));
        List<String[]> rows = fields.lines().map(l -> l.split("\\|", -1)).toList();
        assertThat(rows).hasSize(entries.size());
        int dhcpSeen = 0;
        int dnsSeen = 0;
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            Entry e = entries.get(i);
            String what = "frame " + (i + 1) + " from " + e.origin;
            assertThat(row[0]).as(what).isEqualTo(e.link);
            assertThat(row[1]).as(what).isEqualTo(epoch(e.timestampNanos));
            if (e.dhcp != null) {
                dhcpSeen++;
                assertThat(row[2]).as(what).isEqualTo(Integer.toString(e.dhcp.messageType().orElseThrow().code()));
                assertThat(optionCodes(row[3])).as(what + ": options in order").isEqualTo(wiresharkOrder(e.dhcp));
                assertThat(row[7] + row[8]).as(what + ": IP and UDP checksums good").isEqualTo("11");
            }
            if (e.dns != null) {
                dnsSeen++;
                assertThat(row[4]).as(what).isEqualTo(e.dns.question().name().replaceAll("\\.$", ""));
                List<String> addresses = e.dns.answers().stream().filter(r -> r.type().equals(DnsType.A))
                        .map(DnsRecord::text).toList();
                assertThat(row[5]).as(what).isEqualTo(String.join(",", addresses));
                assertThat(row[6]).as(what + ": rcode (shown for responses)")
                        .isEqualTo(e.dns.qr() ? Integer.toString(e.dns.rcode().code()) : "");
                assertThat(row[7] + row[8]).as(what + ": IP and UDP checksums good").isEqualTo("11");
            }
        }
        assertThat(dhcpSeen).as("dhcp.pcap, guest-eth0.pcap, emitted").isEqualTo(6 + 6 + 5);
        assertThat(dnsSeen).as("guest-eth0.pcap, host-enp3s0.pcap, emitted").isEqualTo(7 + 9 + 4);

        // and our reader reads the file back as written
        PcapngCapture c = PcapngReader.read(file);
        assertThat(c.interfaces()).extracting(i -> i.name()).containsExactly("virbr0", "vnet0", "enp3s0");
        assertThat(c.packets()).hasSize(entries.size());
    }

    /** Wireshark's own pcapng (editcap converts a reference capture) reads with our reader, frames and stamps equal. */
    @Test
    void ourReaderReadsWiresharksPcapng(@TempDir Path dir) throws IOException, ParseException {
        Path editcap = Tshark.require("editcap");
        Path out = dir.resolve("guest.pcapng");
        Tshark.run(editcap, "-F", "pcapng", RefCaptures.dir().resolve("guest-eth0.pcap").toString(), out.toString());
        PcapngCapture c = PcapngReader.read(out);
        List<PcapRecord> original = RefCaptures.frames("guest-eth0.pcap");
        assertThat(c.packets()).hasSize(original.size());
        for (int i = 0; i < original.size(); i++) {
            assertThat(c.packets().get(i).timestampNanos()).isEqualTo(original.get(i).timestampNanos());
            assertThat(c.packets().get(i).data()).isEqualTo(original.get(i).data());
        }
    }

    // ---- the frames ----------------------------------------------------------------------------------

    private static void addReal(List<Entry> entries, String file, String link) throws ParseException {
        List<PcapRecord> frames = RefCaptures.frames(file);
        List<RefCaptures.Udp> udp = RefCaptures.udp(file);
        for (int n = 1; n <= frames.size(); n++) {
            int frameNumber = n;
            RefCaptures.Udp u = udp.stream().filter(x -> x.frame() == frameNumber).findFirst().orElse(null);
            DhcpMessage dhcp = u != null && u.hasPort(67) ? DhcpMessage.parse(u.payload()) : null;
            DnsMessage dns = u != null && (u.hasPort(53) || u.destinationPort() == 5353) ? DnsMessage.parse(u.payload()) : null;
            entries.add(new Entry(link, frames.get(n - 1).timestampNanos(), frames.get(n - 1).data(), file, n, dhcp, dns));
        }
    }

    private static void addEmitted(List<Entry> entries) {
        UdpFrames.Ip client = new UdpFrames.Ip(0, 64, 0, false);
        UdpFrames.Ip dnsmasqDhcp = new UdpFrames.Ip(0xc0, 64, 0x1234, false);
        UdpFrames.Ip dnsmasqDns = new UdpFrames.Ip(0, 64, 0x1235, true);
        int xid = 0x5eed0001;
        List<Integer> requests = List.of(1, 3, 6, 12, 15, 28, 42);

        DhcpMessage discover = DhcpMessage.builder().xid(xid).clientMac(GUEST).broadcast(true)
                .option(new DhcpOption.MessageType(DhcpMessageType.DISCOVER)).option(new DhcpOption.MaxMessageSize(576))
                .option(new DhcpOption.ParameterRequestList(requests)).option(new DhcpOption.VendorClassId("udhcp 1.35.0"))
                .option(DhcpOption.ClientIdentifier.of(GUEST)).option(new DhcpOption.End())
                .padTo(DhcpPacket.BOOTP_MINIMUM_LENGTH).build();
        DhcpMessage offer = DhcpMessage.builder().op(DhcpMessage.BOOTREPLY).xid(xid).clientMac(GUEST).broadcast(true)
                .yiaddr(LEASED).siaddr(HOST).options(reply(DhcpMessageType.OFFER)).padTo(DhcpPacket.BOOTP_MINIMUM_LENGTH).build();
        // a Windows-style request: FQDN option (RFC 4702, wire format), host name, long vendor class
        DhcpMessage request = DhcpMessage.builder().xid(xid).secs(3).clientMac(GUEST).broadcast(true)
                .option(new DhcpOption.MessageType(DhcpMessageType.REQUEST))
                .option(DhcpOption.ClientIdentifier.of(GUEST)).option(new DhcpOption.RequestedIpAddress(LEASED))
                .option(new DhcpOption.ServerIdentifier(HOST)).option(new DhcpOption.HostName("win10"))
                .option(new DhcpOption.ClientFqdn(DhcpOption.ClientFqdn.FLAG_E | DhcpOption.ClientFqdn.FLAG_S, 0, 0, "win10.lan."))
                .option(new DhcpOption.VendorClassId("MSFT 5.0")).option(new DhcpOption.ParameterRequestList(requests))
                .option(new DhcpOption.End()).build();
        // options continued in 'file' then 'sname' (RFC 2131 4.1)
        DhcpMessage ack = DhcpMessage.builder().op(DhcpMessage.BOOTREPLY).xid(xid).secs(3).clientMac(GUEST).broadcast(true)
                .yiaddr(LEASED).siaddr(HOST)
                .options(List.of(new DhcpOption.MessageType(DhcpMessageType.ACK), new DhcpOption.ServerIdentifier(HOST),
                        new DhcpOption.OptionOverload(DhcpOption.OptionOverload.BOTH), new DhcpOption.LeaseTime(3600),
                        new DhcpOption.End()))
                .fileOptions(List.of(new DhcpOption.SubnetMask(Ipv4Address.parse("255.255.255.0")),
                        new DhcpOption.Router(List.of(HOST)), new DhcpOption.DomainName("lan"), new DhcpOption.End()))
                .snameOptions(List.of(new DhcpOption.DomainNameServer(List.of(HOST)), new DhcpOption.End()))
                .padTo(DhcpPacket.BOOTP_MINIMUM_LENGTH).build();
        DhcpMessage nak = DhcpMessage.builder().op(DhcpMessage.BOOTREPLY).xid(xid + 1).clientMac(GUEST).broadcast(true)
                .option(new DhcpOption.MessageType(DhcpMessageType.NAK)).option(new DhcpOption.ServerIdentifier(HOST))
                .option(new DhcpOption.Message("wrong address")).option(new DhcpOption.End())
                .padTo(DhcpPacket.BOOTP_MINIMUM_LENGTH).build();

        long t = T;
        Ipv4Address any = Ipv4Address.ANY;
        Ipv4Address all = Ipv4Address.BROADCAST;
        for (DhcpMessage m : List.of(discover, request)) {
            byte[] f = UdpFrames.frame(GUEST, MacAddress.BROADCAST, any, all, 68, 67, client, m.toBytes());
            entries.add(new Entry("vnet0", t, f, "emitted", 0, m, null));
            t += 1_000_000_001L;
        }
        for (DhcpMessage m : List.of(offer, ack, nak)) {
            byte[] f = UdpFrames.frame(VIRBR0, MacAddress.BROADCAST, HOST, all, 67, 68, dnsmasqDhcp, m.toBytes());
            entries.add(new Entry("virbr0", t, f, "emitted", 0, m, null));
            t += 7;
        }

        DnsMessage query = DnsMessage.query(0x4242, "example.org", DnsType.A, true);
        DnsMessage answer = DnsMessage.reply(query, DnsRcode.NOERROR, List.of(
                DnsRecord.of("example.org", DnsType.CNAME, 300, "www.example.org."),
                DnsRecord.a("www.example.org", 300, Ipv4Address.parse("192.0.2.10")),
                DnsRecord.a("www.example.org", 300, Ipv4Address.parse("192.0.2.11"))))
                .withAdditionals(List.of(DnsRecord.opt(1232)));
        DnsMessage nxQuery = DnsMessage.query(0x4243, "nosuch.example.org", DnsType.AAAA, true);
        DnsMessage nx = DnsMessage.reply(nxQuery, DnsRcode.NXDOMAIN, List.of());
        entries.add(new Entry("vnet0", t, UdpFrames.frame(GUEST, VIRBR0, LEASED, HOST, 40001, 53, client, query.toWire()),
                "emitted", 0, null, query));
        entries.add(new Entry("vnet0", t + 1, UdpFrames.frame(VIRBR0, GUEST, HOST, LEASED, 53, 40001, dnsmasqDns, answer.toWire()),
                "emitted", 0, null, answer));
        Ipv4Address host = Ipv4Address.parse("192.168.0.10");
        Ipv4Address google = Ipv4Address.parse("8.8.8.8");
        MacAddress router = MacAddress.parse("00:d8:61:0a:0b:01");
        entries.add(new Entry("enp3s0", t + 2, UdpFrames.frame(UPLINK, router, host, google, 40002, 53, client, nxQuery.toWire()),
                "emitted", 0, null, nxQuery));
        entries.add(new Entry("enp3s0", t + 3, UdpFrames.frame(router, UPLINK, google, host, 53, 40002, dnsmasqDns, nx.toWire()),
                "emitted", 0, null, nx));
    }

    private static List<DhcpOption> reply(DhcpMessageType type) {
        return List.of(new DhcpOption.MessageType(type), new DhcpOption.ServerIdentifier(HOST), new DhcpOption.LeaseTime(3600),
                new DhcpOption.RenewalTime(1800), new DhcpOption.RebindingTime(3150),
                new DhcpOption.SubnetMask(Ipv4Address.parse("255.255.255.0")),
                new DhcpOption.BroadcastAddress(Ipv4Address.parse("192.168.122.255")), new DhcpOption.Router(List.of(HOST)),
                new DhcpOption.DomainNameServer(List.of(HOST)), new DhcpOption.End());
    }

    // ---- reading tshark's output ---------------------------------------------------------------------

    private static Map<Integer, String> frames(String verbose) {
        Map<Integer, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^Frame (\\d+): ").matcher(verbose);
        int start = -1;
        int number = 0;
        while (m.find()) {
            if (start >= 0) out.put(number, verbose.substring(start, m.start()));
            start = m.start();
            number = Integer.parseInt(m.group(1));
        }
        if (start >= 0) out.put(number, verbose.substring(start));
        return out;
    }

    private static List<String> warnings(String block) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\[Expert Info \\((Warning|Error)/[^)]*\\): [^\\]]*\\]").matcher(block);
        while (m.find()) out.add(m.group());
        return out;
    }

    private static Map<Integer, List<String>> warningsByFrame(Path tshark, Path capture) {
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        frames(Tshark.run(tshark, concat(CHECKSUMS, "-r", capture.toString(), "-V")))
                .forEach((n, block) -> out.put(n, warnings(block)));
        return out;
    }

    /**
     * Wireshark 4.0 shows the options of overloaded fields nested under option 52, 'sname' first, then
     * 'file' (RFC 2131 reads 'file' first; only the display differs); otherwise it is wire order.
     */
    private static List<Integer> wiresharkOrder(DhcpMessage m) {
        List<Integer> out = new ArrayList<>();
        for (DhcpOption o : m.options()) {
            if (o instanceof DhcpOption.Pad || o instanceof DhcpOption.End) continue;
            out.add(o.code());
            if (o instanceof DhcpOption.OptionOverload) {
                for (List<DhcpOption> area : List.of(m.snameOptions(), m.fileOptions())) {
                    area.stream().filter(x -> !(x instanceof DhcpOption.End) && !(x instanceof DhcpOption.Pad))
                            .forEach(x -> out.add(x.code()));
                }
            }
        }
        return out;
    }

    /** tshark lists option codes in wire order, End (shown as 0 in 4.0) and Pad included; we compare the rest. */
    private static List<Integer> optionCodes(String field) {
        List<Integer> out = new ArrayList<>();
        for (String s : field.split(",")) {
            if (s.isEmpty()) continue;
            int code = Integer.parseInt(s);
            if (code != 0 && code != 255) out.add(code);
        }
        return out;
    }

    private static String epoch(long nanos) {
        return String.format("%d.%09d", nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
