package org.vnetlab.protocols.dhcp;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;

/**
 * A zero-copy view over a BOOTP/DHCP message (RFC 2131 figure 1): the UDP payload, from {@code op} to the
 * end of the options. Getters and setters read and write the buffer at fixed offsets; {@link #checked}
 * makes sure the fixed part and the magic cookie are there, so no accessor can read out of bounds.
 */
public final class DhcpPacket {
    static final String LAYER = "dhcp";

    private static final int OP = 0;
    private static final int HTYPE = 1;
    private static final int HLEN = 2;
    private static final int HOPS = 3;
    private static final int XID = 4;
    private static final int SECS = 8;
    private static final int FLAGS = 10;
    private static final int CIADDR = 12;
    private static final int YIADDR = 16;
    private static final int SIADDR = 20;
    private static final int GIADDR = 24;
    private static final int CHADDR = 28;
    private static final int SNAME = 44;
    private static final int FILE = 108;
    private static final int COOKIE = 236;

    public static final int CHADDR_LENGTH = 16;
    public static final int SNAME_LENGTH = 64;
    public static final int FILE_LENGTH = 128;
    /** Where the options start: the fixed BOOTP header (236 bytes) plus the 4-byte magic cookie. */
    public static final int OPTIONS_OFFSET = 240;
    public static final int MAGIC_COOKIE = 0x6382_5363;
    /** The broadcast bit of {@code flags} (RFC 1542): the client cannot receive unicast before it has an address. */
    public static final int FLAG_BROADCAST = 0x8000;
    /** RFC 1542: BOOTP messages are at least 300 bytes; dnsmasq and udhcpc pad to exactly that. */
    public static final int BOOTP_MINIMUM_LENGTH = 300;

    private final ByteBuf buf;

    private DhcpPacket(ByteBuf buf) {
        this.buf = buf;
    }

    /** A view over the readable bytes of {@code buf}, after checking the fixed header and cookie fit. */
    public static DhcpPacket checked(ByteBuf buf) throws ParseException {
        int n = buf.readableBytes();
        if (n < OPTIONS_OFFSET) {
            String field = n < COOKIE ? "fixed header" : "magic cookie";
            int at = n < COOKIE ? 0 : COOKIE;
            throw ParseException.truncated(LAYER, field, at, n < COOKIE ? COOKIE : OPTIONS_OFFSET - COOKIE, n - at);
        }
        return new DhcpPacket(buf.slice(buf.readerIndex(), n));
    }

    /** A view for writing: the caller sized the buffer's readable bytes (see {@link DhcpMessage#length()}). */
    public static DhcpPacket unchecked(ByteBuf buf) {
        if (buf.readableBytes() < OPTIONS_OFFSET) {
            throw new IllegalArgumentException("a DHCP message needs at least " + OPTIONS_OFFSET + " bytes");
        }
        return new DhcpPacket(buf.slice(buf.readerIndex(), buf.readableBytes()));
    }

    /** The whole message (a slice sharing the underlying bytes). */
    public ByteBuf buffer() { return buf.duplicate(); }

    public int length() { return buf.capacity(); }

    public int op() { return buf.getUnsignedByte(OP); }
    public int htype() { return buf.getUnsignedByte(HTYPE); }
    public int hlen() { return buf.getUnsignedByte(HLEN); }
    public int hops() { return buf.getUnsignedByte(HOPS); }
    public int xid() { return buf.getInt(XID); }
    public int secs() { return buf.getUnsignedShort(SECS); }
    public int flags() { return buf.getUnsignedShort(FLAGS); }
    public boolean broadcast() { return (flags() & FLAG_BROADCAST) != 0; }
    public Ipv4Address ciaddr() { return Ipv4Address.read(buf, CIADDR); }
    public Ipv4Address yiaddr() { return Ipv4Address.read(buf, YIADDR); }
    public Ipv4Address siaddr() { return Ipv4Address.read(buf, SIADDR); }
    public Ipv4Address giaddr() { return Ipv4Address.read(buf, GIADDR); }
    public int magicCookie() { return buf.getInt(COOKIE); }

    public byte[] chaddr() { return bytes(CHADDR, CHADDR_LENGTH); }
    public byte[] sname() { return bytes(SNAME, SNAME_LENGTH); }
    public byte[] file() { return bytes(FILE, FILE_LENGTH); }

    /** The 64-byte {@code sname} field, as a slice (read as options when option 52 says so). */
    public ByteBuf snameField() { return buf.slice(SNAME, SNAME_LENGTH); }

    /** The 128-byte {@code file} field, as a slice (read as options when option 52 says so). */
    public ByteBuf fileField() { return buf.slice(FILE, FILE_LENGTH); }

    /** The options area: everything after the magic cookie. */
    public ByteBuf optionsField() { return buf.slice(OPTIONS_OFFSET, buf.capacity() - OPTIONS_OFFSET); }

    public DhcpPacket setOp(int v) { buf.setByte(OP, v); return this; }
    public DhcpPacket setHtype(int v) { buf.setByte(HTYPE, v); return this; }
    public DhcpPacket setHlen(int v) { buf.setByte(HLEN, v); return this; }
    public DhcpPacket setHops(int v) { buf.setByte(HOPS, v); return this; }
    public DhcpPacket setXid(int v) { buf.setInt(XID, v); return this; }
    public DhcpPacket setSecs(int v) { buf.setShort(SECS, v); return this; }
    public DhcpPacket setFlags(int v) { buf.setShort(FLAGS, v); return this; }
    public DhcpPacket setCiaddr(Ipv4Address a) { a.write(buf, CIADDR); return this; }
    public DhcpPacket setYiaddr(Ipv4Address a) { a.write(buf, YIADDR); return this; }
    public DhcpPacket setSiaddr(Ipv4Address a) { a.write(buf, SIADDR); return this; }
    public DhcpPacket setGiaddr(Ipv4Address a) { a.write(buf, GIADDR); return this; }
    public DhcpPacket setMagicCookie(int v) { buf.setInt(COOKIE, v); return this; }
    public DhcpPacket setChaddr(byte[] b) { return setField(CHADDR, CHADDR_LENGTH, b); }
    public DhcpPacket setSname(byte[] b) { return setField(SNAME, SNAME_LENGTH, b); }
    public DhcpPacket setFile(byte[] b) { return setField(FILE, FILE_LENGTH, b); }

    static int snameOffset() { return SNAME; }
    static int fileOffset() { return FILE; }

    private byte[] bytes(int at, int n) {
        byte[] b = new byte[n];
        buf.getBytes(at, b);
        return b;
    }

    /** Writes {@code b} and zero-fills the rest of the fixed-size field. */
    private DhcpPacket setField(int at, int size, byte[] b) {
        if (b.length > size) throw new IllegalArgumentException("field holds " + size + " bytes, got " + b.length);
        buf.setBytes(at, b);
        buf.setZero(at + b.length, size - b.length);
        return this;
    }
}
