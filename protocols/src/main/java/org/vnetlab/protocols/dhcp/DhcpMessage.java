package org.vnetlab.protocols.dhcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;

/**
 * A DHCP message (RFC 2131) as an immutable value that emits back to the same bytes it was parsed from.
 *
 * <p>Options are kept per area and in wire order (dnsmasq's order is observable and reproduced):
 * {@code options} is the options field; {@code fileOptions} / {@code snameOptions} hold the options carried
 * in the 'file' / 'sname' fields when option 52 (overload) says so, and are empty otherwise. Pad and End
 * appear where they were; an option sent as several instances (RFC 3396) is one value at the place of its
 * first instance, emitted again as consecutive instances of at most 255 bytes. {@code padding} counts the
 * bytes after the End of the options field (dnsmasq and udhcpc pad the message to 300 bytes); they are
 * emitted as zeros.
 *
 * <p>Canonical by construction: a code appears at most once, End only last in an area, padding only after
 * an End, an overloaded field ends with End or is filled exactly. So {@code parse(emit(m)).equals(m)}.
 */
public record DhcpMessage(
        int op, int htype, int hlen, int hops, int xid, int secs, int flags,
        Ipv4Address ciaddr, Ipv4Address yiaddr, Ipv4Address siaddr, Ipv4Address giaddr,
        byte[] chaddr, byte[] sname, byte[] file,
        List<DhcpOption> options, List<DhcpOption> fileOptions, List<DhcpOption> snameOptions,
        int padding) {

    public static final int BOOTREQUEST = 1;
    public static final int BOOTREPLY = 2;

    public DhcpMessage {
        OptionValues.u8(op, "op");
        OptionValues.u8(htype, "htype");
        OptionValues.u8(hlen, "hlen");
        OptionValues.u8(hops, "hops");
        OptionValues.u16(secs, "secs");
        OptionValues.u16(flags, "flags");
        OptionValues.require(ciaddr, "ciaddr");
        OptionValues.require(yiaddr, "yiaddr");
        OptionValues.require(siaddr, "siaddr");
        OptionValues.require(giaddr, "giaddr");
        chaddr = fixed(chaddr, DhcpPacket.CHADDR_LENGTH, "chaddr");
        sname = fixed(sname, DhcpPacket.SNAME_LENGTH, "sname");
        file = fixed(file, DhcpPacket.FILE_LENGTH, "file");
        options = List.copyOf(options);
        fileOptions = List.copyOf(fileOptions);
        snameOptions = List.copyOf(snameOptions);
        if (padding < 0) throw new IllegalArgumentException("padding must not be negative: " + padding);
        endOnlyLast(options, "options");
        endOnlyLast(fileOptions, "fileOptions");
        endOnlyLast(snameOptions, "snameOptions");
        if (padding > 0 && !endsWithEnd(options)) {
            // zero bytes after the last option without an End would read back as Pad options
            throw new IllegalArgumentException("padding needs an End option to follow");
        }
        Set<Integer> seen = new HashSet<>();
        for (List<DhcpOption> area : List.of(options, fileOptions, snameOptions)) {
            for (DhcpOption o : area) {
                if (o instanceof DhcpOption.Pad || o instanceof DhcpOption.End) continue;
                if (!seen.add(o.code())) {
                    throw new IllegalArgumentException("option " + o.code() + " appears twice; RFC 3396 makes repeated"
                            + " instances one option: give it once, long values are split when emitted");
                }
            }
        }
        int overload = overloadOf(options);
        overloaded(fileOptions, (overload & DhcpOption.OptionOverload.FILE) != 0, file, DhcpPacket.FILE_LENGTH, "file");
        overloaded(snameOptions, (overload & DhcpOption.OptionOverload.SNAME) != 0, sname, DhcpPacket.SNAME_LENGTH, "sname");
    }

    // ---- parse -------------------------------------------------------------------------------------

    public static DhcpMessage parse(byte[] bytes) throws ParseException {
        return parse(Unpooled.wrappedBuffer(bytes));
    }

    /** Parses the readable bytes of {@code buf} (the UDP payload), without moving its indices. */
    public static DhcpMessage parse(ByteBuf buf) throws ParseException {
        return parse(DhcpPacket.checked(buf));
    }

    public static DhcpMessage parse(DhcpPacket p) throws ParseException {
        if (p.magicCookie() != DhcpPacket.MAGIC_COOKIE) {
            throw new ParseException(DhcpPacket.LAYER, "magic cookie", 236, String.format(
                    "0x%08x, expected 0x%08x (a plain BOOTP message, or not DHCP)", p.magicCookie(), DhcpPacket.MAGIC_COOKIE));
        }
        OptionArea.Scan main = OptionArea.scan(p.optionsField(), DhcpPacket.OPTIONS_OFFSET, "options");
        int padding = main.hasEnd() ? p.length() - DhcpPacket.OPTIONS_OFFSET - main.end() : 0;

        // RFC 2131 4.1: the options field is read first, to learn whether 'file', then 'sname', carry more.
        int overload = overloadValue(main.instances());
        List<OptionArea.Scan> areas = new ArrayList<>(3);
        areas.add(main);
        OptionArea.Scan fileScan = null;
        OptionArea.Scan snameScan = null;
        if ((overload & DhcpOption.OptionOverload.FILE) != 0) {
            fileScan = OptionArea.scan(p.fileField(), DhcpPacket.fileOffset(), "file");
            areas.add(fileScan);
        }
        if ((overload & DhcpOption.OptionOverload.SNAME) != 0) {
            snameScan = OptionArea.scan(p.snameField(), DhcpPacket.snameOffset(), "sname");
            areas.add(snameScan);
        }
        for (int a = 1; a < areas.size(); a++) {
            for (OptionArea.Instance i : areas.get(a).instances()) {
                if (i.code() == DhcpOption.OptionOverload.CODE) {
                    throw new ParseException(DhcpPacket.LAYER, "option 52", i.offset(),
                            "option overload inside an overloaded field (it belongs in the options field)");
                }
            }
        }

        // RFC 3396: all instances of a code, in aggregate order (options, file, sname), form one value.
        Map<Integer, ByteArrayOutputStream> values = new LinkedHashMap<>();
        for (OptionArea.Scan area : areas) {
            for (OptionArea.Instance i : area.instances()) {
                if (i.value() != null) values.computeIfAbsent(i.code(), c -> new ByteArrayOutputStream()).writeBytes(i.value());
            }
        }
        Set<Integer> placed = new HashSet<>();
        List<DhcpOption> mainOptions = place(main, values, placed);
        List<DhcpOption> fileOptions = fileScan == null ? List.of() : place(fileScan, values, placed);
        List<DhcpOption> snameOptions = snameScan == null ? List.of() : place(snameScan, values, placed);
        fileOptions = closeShrunkArea(fileOptions, fileScan, DhcpPacket.FILE_LENGTH, DhcpPacket.fileOffset(), "file");
        snameOptions = closeShrunkArea(snameOptions, snameScan, DhcpPacket.SNAME_LENGTH, DhcpPacket.snameOffset(), "sname");

        byte[] file = fileScan == null ? p.file() : new byte[DhcpPacket.FILE_LENGTH];
        byte[] sname = snameScan == null ? p.sname() : new byte[DhcpPacket.SNAME_LENGTH];
        try {
            return new DhcpMessage(p.op(), p.htype(), p.hlen(), p.hops(), p.xid(), p.secs(), p.flags(),
                    p.ciaddr(), p.yiaddr(), p.siaddr(), p.giaddr(), p.chaddr(), sname, file,
                    mainOptions, fileOptions, snameOptions, padding);
        } catch (IllegalArgumentException e) {
            // Parsing builds canonical values only; this guards the decoder contract should that ever break.
            throw new ParseException(DhcpPacket.LAYER, "message", 0, "inconsistent: " + e.getMessage());
        }
    }

    private static int overloadValue(List<OptionArea.Instance> instances) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        boolean present = false;
        for (OptionArea.Instance i : instances) {
            if (i.code() == DhcpOption.OptionOverload.CODE) {
                v.writeBytes(i.value());
                present = true;
            }
        }
        if (!present) return 0;
        byte[] b = v.toByteArray();
        return b.length == 1 && b[0] >= 1 && b[0] <= 3 ? b[0] : 0;
    }

    private static List<DhcpOption> place(OptionArea.Scan area, Map<Integer, ByteArrayOutputStream> values, Set<Integer> placed) {
        List<DhcpOption> out = new ArrayList<>(area.instances().size());
        for (OptionArea.Instance i : area.instances()) {
            if (i.code() == DhcpOption.Pad.CODE) out.add(new DhcpOption.Pad());
            else if (i.code() == DhcpOption.End.CODE) out.add(new DhcpOption.End());
            else if (placed.add(i.code())) out.add(DhcpOption.decode(i.code(), values.get(i.code()).toByteArray()));
        }
        return out;
    }

    /**
     * An overloaded field whose option moved into an earlier area no longer fills its bytes; End then marks
     * where it stops, as the zeros emitted after it would otherwise read back as Pad options. A field that
     * grew past its size took an option split across 'file' and 'sname', which is not supported.
     */
    private static List<DhcpOption> closeShrunkArea(List<DhcpOption> area, OptionArea.Scan scan, int capacity,
            int offset, String field) throws ParseException {
        if (scan == null) return area;
        int size = OptionArea.size(area);
        if (size > capacity) {
            throw new ParseException(DhcpPacket.LAYER, field, offset,
                    "unsupported: an option split across the file and sname fields (" + size + " bytes in a "
                            + capacity + "-byte field once joined)");
        }
        if (size < capacity && !endsWithEnd(area)) {
            List<DhcpOption> closed = new ArrayList<>(area);
            closed.add(new DhcpOption.End());
            return closed;
        }
        return area;
    }

    // ---- emit --------------------------------------------------------------------------------------

    /** Bytes on the wire: fixed header, cookie, the options field and the trailing padding. */
    public int length() {
        return DhcpPacket.OPTIONS_OFFSET + OptionArea.size(options) + padding;
    }

    /** Writes every byte of the message into {@code p}, which must be exactly {@link #length()} bytes. */
    public void emit(DhcpPacket p) {
        if (p.length() != length()) {
            throw new IllegalArgumentException("buffer holds " + p.length() + " bytes, message is " + length());
        }
        p.setOp(op).setHtype(htype).setHlen(hlen).setHops(hops).setXid(xid).setSecs(secs).setFlags(flags)
                .setCiaddr(ciaddr).setYiaddr(yiaddr).setSiaddr(siaddr).setGiaddr(giaddr)
                .setChaddr(chaddr).setSname(sname).setFile(file).setMagicCookie(DhcpPacket.MAGIC_COOKIE);
        ByteBuf buf = p.buffer();
        if (!fileOptions.isEmpty()) writeArea(buf, DhcpPacket.fileOffset(), DhcpPacket.FILE_LENGTH, fileOptions);
        if (!snameOptions.isEmpty()) writeArea(buf, DhcpPacket.snameOffset(), DhcpPacket.SNAME_LENGTH, snameOptions);
        int end = OptionArea.write(buf, DhcpPacket.OPTIONS_OFFSET, options);
        buf.setZero(end, padding);
    }

    private static void writeArea(ByteBuf buf, int offset, int capacity, List<DhcpOption> area) {
        int end = OptionArea.write(buf, offset, area);
        buf.setZero(end, offset + capacity - end);
    }

    public byte[] toBytes() {
        byte[] out = new byte[length()];
        emit(DhcpPacket.unchecked(Unpooled.wrappedBuffer(out)));
        return out;
    }

    // ---- derived views -----------------------------------------------------------------------------

    public boolean broadcast() { return (flags & DhcpPacket.FLAG_BROADCAST) != 0; }

    /** The client's MAC address, when chaddr holds an Ethernet one (htype 1, hlen 6). */
    public Optional<MacAddress> clientMac() {
        return htype == 1 && hlen == MacAddress.LENGTH
                ? Optional.of(MacAddress.of(Arrays.copyOf(chaddr, MacAddress.LENGTH))) : Optional.empty();
    }

    /** Every option but Pad and End, in RFC 3396 aggregate order: options field, then file, then sname. */
    public List<DhcpOption> allOptions() {
        List<DhcpOption> out = new ArrayList<>();
        for (List<DhcpOption> area : List.of(options, fileOptions, snameOptions)) {
            for (DhcpOption o : area) {
                if (!(o instanceof DhcpOption.Pad) && !(o instanceof DhcpOption.End)) out.add(o);
            }
        }
        return out;
    }

    /** The option with this code, from any area. */
    public Optional<DhcpOption> option(int code) {
        return allOptions().stream().filter(o -> o.code() == code).findFirst();
    }

    /** The option of this type, e.g. {@code option(DhcpOption.LeaseTime.class)}. */
    public <T extends DhcpOption> Optional<T> option(Class<T> type) {
        return allOptions().stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    public Optional<DhcpMessageType> messageType() {
        return option(DhcpOption.MessageType.class).map(DhcpOption.MessageType::type);
    }

    /** The overload option's value (1 file, 2 sname, 3 both), or 0 when the fields hold names. */
    public int overload() { return overloadOf(options); }

    /** The server host name in 'sname', up to its first NUL; empty when the field carries options. */
    public String serverName() { return (overload() & DhcpOption.OptionOverload.SNAME) != 0 ? "" : cString(sname); }

    /** The boot file name in 'file', up to its first NUL; empty when the field carries options. */
    public String bootFileName() { return (overload() & DhcpOption.OptionOverload.FILE) != 0 ? "" : cString(file); }

    /** The same message with padding so that it is at least {@code minimumLength} bytes (an End must be last). */
    public DhcpMessage paddedTo(int minimumLength) {
        int unpadded = length() - padding;
        return withPadding(Math.max(0, minimumLength - unpadded));
    }

    public DhcpMessage withPadding(int newPadding) {
        return new DhcpMessage(op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr, sname,
                file, options, fileOptions, snameOptions, newPadding);
    }

    public Builder toBuilder() { return new Builder(this); }

    public static Builder builder() { return new Builder(); }

    @Override public byte[] chaddr() { return chaddr.clone(); }
    @Override public byte[] sname() { return sname.clone(); }
    @Override public byte[] file() { return file.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhcpMessage m && m.op == op && m.htype == htype && m.hlen == hlen && m.hops == hops
                && m.xid == xid && m.secs == secs && m.flags == flags && m.ciaddr.equals(ciaddr)
                && m.yiaddr.equals(yiaddr) && m.siaddr.equals(siaddr) && m.giaddr.equals(giaddr)
                && Arrays.equals(m.chaddr, chaddr) && Arrays.equals(m.sname, sname) && Arrays.equals(m.file, file)
                && m.options.equals(options) && m.fileOptions.equals(fileOptions)
                && m.snameOptions.equals(snameOptions) && m.padding == padding;
    }

    @Override
    public int hashCode() {
        return ((xid * 31 + Arrays.hashCode(chaddr)) * 31 + options.hashCode()) * 31 + padding;
    }

    @Override
    public String toString() {
        return "DhcpMessage[op=" + op + ", htype=" + htype + ", hlen=" + hlen + ", hops=" + hops
                + String.format(", xid=0x%08x", xid) + ", secs=" + secs + String.format(", flags=0x%04x", flags)
                + ", ciaddr=" + ciaddr + ", yiaddr=" + yiaddr + ", siaddr=" + siaddr + ", giaddr=" + giaddr
                + ", chaddr=" + ByteBufUtil.hexDump(chaddr) + ", sname='" + cString(sname) + "', file='" + cString(file)
                + "', options=" + options + ", fileOptions=" + fileOptions + ", snameOptions=" + snameOptions
                + ", padding=" + padding + "]";
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static int overloadOf(List<DhcpOption> options) {
        for (DhcpOption o : options) {
            if (o instanceof DhcpOption.OptionOverload ov) return ov.fields();
        }
        return 0;
    }

    private static boolean endsWithEnd(List<DhcpOption> area) {
        return !area.isEmpty() && area.get(area.size() - 1) instanceof DhcpOption.End;
    }

    private static void endOnlyLast(List<DhcpOption> area, String name) {
        for (int i = 0; i < area.size() - 1; i++) {
            if (area.get(i) instanceof DhcpOption.End) {
                throw new IllegalArgumentException(name + ": End must be the last option of its area (index " + i + ")");
            }
        }
    }

    private static void overloaded(List<DhcpOption> area, boolean used, byte[] raw, int capacity, String field) {
        if (!used) {
            if (!area.isEmpty()) throw new IllegalArgumentException(field + " options need option 52 (overload) to say so");
            return;
        }
        if (area.isEmpty()) throw new IllegalArgumentException("option 52 says '" + field + "' holds options, but none given");
        for (byte b : raw) {
            if (b != 0) throw new IllegalArgumentException("'" + field + "' carries options: its name bytes must be empty");
        }
        int size = OptionArea.size(area);
        if (size > capacity) {
            throw new IllegalArgumentException("'" + field + "' options take " + size + " bytes, the field holds " + capacity);
        }
        if (size < capacity && !endsWithEnd(area)) {
            throw new IllegalArgumentException("'" + field + "' options must end with End unless they fill the field");
        }
    }

    private static byte[] fixed(byte[] b, int size, String name) {
        OptionValues.require(b, name);
        if (b.length != size) throw new IllegalArgumentException(name + " must be " + size + " bytes, got " + b.length);
        return b.clone();
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** Builds messages with BOOTP defaults: Ethernet (htype 1, hlen 6), zero addresses, empty names. */
    public static final class Builder {
        private int op = BOOTREQUEST;
        private int htype = 1;
        private int hlen = MacAddress.LENGTH;
        private int hops;
        private int xid;
        private int secs;
        private int flags;
        private Ipv4Address ciaddr = Ipv4Address.ANY;
        private Ipv4Address yiaddr = Ipv4Address.ANY;
        private Ipv4Address siaddr = Ipv4Address.ANY;
        private Ipv4Address giaddr = Ipv4Address.ANY;
        private byte[] chaddr = new byte[DhcpPacket.CHADDR_LENGTH];
        private byte[] sname = new byte[DhcpPacket.SNAME_LENGTH];
        private byte[] file = new byte[DhcpPacket.FILE_LENGTH];
        private final List<DhcpOption> options = new ArrayList<>();
        private final List<DhcpOption> fileOptions = new ArrayList<>();
        private final List<DhcpOption> snameOptions = new ArrayList<>();
        private int padding;
        private int minimumLength;

        private Builder() {}

        private Builder(DhcpMessage m) {
            op = m.op; htype = m.htype; hlen = m.hlen; hops = m.hops; xid = m.xid; secs = m.secs; flags = m.flags;
            ciaddr = m.ciaddr; yiaddr = m.yiaddr; siaddr = m.siaddr; giaddr = m.giaddr;
            chaddr = m.chaddr(); sname = m.sname(); file = m.file();
            options.addAll(m.options); fileOptions.addAll(m.fileOptions); snameOptions.addAll(m.snameOptions);
            padding = m.padding;
        }

        public Builder op(int v) { op = v; return this; }
        public Builder htype(int v) { htype = v; return this; }
        public Builder hlen(int v) { hlen = v; return this; }
        public Builder hops(int v) { hops = v; return this; }
        public Builder xid(int v) { xid = v; return this; }
        public Builder secs(int v) { secs = v; return this; }
        public Builder flags(int v) { flags = v; return this; }
        public Builder broadcast(boolean on) {
            flags = on ? flags | DhcpPacket.FLAG_BROADCAST : flags & ~DhcpPacket.FLAG_BROADCAST;
            return this;
        }
        public Builder ciaddr(Ipv4Address v) { ciaddr = v; return this; }
        public Builder yiaddr(Ipv4Address v) { yiaddr = v; return this; }
        public Builder siaddr(Ipv4Address v) { siaddr = v; return this; }
        public Builder giaddr(Ipv4Address v) { giaddr = v; return this; }
        public Builder chaddr(byte[] v) { chaddr = Arrays.copyOf(v, DhcpPacket.CHADDR_LENGTH); return checkLength(v, chaddr); }
        /** chaddr = the MAC address then zeros; also sets htype 1, hlen 6. */
        public Builder clientMac(MacAddress mac) {
            htype = 1;
            hlen = MacAddress.LENGTH;
            chaddr = Arrays.copyOf(mac.toBytes(), DhcpPacket.CHADDR_LENGTH);
            return this;
        }
        public Builder sname(byte[] v) { sname = Arrays.copyOf(v, DhcpPacket.SNAME_LENGTH); return checkLength(v, sname); }
        public Builder sname(String v) { return sname(v.getBytes(StandardCharsets.ISO_8859_1)); }
        public Builder file(byte[] v) { file = Arrays.copyOf(v, DhcpPacket.FILE_LENGTH); return checkLength(v, file); }
        public Builder file(String v) { return file(v.getBytes(StandardCharsets.ISO_8859_1)); }
        /** Appends an option to the options field. */
        public Builder option(DhcpOption o) { options.add(o); return this; }
        public Builder options(List<? extends DhcpOption> os) { options.clear(); options.addAll(os); return this; }
        public Builder fileOptions(List<? extends DhcpOption> os) { fileOptions.clear(); fileOptions.addAll(os); return this; }
        public Builder snameOptions(List<? extends DhcpOption> os) { snameOptions.clear(); snameOptions.addAll(os); return this; }
        /** Exactly this many zero bytes after End. */
        public Builder padding(int v) { padding = v; minimumLength = 0; return this; }
        /** Pads with zeros after End to at least this length (300 as dnsmasq and udhcpc do); computed at build. */
        public Builder padTo(int length) { minimumLength = length; padding = 0; return this; }

        public DhcpMessage build() {
            DhcpMessage m = new DhcpMessage(op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr,
                    chaddr, sname, file, options, fileOptions, snameOptions, padding);
            return minimumLength > 0 ? m.paddedTo(minimumLength) : m;
        }

        private Builder checkLength(byte[] given, byte[] field) {
            if (given.length > field.length) {
                throw new IllegalArgumentException("field holds " + field.length + " bytes, got " + given.length);
            }
            return this;
        }
    }
}
