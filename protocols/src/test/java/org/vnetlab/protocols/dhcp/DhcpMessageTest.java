package org.vnetlab.protocols.dhcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.RefCaptures;
import org.vnetlab.protocols.dhcp.DhcpOption.BroadcastAddress;
import org.vnetlab.protocols.dhcp.DhcpOption.ClientIdentifier;
import org.vnetlab.protocols.dhcp.DhcpOption.DomainNameServer;
import org.vnetlab.protocols.dhcp.DhcpOption.End;
import org.vnetlab.protocols.dhcp.DhcpOption.LeaseTime;
import org.vnetlab.protocols.dhcp.DhcpOption.MaxMessageSize;
import org.vnetlab.protocols.dhcp.DhcpOption.MessageType;
import org.vnetlab.protocols.dhcp.DhcpOption.ParameterRequestList;
import org.vnetlab.protocols.dhcp.DhcpOption.RebindingTime;
import org.vnetlab.protocols.dhcp.DhcpOption.RenewalTime;
import org.vnetlab.protocols.dhcp.DhcpOption.RequestedIpAddress;
import org.vnetlab.protocols.dhcp.DhcpOption.Router;
import org.vnetlab.protocols.dhcp.DhcpOption.ServerIdentifier;
import org.vnetlab.protocols.dhcp.DhcpOption.SubnetMask;
import org.vnetlab.protocols.dhcp.DhcpOption.VendorClassId;

/** DHCP messages of a real dnsmasq 2.90 / busybox udhcpc exchange (ref/captures/article). */
class DhcpMessageTest {
    private static final MacAddress GUEST = MacAddress.parse("52:54:00:aa:bb:01");
    private static final Ipv4Address HOST = Ipv4Address.parse("192.168.122.1");
    private static final Ipv4Address LEASED = Ipv4Address.parse("192.168.122.55");
    private static final List<Integer> UDHCPC_REQUESTS = List.of(1, 3, 6, 12, 15, 28, 42);

    private static byte[] payload(int frame) {
        return RefCaptures.dhcp("dhcp.pcap").stream().filter(u -> u.frame() == frame).findFirst().orElseThrow().payload();
    }

    @Test
    void everyDhcpPayloadOfTheCapturesParsesAndEmitsTheSameBytes() throws ParseException {
        List<RefCaptures.Udp> all = new ArrayList<>(RefCaptures.dhcp("dhcp.pcap"));
        all.addAll(RefCaptures.dhcp("guest-eth0.pcap"));
        assertThat(all).hasSize(12);
        for (RefCaptures.Udp u : all) {
            DhcpMessage m = DhcpMessage.parse(u.payload());
            assertThat(m.toBytes()).as(u.toString()).isEqualTo(u.payload());
            assertThat(m.length()).as(u.toString()).isEqualTo(300);
        }
    }

    @Test
    void udhcpcDiscover() throws ParseException {
        DhcpMessage m = DhcpMessage.parse(payload(1));
        assertThat(m.op()).isEqualTo(DhcpMessage.BOOTREQUEST);
        assertThat(m.htype()).isEqualTo(1);
        assertThat(m.hlen()).isEqualTo(6);
        assertThat(m.hops()).isZero();
        assertThat(m.xid()).isEqualTo(0x9489b65b);
        assertThat(m.secs()).isZero();
        assertThat(m.broadcast()).isFalse();
        assertThat(List.of(m.ciaddr(), m.yiaddr(), m.siaddr(), m.giaddr())).containsOnly(Ipv4Address.ANY);
        assertThat(m.clientMac()).contains(GUEST);
        assertThat(m.serverName()).isEmpty();
        assertThat(m.bootFileName()).isEmpty();
        assertThat(m.options()).containsExactly(
                new MessageType(DhcpMessageType.DISCOVER),
                new MaxMessageSize(576),
                new ParameterRequestList(UDHCPC_REQUESTS),
                new VendorClassId("udhcp 1.35.0"),
                ClientIdentifier.of(GUEST),
                new End());
        assertThat(m.padding()).as("udhcpc pads to 300 bytes").isEqualTo(20);
        assertThat(m.messageType()).contains(DhcpMessageType.DISCOVER);
    }

