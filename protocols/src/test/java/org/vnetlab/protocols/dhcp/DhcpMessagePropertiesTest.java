package org.vnetlab.protocols.dhcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.RefCaptures;

/** parse(emit(m)) == m for valid messages; any bytes at all give a message or a ParseException, nothing else. */
class DhcpMessagePropertiesTest {

    @Property(tries = 2000, seed = "20261126")
    void parseOfEmitIsIdentity(@ForAll("messages") DhcpMessage m) throws ParseException {
        byte[] wire = m.toBytes();
        assertThat(wire).hasSize(m.length());
        assertThat(DhcpMessage.parse(wire)).isEqualTo(m);
        Statistics.label("overload").collect(m.overload() != 0);
        Statistics.label("long option").collect(m.allOptions().stream().anyMatch(o -> o.value().length > 255));
        Statistics.label("overload").coverage(c -> c.check(true).percentage(p -> p > 10));
        Statistics.label("long option").coverage(c -> c.check(true).percentage(p -> p > 5));
    }

    @Property(tries = 3000, seed = "20261126")
    void randomBytesOnlyEverRaiseParseException(@ForAll @Size(max = 700) byte[] bytes) {
        decodeAndCheck(bytes);
    }

    /** Random bytes behind a valid header and cookie, so the option parser gets the work. */
    @Property(tries = 3000, seed = "20261126")
    void randomOptionBytesOnlyEverRaiseParseException(@ForAll @Size(max = 400) byte[] options,
            @ForAll("overloadedFields") byte[] fields) {
        byte[] b = DhcpMessageTest.message();
        b = Arrays.copyOf(b, b.length + options.length);
        System.arraycopy(fields, 0, b, 44, fields.length);
        System.arraycopy(options, 0, b, DhcpPacket.OPTIONS_OFFSET, options.length);
        decodeAndCheck(b);
    }

    @Property(tries = 3000, seed = "20261126")
    void mutatedRealMessagesOnlyEverRaiseParseException(@ForAll("realPayloads") byte[] real,
            @ForAll("positions") List<Integer> positions, @ForAll byte value) {
        byte[] b = real.clone();
        for (int p : positions) b[p % b.length] = value;
        Statistics.collect(decodeAndCheck(b) ? "parsed" : "refused");
        Statistics.coverage(c -> {
            c.check("parsed").percentage(p -> p > 20);
            c.check("refused").percentage(p -> p > 5);
        });
    }

    /** Every prefix of every real message: parses (the padding shrinks) or fails with a ParseException. */
    @Example
    void everyTruncationOfRealMessages() {
        int failures = 0;
        for (RefCaptures.Udp u : RefCaptures.dhcp("guest-eth0.pcap")) {
            for (int n = 0; n <= u.payload().length; n++) {
                if (!decodeAndCheck(Arrays.copyOf(u.payload(), n))) failures++;
            }
        }
        assertThat(failures).isPositive();
    }

    /** True when the bytes parsed; then the value must emit and read back to itself. */
    private static boolean decodeAndCheck(byte[] bytes) {
        DhcpMessage m;
        try {
            m = DhcpMessage.parse(bytes);
        } catch (ParseException e) {
            assertThat(e.layer()).isEqualTo("dhcp");
            assertThat(e.reason()).doesNotStartWith("inconsistent");
            assertThat(e.offset()).isBetween(0, Math.max(0, bytes.length));
            return false;
        }
        try {
            assertThat(DhcpMessage.parse(m.toBytes())).isEqualTo(m);
        } catch (ParseException e) {
            throw new AssertionError("re-emitted message does not parse: " + m, e);
        }
        return true;
    }

    @Provide
    Arbitrary<byte[]> realPayloads() {
        return Arbitraries.of(RefCaptures.dhcp("dhcp.pcap").stream().map(RefCaptures.Udp::payload).toList());
    }

    @Provide
    Arbitrary<List<Integer>> positions() {
        return Arbitraries.integers().between(DhcpPacket.OPTIONS_OFFSET - 4, 299).list().ofMinSize(1).ofMaxSize(4);
    }

    /** sname+file bytes (192) that look like option areas, for when a mutated option 52 overloads them. */
    @Provide
    Arbitrary<byte[]> overloadedFields() {
        return Arbitraries.integers().between(0, 255).map(i -> (byte) (int) i)
                .array(byte[].class).ofSize(192)
                .map(b -> {
                    // end the options field's neighbour areas sometimes, and sometimes not
                    if ((b[0] & 1) == 0) b[63] = (byte) 0xff;
                    return b;
                });
    }

    @Provide
    Arbitrary<DhcpMessage> messages() {
        return Arbitraries.randomValue(DhcpMessagePropertiesTest::randomMessage);
    }

