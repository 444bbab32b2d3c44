package org.vnetlab.protocols.dhcp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * One DHCP option (RFC 2132) as a typed value. Text options hold their bytes as ISO-8859-1 characters, so
 * any byte string survives parse/emit unchanged (a trailing NUL some clients send included).
 *
 * <p>Each wire form has exactly one representation: a known code whose bytes are well formed always decodes
 * to its typed record; {@link Unknown} holds every other code, and known codes whose bytes are malformed
 * (dnsmasq ignores such an option rather than the whole packet, so we keep it raw instead of failing).
 */
public sealed interface DhcpOption {

    /** The option code (0–255). */
    int code();

    /** The value bytes as on the wire before any RFC 3396 split; empty for {@link Pad} and {@link End}. */
    byte[] value();

    /** Decodes a (concatenated) option value: typed when well formed, {@link Unknown} otherwise. */
    static DhcpOption decode(int code, byte[] value) {
        if (code == Pad.CODE || code == End.CODE) {
            throw new IllegalArgumentException("Pad and End have no value to decode");
        }
        return OptionValues.decodeKnown(code, value).orElseGet(() -> new Unknown(code, value));
    }

    /** Code 0: one byte of padding, inside the options (after End, padding is counted by the message). */
    record Pad() implements DhcpOption {
        public static final int CODE = 0;
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return new byte[0]; }
    }

    /** Code 255: ends an options area. */
    record End() implements DhcpOption {
        public static final int CODE = 255;
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return new byte[0]; }
    }

    /** Code 1. */
    record SubnetMask(Ipv4Address mask) implements DhcpOption {
        public static final int CODE = 1;
        public SubnetMask { OptionValues.require(mask, "mask"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return mask.toBytes(); }
    }

    /** Code 3: routers in order of preference. */
    record Router(List<Ipv4Address> routers) implements DhcpOption {
        public static final int CODE = 3;
        public Router { routers = OptionValues.addressList(routers, "routers"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return OptionValues.addresses(routers); }
    }

    /** Code 6: DNS servers in order of preference. */
    record DomainNameServer(List<Ipv4Address> servers) implements DhcpOption {
        public static final int CODE = 6;
        public DomainNameServer { servers = OptionValues.addressList(servers, "servers"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return OptionValues.addresses(servers); }
    }

    /** Code 12: the client's host name. */
    record HostName(String name) implements DhcpOption {
        public static final int CODE = 12;
        public HostName { OptionValues.latin1(name, "name"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return name.getBytes(StandardCharsets.ISO_8859_1); }
    }

    /** Code 15: the domain name for resolving host names. */
    record DomainName(String name) implements DhcpOption {
        public static final int CODE = 15;
        public DomainName { OptionValues.latin1(name, "name"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return name.getBytes(StandardCharsets.ISO_8859_1); }
    }

    /** Code 28. */
    record BroadcastAddress(Ipv4Address address) implements DhcpOption {
        public static final int CODE = 28;
        public BroadcastAddress { OptionValues.require(address, "address"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return address.toBytes(); }
    }

    /** Code 50: the address a client asks for. */
    record RequestedIpAddress(Ipv4Address address) implements DhcpOption {
        public static final int CODE = 50;
        public RequestedIpAddress { OptionValues.require(address, "address"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return address.toBytes(); }
    }

    /** Code 51: lease time in seconds; {@link #INFINITE} is 0xffffffff. */
    record LeaseTime(long seconds) implements DhcpOption {
        public static final int CODE = 51;
        public static final long INFINITE = 0xffff_ffffL;
        public LeaseTime { OptionValues.u32(seconds, "seconds"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return OptionValues.u32Bytes(seconds); }
    }

    /** Code 52: 1 = options continue in 'file', 2 = in 'sname', 3 = in both (file first). */
    record OptionOverload(int fields) implements DhcpOption {
        public static final int CODE = 52;
        public static final int FILE = 1;
        public static final int SNAME = 2;
        public static final int BOTH = 3;
        public OptionOverload {
            if (fields < FILE || fields > BOTH) throw new IllegalArgumentException("option overload must be 1, 2 or 3: " + fields);
        }
        public boolean usesFile() { return (fields & FILE) != 0; }
        public boolean usesSname() { return (fields & SNAME) != 0; }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return new byte[] {(byte) fields}; }
    }

    /** Code 53. */
    record MessageType(DhcpMessageType type) implements DhcpOption {
        public static final int CODE = 53;
        public MessageType { OptionValues.require(type, "type"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return new byte[] {(byte) type.code()}; }
    }

    /** Code 54: the server's address, which clients echo back in REQUEST. */
    record ServerIdentifier(Ipv4Address address) implements DhcpOption {
        public static final int CODE = 54;
        public ServerIdentifier { OptionValues.require(address, "address"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return address.toBytes(); }
    }

    /** Code 55: the option codes a client asks for, in its order. */
    record ParameterRequestList(List<Integer> codes) implements DhcpOption {
        public static final int CODE = 55;
        public ParameterRequestList {
            codes = List.copyOf(codes);
            for (int c : codes) OptionValues.u8(c, "requested code");
        }
        @Override public int code() { return CODE; }
        @Override public byte[] value() {
            byte[] b = new byte[codes.size()];
            for (int i = 0; i < b.length; i++) b[i] = (byte) (int) codes.get(i);
            return b;
        }
    }

    /** Code 56: a human-readable message (e.g. why a NAK). */
    record Message(String text) implements DhcpOption {
        public static final int CODE = 56;
        public Message { OptionValues.latin1(text, "text"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return text.getBytes(StandardCharsets.ISO_8859_1); }
    }

    /** Code 57: the largest DHCP message the client accepts. */
    record MaxMessageSize(int size) implements DhcpOption {
        public static final int CODE = 57;
        public MaxMessageSize { OptionValues.u16(size, "size"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return new byte[] {(byte) (size >>> 8), (byte) size}; }
    }

    /** Code 58: T1, seconds until the client renews. */
    record RenewalTime(long seconds) implements DhcpOption {
        public static final int CODE = 58;
        public RenewalTime { OptionValues.u32(seconds, "seconds"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return OptionValues.u32Bytes(seconds); }
    }

    /** Code 59: T2, seconds until the client rebinds. */
    record RebindingTime(long seconds) implements DhcpOption {
        public static final int CODE = 59;
        public RebindingTime { OptionValues.u32(seconds, "seconds"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return OptionValues.u32Bytes(seconds); }
    }

    /** Code 60: e.g. "udhcp 1.35.0", "MSFT 5.0". */
    record VendorClassId(String id) implements DhcpOption {
        public static final int CODE = 60;
        public VendorClassId { OptionValues.latin1(id, "id"); }
        @Override public int code() { return CODE; }
        @Override public byte[] value() { return id.getBytes(StandardCharsets.ISO_8859_1); }
    }

    /** Code 61: a hardware type (1 = Ethernet) followed by an identifier (usually the MAC address). */
    record ClientIdentifier(int type, byte[] id) implements DhcpOption {
        public static final int CODE = 61;
        public ClientIdentifier {
            OptionValues.u8(type, "type");
            id = id.clone();
        }
        public static ClientIdentifier of(MacAddress mac) { return new ClientIdentifier(1, mac.toBytes()); }
        @Override public byte[] id() { return id.clone(); }
        /** The MAC address when the identifier is an Ethernet one (type 1, six bytes). */
        public Optional<MacAddress> mac() {
            return type == 1 && id.length == MacAddress.LENGTH ? Optional.of(MacAddress.of(id)) : Optional.empty();
        }
        @Override public int code() { return CODE; }
        @Override public byte[] value() {
            byte[] b = new byte[1 + id.length];
            b[0] = (byte) type;
            System.arraycopy(id, 0, b, 1, id.length);
            return b;
        }
        @Override public boolean equals(Object o) {
            return o instanceof ClientIdentifier c && c.type == type && Arrays.equals(c.id, id);
        }
        @Override public int hashCode() { return type * 31 + Arrays.hashCode(id); }
        @Override public String toString() { return "ClientIdentifier[type=" + type + ", id=" + HexFormat.of().formatHex(id) + "]"; }
    }

    /**
     * Code 81 (RFC 4702): flags, two deprecated rcode bytes and the client's name. With the E flag the
     * name is in DNS wire format, shown here as dotted text ending in '.' when fully qualified; without
     * it the name is ASCII as sent (Windows clients send this option).
     */
    record ClientFqdn(int flags, int rcode1, int rcode2, String name) implements DhcpOption {
        public static final int CODE = 81;
        /** Server should not perform updates. */
        public static final int FLAG_N = 0x08;
        /** Name is in canonical wire format. */
        public static final int FLAG_E = 0x04;
        /** Server has overridden the client's S choice. */
        public static final int FLAG_O = 0x02;
        /** Server should perform the A record update. */
        public static final int FLAG_S = 0x01;
        public ClientFqdn {
            OptionValues.u8(flags, "flags");
            OptionValues.u8(rcode1, "rcode1");
            OptionValues.u8(rcode2, "rcode2");
            OptionValues.latin1(name, "name");
            if ((flags & FLAG_E) != 0) OptionValues.wireName(name);
        }
        public boolean wireFormat() { return (flags & FLAG_E) != 0; }
        @Override public int code() { return CODE; }
        @Override public byte[] value() {
            byte[] n = wireFormat() ? OptionValues.wireName(name) : name.getBytes(StandardCharsets.ISO_8859_1);
            byte[] b = new byte[3 + n.length];
            b[0] = (byte) flags;
            b[1] = (byte) rcode1;
            b[2] = (byte) rcode2;
            System.arraycopy(n, 0, b, 3, n.length);
            return b;
        }
    }

    /**
     * Any other option, kept raw: an unknown code (e.g. 42, NTP servers), or a known code whose bytes do
     * not decode (wrong length). Refuses bytes that would decode to a typed option, so equal wire bytes
     * always give equal values.
     */
    record Unknown(int code, byte[] data) implements DhcpOption {
        public Unknown {
            if (code <= Pad.CODE || code >= End.CODE) throw new IllegalArgumentException("option code must be 1..254: " + code);
            data = data.clone();
            if (OptionValues.decodeKnown(code, data).isPresent()) {
                throw new IllegalArgumentException("option " + code + " with these bytes is a typed option, not Unknown");
            }
        }
        @Override public byte[] data() { return data.clone(); }
        @Override public byte[] value() { return data.clone(); }
        @Override public boolean equals(Object o) {
            return o instanceof Unknown u && u.code == code && Arrays.equals(u.data, data);
        }
        @Override public int hashCode() { return code * 31 + Arrays.hashCode(data); }
        @Override public String toString() { return "Unknown[code=" + code + ", data=" + HexFormat.of().formatHex(data) + "]"; }
    }
}