    @Test
    void dnsmasqOfferInItsOptionOrder() throws ParseException {
        DhcpMessage m = DhcpMessage.parse(payload(6));
        assertThat(m.op()).isEqualTo(DhcpMessage.BOOTREPLY);
        assertThat(m.xid()).isEqualTo(0x9489b65b);
        assertThat(m.yiaddr()).isEqualTo(LEASED);
        assertThat(m.siaddr()).isEqualTo(HOST);
        assertThat(m.ciaddr()).isEqualTo(Ipv4Address.ANY);
        assertThat(m.giaddr()).isEqualTo(Ipv4Address.ANY);
        assertThat(m.clientMac()).contains(GUEST);
        assertThat(m.options()).containsExactly(dnsmasqReplyOptions(DhcpMessageType.OFFER).toArray(DhcpOption[]::new));
        assertThat(m.padding()).as("dnsmasq pads to 300 bytes").isEqualTo(8);
        assertThat(m.option(LeaseTime.class)).contains(new LeaseTime(3600));
    }

    @Test
    void udhcpcRequestAndDnsmasqAck() throws ParseException {
        DhcpMessage request = DhcpMessage.parse(payload(9));
        assertThat(request.secs()).isEqualTo(3);
        assertThat(request.options()).containsExactly(
                new MessageType(DhcpMessageType.REQUEST),
                new RequestedIpAddress(LEASED),
                new ServerIdentifier(HOST),
                new MaxMessageSize(576),
                new ParameterRequestList(UDHCPC_REQUESTS),
                new VendorClassId("udhcp 1.35.0"),
                ClientIdentifier.of(GUEST),
                new End());
        assertThat(request.padding()).isEqualTo(8);

        DhcpMessage ack = DhcpMessage.parse(payload(10));
        assertThat(ack.secs()).as("dnsmasq echoes secs").isEqualTo(3);
        assertThat(ack.options()).containsExactly(dnsmasqReplyOptions(DhcpMessageType.ACK).toArray(DhcpOption[]::new));
    }

    /** tshark's decode of dhcp.pcap, frame by frame: the same fields, options in the same order. */
    @Test
    void agreesWithTsharkDecodeOfEveryFrame() throws IOException, ParseException {
        String text = Files.readString(RefCaptures.dir().resolve("dhcp-decoded.txt"));
        Map<Integer, String> frames = new LinkedHashMap<>();
        Matcher fm = Pattern.compile("(?m)^Frame (\\d+):").matcher(text);
        List<int[]> starts = new ArrayList<>();
        while (fm.find()) starts.add(new int[] {Integer.parseInt(fm.group(1)), fm.start()});
        for (int i = 0; i < starts.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[1] : text.length();
            frames.put(starts.get(i)[0], text.substring(starts.get(i)[1], end));
        }
        assertThat(frames.keySet()).containsExactly(1, 6, 7, 8, 9, 10);
        for (Map.Entry<Integer, String> e : frames.entrySet()) {
            String decode = e.getValue();
            DhcpMessage m = DhcpMessage.parse(payload(e.getKey()));
            assertThat(String.format("0x%08x", m.xid())).isEqualTo(field(decode, "Transaction ID"));
            assertThat(Integer.toString(m.secs())).isEqualTo(field(decode, "Seconds elapsed"));
            assertThat(m.yiaddr().toString()).isEqualTo(field(decode, "Your \\(client\\) IP address"));
            assertThat(m.siaddr().toString()).isEqualTo(field(decode, "Next server IP address"));
            assertThat(m.messageType().orElseThrow().name())
                    .isEqualToIgnoringCase(field(decode, "Dynamic Host Configuration Protocol \\((\\w+)\\)", 1));
            List<Integer> tsharkOrder = new ArrayList<>();
            Matcher om = Pattern.compile("(?m)^    Option: \\((\\d+)\\)").matcher(decode);
            while (om.find()) tsharkOrder.add(Integer.parseInt(om.group(1)));
            assertThat(m.options().stream().map(DhcpOption::code).toList()).as("frame " + e.getKey()).isEqualTo(tsharkOrder);
            String padding = field(decode, "Padding");
            assertThat(m.padding()).isEqualTo(padding.length() / 2);
        }
    }

