package org.vnetlab.protocols.dns;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.vnetlab.protocols.ParseException;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A DNS message (RFC 1035) as an immutable value, encoded and decoded by dnsjava: nothing outside this
 * package sees dnsjava. The header is kept whole ({@code flags} is the 16-bit word after the ID, with the
 * Z, AD and CD bits and the low four rcode bits), the four sections in wire order, so a parsed message
 * emits the same bytes when its sender compressed names the way dnsjava does (dig and dnsmasq in the
 * reference captures do). dnsjava compresses by case-insensitive match: a later name that differs from an
 * earlier one only in case is written as a pointer to the earlier spelling.
 *
 * <p>Nothing here touches the network or the host's resolver configuration: only dnsjava's message,
 * record and name classes are used, never {@code Lookup}, resolvers or {@code ResolverConfig}.
 */
public record DnsMessage(int id, int flags, List<DnsQuestion> questions, List<DnsRecord> answers,
        List<DnsRecord> authorities, List<DnsRecord> additionals) {

    static final String LAYER = "dns";
    private static final int HEADER_LENGTH = 12;

    public static final int FLAG_QR = 0x8000;
    public static final int FLAG_AA = 0x0400;
    public static final int FLAG_TC = 0x0200;
    public static final int FLAG_RD = 0x0100;
    public static final int FLAG_RA = 0x0080;
    public static final int FLAG_AD = 0x0020;
    public static final int FLAG_CD = 0x0010;
    public static final int OPCODE_QUERY = 0;

    public DnsMessage {
        if (id < 0 || id > 0xffff) throw new IllegalArgumentException("id out of 0..65535: " + id);
        if (flags < 0 || flags > 0xffff) throw new IllegalArgumentException("flags out of 0..65535: " + flags);
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        authorities = List.copyOf(authorities);
        additionals = List.copyOf(additionals);
        for (List<?> section : List.of(questions, answers, authorities, additionals)) {
            if (section.size() > 0xffff) throw new IllegalArgumentException("more than 65535 entries in a section");
        }
    }

    // ---- builders ------------------------------------------------------------------------------------

    /** A standard query for one name, class IN, as dig sends it (without EDNS). */
    public static DnsMessage query(int id, String name, DnsType type, boolean recursionDesired) {
        return new DnsMessage(id, recursionDesired ? FLAG_RD : 0, List.of(DnsQuestion.of(name, type)), List.of(),
                List.of(), List.of());
    }

    /**
     * The response to {@code query}: same ID, opcode and question, QR set, RD copied, RA set (a recursive
     * server such as dnsmasq), AA clear. Adjust with the {@code with…} methods.
     */
    public static DnsMessage reply(DnsMessage query, DnsRcode rcode, List<DnsRecord> answers) {
        if (rcode.code() > 0xf) {
            throw new IllegalArgumentException("rcode " + rcode + " needs EDNS: build the message with an OPT record");
        }
        int flags = FLAG_QR | (query.flags & 0x7800) | (query.flags & FLAG_RD) | FLAG_RA | rcode.code();
        return new DnsMessage(query.id, flags, query.questions, answers, List.of(), List.of());
    }

    public DnsMessage withId(int newId) {
        return new DnsMessage(newId, flags, questions, answers, authorities, additionals);
    }

    public DnsMessage withFlags(int newFlags) {
        return new DnsMessage(id, newFlags, questions, answers, authorities, additionals);
    }

    public DnsMessage withFlag(int flag, boolean on) {
        return withFlags(on ? flags | flag : flags & ~flag);
    }

    public DnsMessage withAnswers(List<DnsRecord> records) {
        return new DnsMessage(id, flags, questions, records, authorities, additionals);
    }

    public DnsMessage withAuthorities(List<DnsRecord> records) {
        return new DnsMessage(id, flags, questions, answers, records, additionals);
    }

    public DnsMessage withAdditionals(List<DnsRecord> records) {
        return new DnsMessage(id, flags, questions, answers, authorities, records);
    }

    // ---- header fields -------------------------------------------------------------------------------

    public boolean qr() { return (flags & FLAG_QR) != 0; }
    public int opcode() { return (flags >>> 11) & 0xf; }
    public boolean aa() { return (flags & FLAG_AA) != 0; }
    public boolean tc() { return (flags & FLAG_TC) != 0; }
    public boolean rd() { return (flags & FLAG_RD) != 0; }
    public boolean ra() { return (flags & FLAG_RA) != 0; }
    public boolean ad() { return (flags & FLAG_AD) != 0; }
    public boolean cd() { return (flags & FLAG_CD) != 0; }

    /** The response code, with the EDNS extended bits when an OPT record carries them. */
    public DnsRcode rcode() {
        int code = flags & 0xf;
        for (DnsRecord r : additionals) {
            if (r.type().equals(DnsType.OPT)) {
                code |= (int) ((r.ttl() >>> 24) & 0xff) << 4;
                break;
            }
        }
        return DnsRcode.of(code);
    }

    /** The first question, as most messages have exactly one. */
    public DnsQuestion question() {
        if (questions.isEmpty()) throw new IllegalStateException("message has no question");
        return questions.get(0);
    }

    // ---- wire ----------------------------------------------------------------------------------------

    /** Decodes the readable bytes of {@code buf} without moving its indices. */
    public static DnsMessage parse(ByteBuf buf) throws ParseException {
        byte[] b = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), b);
        return parse(b);
    }

    /**
     * Decodes a DNS message. Malformed input raises only {@link ParseException} (layer "dns"); where dnsjava
     * does not say where the fault is, the offset is -1 and the reason carries dnsjava's message. Bytes after
     * the last record are ignored, and records cut short in a truncated (TC) reply are left out, as dnsjava
     * does.
     */
    public static DnsMessage parse(byte[] bytes) throws ParseException {
        if (bytes.length < HEADER_LENGTH) {
            throw ParseException.truncated(LAYER, "header", 0, HEADER_LENGTH, bytes.length);
        }
        Message m;
        try {
            m = new Message(bytes);
        } catch (IOException e) {
            throw new ParseException(LAYER, "message", -1, String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            // Fuzzing dnsjava 3.6.3 found one: an UPDATE record without RDATA and a TTL of 2^31 or more
            // raises InvalidTTLException. Any such escape is a malformed message to us.
            throw new ParseException(LAYER, "message", -1, "dnsjava: " + e);
        }
        try {
            int flags = (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
            List<DnsQuestion> questions = new ArrayList<>();
            for (Record q : m.getSection(Section.QUESTION)) {
                questions.add(new DnsQuestion(q.getName().toString(), DnsType.of(q.getType()), q.getDClass()));
            }
            return new DnsMessage(m.getHeader().getID(), flags, questions, records(m, Section.ANSWER),
                    records(m, Section.AUTHORITY), records(m, Section.ADDITIONAL));
        } catch (IllegalArgumentException e) {
            // a record dnsjava decodes but cannot encode again (see DnsRecord)
            throw new ParseException(LAYER, "record", -1, "unsupported: " + e.getMessage());
        }
    }

    private static List<DnsRecord> records(Message m, int section) {
        List<DnsRecord> out = new ArrayList<>();
        for (Record r : m.getSection(section)) out.add(DnsRecord.fromRecord(r));
        return out;
    }

    /** The message in wire format, names compressed by dnsjava. */
    public byte[] toWire() {
        return toDnsjava().toWire();
    }

    /** Writes {@link #toWire()} at the buffer's writer index. */
    public void writeTo(ByteBuf buf) {
        buf.writeBytes(toWire());
    }

    private Message toDnsjava() {
        Message m = new Message(id);
        try {
            // Header(byte[]) takes the flags word as is, Z bit included; counts follow the records added
            m.setHeader(new Header(new byte[] {(byte) (id >>> 8), (byte) id, (byte) (flags >>> 8), (byte) flags,
                    0, 0, 0, 0, 0, 0, 0, 0}));
        } catch (IOException e) {
            throw new IllegalStateException("12 header bytes always decode", e);
        }
        for (DnsQuestion q : questions) {
            Name name = DnsNames.toName(q.name());
            m.addRecord(Record.newRecord(name, q.type().code(), q.dnsClass()), Section.QUESTION);
        }
        add(m, answers, Section.ANSWER);
        add(m, authorities, Section.AUTHORITY);
        add(m, additionals, Section.ADDITIONAL);
        return m;
    }

    private static void add(Message m, List<DnsRecord> records, int section) {
        for (DnsRecord r : records) m.addRecord(r.toRecord(), section);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DnsMessage[id=").append(String.format("0x%04x", id))
                .append(", ").append(qr() ? "response" : "query");
        if (opcode() != OPCODE_QUERY) sb.append(", opcode=").append(opcode());
        int[] bits = {FLAG_AA, FLAG_TC, FLAG_RD, FLAG_RA, FLAG_AD, FLAG_CD};
        String[] names = {"aa", "tc", "rd", "ra", "ad", "cd"};
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) != 0) sb.append(' ').append(names[i]);
        }
        sb.append(", rcode=").append(rcode()).append(", questions=").append(questions);
        if (!answers.isEmpty()) sb.append(", answers=").append(answers);
        if (!authorities.isEmpty()) sb.append(", authorities=").append(authorities);
        if (!additionals.isEmpty()) sb.append(", additionals=").append(additionals);
        return sb.append(']').toString();
    }
}