    static DhcpMessage randomMessage(Random r) {
        DhcpMessage.Builder b = DhcpMessage.builder()
                .op(1 + r.nextInt(2)).htype(r.nextInt(256)).hlen(r.nextInt(256)).hops(r.nextInt(256))
                .xid(r.nextInt()).secs(r.nextInt(65536)).flags(r.nextInt(65536))
                .ciaddr(new Ipv4Address(r.nextInt())).yiaddr(new Ipv4Address(r.nextInt()))
                .siaddr(new Ipv4Address(r.nextInt())).giaddr(new Ipv4Address(r.nextInt()))
                .chaddr(bytes(r, 16));
        List<Integer> codes = new ArrayList<>(List.of(1, 3, 6, 12, 15, 28, 50, 51, 53, 54, 55, 56, 57, 58, 59, 60, 61, 81,
                42, 43, 119, 121, 2, 200));
        Collections.shuffle(codes, r);
        List<DhcpOption> all = new ArrayList<>();
        for (int c : codes.subList(0, r.nextInt(codes.size()))) all.add(randomOption(r, c));
        int overload = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0;
        List<DhcpOption> main = new ArrayList<>();
        List<DhcpOption> file = new ArrayList<>();
        List<DhcpOption> sname = new ArrayList<>();
        if (overload != 0) main.add(new DhcpOption.OptionOverload(overload));
        for (DhcpOption o : all) {
            int size = OptionArea.size(o);
            if ((overload & 1) != 0 && r.nextBoolean() && OptionArea.size(file) + size + 1 <= DhcpPacket.FILE_LENGTH) file.add(o);
            else if ((overload & 2) != 0 && r.nextBoolean() && OptionArea.size(sname) + size + 1 <= DhcpPacket.SNAME_LENGTH) sname.add(o);
            else main.add(o);
            if (r.nextInt(8) == 0) main.add(new DhcpOption.Pad());
        }
        Collections.shuffle(main, r);
        if ((overload & 1) != 0) file.add(new DhcpOption.End());
        if ((overload & 2) != 0) sname.add(new DhcpOption.End());
        boolean end = overload != 0 || r.nextInt(5) != 0;
        if (end) main.add(new DhcpOption.End());
        b.options(main).fileOptions(file).snameOptions(sname);
        if (overload == 0 || (overload & 2) == 0) b.sname(bytes(r, r.nextInt(65)));
        if (overload == 0 || (overload & 1) == 0) b.file(bytes(r, r.nextInt(129)));
        if (end) b.padding(r.nextInt(4) == 0 ? 0 : r.nextInt(80));
        return b.build();
    }

    private static DhcpOption randomOption(Random r, int code) {
        Ipv4Address a = new Ipv4Address(r.nextInt());
        return switch (code) {
            case 1 -> new DhcpOption.SubnetMask(a);
            case 3 -> new DhcpOption.Router(addresses(r));
            case 6 -> new DhcpOption.DomainNameServer(addresses(r));
            case 12 -> new DhcpOption.HostName(text(r));
            case 15 -> new DhcpOption.DomainName(text(r));
            case 28 -> new DhcpOption.BroadcastAddress(a);
            case 50 -> new DhcpOption.RequestedIpAddress(a);
            case 51 -> new DhcpOption.LeaseTime(r.nextInt() & 0xffff_ffffL);
            case 53 -> new DhcpOption.MessageType(DhcpMessageType.of(r.nextInt(12)));
            case 54 -> new DhcpOption.ServerIdentifier(a);
            case 55 -> {
                List<Integer> l = new ArrayList<>();
                for (int i = r.nextInt(20); i > 0; i--) l.add(r.nextInt(256));
                yield new DhcpOption.ParameterRequestList(l);
            }
            case 56 -> new DhcpOption.Message(text(r));
            case 57 -> new DhcpOption.MaxMessageSize(r.nextInt(65536));
            case 58 -> new DhcpOption.RenewalTime(r.nextInt() & 0xffff_ffffL);
            case 59 -> new DhcpOption.RebindingTime(r.nextInt() & 0xffff_ffffL);
            case 60 -> new DhcpOption.VendorClassId(text(r));
            case 61 -> new DhcpOption.ClientIdentifier(r.nextInt(256), bytes(r, r.nextInt(20)));
            case 81 -> r.nextBoolean()
                    ? new DhcpOption.ClientFqdn(r.nextInt(256) & ~DhcpOption.ClientFqdn.FLAG_E, r.nextInt(256), 0, text(r))
                    : new DhcpOption.ClientFqdn(DhcpOption.ClientFqdn.FLAG_E | DhcpOption.ClientFqdn.FLAG_S, 0, 255,
                            r.nextBoolean() ? "host.example.org." : "host");
            default -> {
                // any bytes of an unknown code, or a malformed value of a known one (here: code 1 with 3 bytes)
                byte[] v = bytes(r, r.nextInt(r.nextInt(10) == 0 ? 600 : 20));
                yield DhcpOption.decode(code, v);
            }
        };
    }

    private static List<Ipv4Address> addresses(Random r) {
        List<Ipv4Address> l = new ArrayList<>();
        for (int i = 1 + r.nextInt(4); i > 0; i--) l.add(new Ipv4Address(r.nextInt()));
        return l;
    }

    /** Bytes as ISO-8859-1 text, now and then longer than one option instance holds. */
    private static String text(Random r) {
        byte[] b = bytes(r, r.nextInt(12) == 0 ? 256 + r.nextInt(300) : r.nextInt(40));
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