    /** Building what dnsmasq sends, field by field, gives the captured OFFER byte for byte. */
    @Test
    void constructedOfferIsTheCapturedOne() {
        DhcpMessage offer = DhcpMessage.builder()
                .op(DhcpMessage.BOOTREPLY).xid(0x9489b65b).clientMac(GUEST).yiaddr(LEASED).siaddr(HOST)
                .options(dnsmasqReplyOptions(DhcpMessageType.OFFER))
                .padTo(DhcpPacket.BOOTP_MINIMUM_LENGTH)
                .build();
        byte[] expected = payload(6);
        ByteBuf buf = Unpooled.buffer(offer.length());
        buf.writeBytes(filled(offer.length(), 0xa5)); // a field emit forgets would show up as a5
        offer.emit(DhcpPacket.unchecked(buf));
        assertThat(bytes(buf)).isEqualTo(expected);
    }

    @Test
    void viewReadsTheFixedFieldsOfTheCapturedAck() throws ParseException {
        DhcpPacket p = DhcpPacket.checked(Unpooled.wrappedBuffer(payload(10)));
        assertThat(p.op()).isEqualTo(2);
        assertThat(p.htype()).isEqualTo(1);
        assertThat(p.hlen()).isEqualTo(6);
        assertThat(p.xid()).isEqualTo(0x9489b65b);
        assertThat(p.secs()).isEqualTo(3);
        assertThat(p.flags()).isZero();
        assertThat(p.yiaddr()).isEqualTo(LEASED);
        assertThat(p.siaddr()).isEqualTo(HOST);
        assertThat(p.chaddr()).isEqualTo(Arrays.copyOf(GUEST.toBytes(), 16));
        assertThat(p.magicCookie()).isEqualTo(DhcpPacket.MAGIC_COOKIE);
        assertThat((int) p.optionsField().getUnsignedByte(0)).isEqualTo(53);
    }

    @Test
    void viewSettersWriteTheFixedHeaderOfTheCapturedAck() {
        byte[] expected = payload(10);
        ByteBuf buf = Unpooled.wrappedBuffer(filled(DhcpPacket.OPTIONS_OFFSET, 0xa5));
        DhcpPacket.unchecked(buf).setOp(2).setHtype(1).setHlen(6).setHops(0).setXid(0x9489b65b).setSecs(3).setFlags(0)
                .setCiaddr(Ipv4Address.ANY).setYiaddr(LEASED).setSiaddr(HOST).setGiaddr(Ipv4Address.ANY)
                .setChaddr(GUEST.toBytes()).setSname(new byte[0]).setFile(new byte[0])
                .setMagicCookie(DhcpPacket.MAGIC_COOKIE);
        assertThat(bytes(buf)).isEqualTo(Arrays.copyOf(expected, DhcpPacket.OPTIONS_OFFSET));
    }

    @Test
    void broadcastFlagIsTheTopBit() throws ParseException {
        DhcpMessage m = DhcpMessage.builder().clientMac(GUEST).broadcast(true)
                .option(new MessageType(DhcpMessageType.DISCOVER)).option(new End()).build();
        byte[] b = m.toBytes();
        assertThat(b[10] & 0xff).isEqualTo(0x80);
        assertThat(b[11]).isZero();
        assertThat(DhcpMessage.parse(b).broadcast()).isTrue();
    }

    /** RFC 3396: a value over 255 bytes goes out as consecutive instances and reads back as one. */
    @Test
    void longOptionIsSplitAndJoined() throws ParseException {
        String longName = "h".repeat(300);
        DhcpMessage m = DhcpMessage.builder().option(new MessageType(DhcpMessageType.REQUEST))
                .option(new DhcpOption.HostName(longName)).option(new End()).build();
        byte[] b = m.toBytes();
        int at = DhcpPacket.OPTIONS_OFFSET + 3;
        assertThat(b[at] & 0xff).isEqualTo(12);
        assertThat(b[at + 1] & 0xff).isEqualTo(255);
        assertThat(b[at + 2 + 255] & 0xff).isEqualTo(12);
        assertThat(b[at + 2 + 255 + 1] & 0xff).isEqualTo(45);
        assertThat(b[b.length - 1] & 0xff).isEqualTo(255);
        assertThat(DhcpMessage.parse(b)).isEqualTo(m);
        assertThat(DhcpMessage.parse(b).option(DhcpOption.HostName.class).orElseThrow().name()).isEqualTo(longName);
    }

    /** RFC 3396: instances need not be adjacent; the joined value takes the first instance's place. */
    @Test
    void repeatedInstancesAreJoinedAtTheFirstPlace() throws ParseException {
        byte[] b = message(0x35, 1, 1, 0x37, 2, 1, 3, 0x3c, 3, 'a', 'b', 'c', 0x37, 1, 6, 0xff);
        DhcpMessage m = DhcpMessage.parse(b);
        assertThat(m.options()).containsExactly(new MessageType(DhcpMessageType.DISCOVER),
                new ParameterRequestList(List.of(1, 3, 6)), new VendorClassId("abc"), new End());
    }

    /** RFC 2131 4.1: with option 52, options continue in 'file', then 'sname', each ended by End. */
    @Test
    void overloadedFieldsCarryOptionsInFileThenSname() throws ParseException {
        byte[] b = message(0x35, 1, 5, 0x34, 1, 3, 0x37, 1, 1, 0xff);
        b[108] = 0x37; // file: the rest of the request list, and a lease time
        b[109] = 2;
        b[110] = 3;
        b[111] = 6;
        b[112] = 51;
        b[113] = 4;
        b[117] = 60;
        b[118] = (byte) 0xff;
        b[44] = 1; // sname: the subnet mask
        b[45] = 4;
        b[46] = (byte) 255;
        b[47] = (byte) 255;
        b[48] = (byte) 255;
        b[50] = (byte) 0xff;
        DhcpMessage m = DhcpMessage.parse(b);
        assertThat(m.overload()).isEqualTo(3);
        assertThat(m.options()).containsExactly(new MessageType(DhcpMessageType.ACK), new DhcpOption.OptionOverload(3),
                new ParameterRequestList(List.of(1, 3, 6)), new End());
        assertThat(m.fileOptions()).containsExactly(new LeaseTime(60), new End());
        assertThat(m.snameOptions()).containsExactly(new SubnetMask(Ipv4Address.parse("255.255.255.0")), new End());
        assertThat(m.allOptions()).extracting(DhcpOption::code).containsExactly(53, 52, 55, 51, 1);
        assertThat(m.serverName()).isEmpty();
        assertThat(m.bootFileName()).isEmpty();
        // 55 now sits whole in the options field; the rest of the message is as it was
        DhcpMessage again = DhcpMessage.parse(m.toBytes());
        assertThat(again).isEqualTo(m);
    }

    @Test
    void overloadedFieldThatFillsItsBytesNeedsNoEnd() throws ParseException {
        List<DhcpOption> sname = List.of(new DhcpOption.DomainName("x".repeat(62)));
        DhcpMessage m = DhcpMessage.builder().option(new MessageType(DhcpMessageType.OFFER))
                .option(new DhcpOption.OptionOverload(DhcpOption.OptionOverload.SNAME)).option(new End())
                .snameOptions(sname).build();
        assertThat(DhcpMessage.parse(m.toBytes())).isEqualTo(m);
        assertThatThrownBy(() -> m.toBuilder().snameOptions(List.of(new DhcpOption.DomainName("short"))).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must end with End");
    }

    @Test
    void knownCodeWithMalformedValueIsKeptRaw() throws ParseException {
        byte[] b = message(0x35, 1, 1, 0x01, 3, 255, 255, 255, 0xff);
        DhcpMessage m = DhcpMessage.parse(b);
        assertThat(m.options().get(1)).isEqualTo(new DhcpOption.Unknown(1, new byte[] {-1, -1, -1}));
        assertThat(m.toBytes()).isEqualTo(b);
        assertThatThrownBy(() -> new DhcpOption.Unknown(1, new byte[] {-1, -1, -1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("typed option");
    }

    @Test
    void unknownCodesAreKeptRaw() throws ParseException {
        byte[] b = message(0x35, 1, 2, 42, 4, 192, 168, 122, 1, 0xff, 0, 0);
        DhcpMessage m = DhcpMessage.parse(b);
        assertThat(m.options().get(1)).isEqualTo(new DhcpOption.Unknown(42, new byte[] {(byte) 192, (byte) 168, 122, 1}));
        assertThat(m.padding()).isEqualTo(2);
        assertThat(m.toBytes()).isEqualTo(b);
    }

    @Test
    void clientFqdnInAsciiAndInWireFormat() throws ParseException {
        byte[] ascii = message(0x51, 11, 0, 0, 0, 'w', 'i', 'n', '.', 'l', 'a', 'n', '.', 0xff);
        assertThat(DhcpMessage.parse(ascii).options().get(0)).isEqualTo(new DhcpOption.ClientFqdn(0, 0, 0, "win.lan."));
        byte[] wire = message(0x51, 12, 0x05, 0, 0, 3, 'w', 'i', 'n', 3, 'l', 'a', 'n', 0, 0xff);
        DhcpMessage m = DhcpMessage.parse(wire);
        assertThat(m.options().get(0)).isEqualTo(new DhcpOption.ClientFqdn(
                DhcpOption.ClientFqdn.FLAG_E | DhcpOption.ClientFqdn.FLAG_S, 0, 0, "win.lan."));
        assertThat(m.toBytes()).isEqualTo(wire);
    }

    @Test
    void optionsInPlaceOfPadsAndWithoutEndSurvive() throws ParseException {
        byte[] b = message(0, 0, 0x35, 1, 3, 0, 0x3d, 7, 1, 0x52, 0x54, 0, 0xaa, 0xbb, 1);
        DhcpMessage m = DhcpMessage.parse(b);
        assertThat(m.options()).containsExactly(new DhcpOption.Pad(), new DhcpOption.Pad(),
                new MessageType(DhcpMessageType.REQUEST), new DhcpOption.Pad(), ClientIdentifier.of(GUEST));
        assertThat(m.padding()).isZero();
        assertThat(m.toBytes()).isEqualTo(b);
    }

    @Test
    void repeatedOptionsAndPaddingWithoutEndAreRefused() {
        assertThatThrownBy(() -> DhcpMessage.builder().option(new LeaseTime(1)).option(new LeaseTime(2)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("option 51 appears twice");
        assertThatThrownBy(() -> DhcpMessage.builder().option(new LeaseTime(1)).padding(4).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("End");
        assertThatThrownBy(() -> DhcpMessage.builder().option(new End()).option(new LeaseTime(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("End must be the last");
        assertThatThrownBy(() -> DhcpMessage.builder().option(new End()).fileOptions(List.of(new End())).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("option 52");
    }

    // ---- malformed input: ParseException naming layer, field, offset ------------------------------------

    @Test
    void truncatedFixedHeader() {
        ParseException e = parseFails(Arrays.copyOf(payload(6), 100));
        assertThat(e.field()).isEqualTo("fixed header");
        assertThat(e.offset()).isZero();
        assertThat(e.reason()).contains("needs 236 bytes, 100 available");
    }

    @Test
    void truncatedCookie() {
        ParseException e = parseFails(Arrays.copyOf(payload(6), 238));
        assertThat(e.field()).isEqualTo("magic cookie");
        assertThat(e.offset()).isEqualTo(236);
    }

    @Test
    void missingCookie() {
        byte[] b = payload(6);
        b[236] = 0;
        ParseException e = parseFails(b);
        assertThat(e.field()).isEqualTo("magic cookie");
        assertThat(e.offset()).isEqualTo(236);
        assertThat(e.reason()).contains("0x00825363");
    }

    @Test
    void optionLengthPastTheEnd() {
        byte[] b = Arrays.copyOf(payload(6), 250); // cuts the lease time option (51 at 249)
        ParseException e = parseFails(b);
        assertThat(e.field()).isEqualTo("options: option 51 length");
        assertThat(e.offset()).isEqualTo(250);
        ParseException e2 = parseFails(Arrays.copyOf(payload(6), 252));
        assertThat(e2.field()).isEqualTo("options: option 51");
        assertThat(e2.offset()).isEqualTo(249);
        assertThat(e2.reason()).contains("length 4 runs past the end");
    }

    @Test
    void optionLengthPastTheEndOfAnOverloadedField() {
        byte[] b = message(0x35, 1, 5, 0x34, 1, 2, 0xff);
        b[44 + 60] = 12;
        b[44 + 61] = 10;
        ParseException e = parseFails(b);
        assertThat(e.field()).isEqualTo("sname: option 12");
        assertThat(e.offset()).isEqualTo(104);
    }

    @Test
    void overloadOptionInsideAnOverloadedField() {
        byte[] b = message(0x34, 1, 1, 0xff);
        b[108] = 0x34;
        b[109] = 1;
        b[110] = 2;
        ParseException e = parseFails(b);
        assertThat(e.field()).isEqualTo("option 52");
        assertThat(e.offset()).isEqualTo(108);
    }

    static ParseException parseFails(byte[] b) {
        try {
            DhcpMessage m = DhcpMessage.parse(b);
            throw new AssertionError("parsed: " + m);
        } catch (ParseException e) {
            assertThat(e.layer()).isEqualTo("dhcp");
            return e;
        }
    }

    /** dnsmasq 2.90's reply options for the article's network, in its order. */
    static List<DhcpOption> dnsmasqReplyOptions(DhcpMessageType type) {
        return List.of(new MessageType(type), new ServerIdentifier(HOST), new LeaseTime(3600), new RenewalTime(1800),
                new RebindingTime(3150), new SubnetMask(Ipv4Address.parse("255.255.255.0")),
                new BroadcastAddress(Ipv4Address.parse("192.168.122.255")), new Router(List.of(HOST)),
                new DomainNameServer(List.of(HOST)), new End());
    }

    /** A BOOTREQUEST with a zero fixed header, the cookie, and these option bytes. */
    static byte[] message(int... options) {
        byte[] b = new byte[DhcpPacket.OPTIONS_OFFSET + options.length];
        b[0] = 1;
        b[1] = 1;
        b[2] = 6;
        b[236] = 0x63;
        b[237] = (byte) 0x82;
        b[238] = 0x53;
        b[239] = 0x63;
        for (int i = 0; i < options.length; i++) b[DhcpPacket.OPTIONS_OFFSET + i] = (byte) options[i];
        return b;
    }

    private static String field(String decode, String label) {
        return field(decode, "(?m)^\\s*" + label + ": (\\S+)", 1);
    }

    private static String field(String decode, String regex, int group) {
        Matcher m = Pattern.compile(regex).matcher(decode);
        if (!m.find()) throw new AssertionError("no '" + regex + "' in tshark's decode");
        return m.group(group);
    }

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return b;
    }
}
