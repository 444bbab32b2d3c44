package org.vnetlab.protocols.icmp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Arrays;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * An ICMPv4 message as a value. {@link #parse} picks the specific record only when the message is in its
 * canonical form (e.g. unused bits zero), otherwise {@link Other}, so that emit always gives back the
 * same bytes. The checksum is not held: {@link #emit} computes it.
 */
public sealed interface IcmpMessage {

    int type();

    int code();

    /** The 32 bits after the checksum. */
    int restOfHeader();

    /** The bytes after the 8-byte header. */
    byte[] data();

    default int length() { return IcmpPacket.HEADER_LENGTH + dataLength(); }

    int dataLength();

    /** Writes {@link #length()} bytes at absolute {@code index}, checksum included. */
    default void emit(ByteBuf buf, int index) {
        buf.setByte(index, type());
        buf.setByte(index + 1, code());
        buf.setShort(index + 2, 0);
        buf.setInt(index + 4, restOfHeader());
        buf.setBytes(index + IcmpPacket.HEADER_LENGTH, data());
        buf.setShort(index + 2, InternetChecksum.compute(buf, index, length()));
    }

    static IcmpMessage parse(IcmpPacket p) {
        int type = p.type();
        int code = p.code();
        int rest = p.restOfHeader();
        byte[] data = ByteBufUtil.getBytes(p.data());
        if ((type == IcmpType.ECHO_REQUEST || type == IcmpType.ECHO_REPLY) && code == 0) {
            return new Echo(type == IcmpType.ECHO_REQUEST, p.identifier(), p.sequence(), data);
        }
        if (type == IcmpType.DESTINATION_UNREACHABLE) {
            boolean mtuCarried = code == IcmpCode.FRAGMENTATION_NEEDED;
            if ((rest >>> 16) == 0 && (mtuCarried || rest == 0)) return new DestinationUnreachable(code, rest & 0xffff, data);
        }
        if (type == IcmpType.TIME_EXCEEDED && rest == 0) return new TimeExceeded(code, data);
        return new Other(type, code, rest, data);
    }

    /** Echo request (type 8) or reply (type 0), code 0. */
    record Echo(boolean request, int identifier, int sequence, byte[] data) implements IcmpMessage {
        public Echo {
            check16(identifier, "identifier");
            check16(sequence, "sequence");
            data = data.clone();
        }

        /** The reply a host sends to this request: same identifier, sequence and data. */
        public Echo reply() { return new Echo(false, identifier, sequence, data); }

        @Override public int type() { return request ? IcmpType.ECHO_REQUEST : IcmpType.ECHO_REPLY; }
        @Override public int code() { return 0; }
        @Override public int restOfHeader() { return identifier << 16 | sequence; }
        @Override public byte[] data() { return data.clone(); }
        @Override public int dataLength() { return data.length; }

        @Override
        public boolean equals(Object o) {
            return o instanceof Echo e && e.request == request && e.identifier == identifier && e.sequence == sequence
                    && Arrays.equals(e.data, data);
        }

        @Override public int hashCode() { return (identifier * 31 + sequence) * 31 + Arrays.hashCode(data) + (request ? 1 : 0); }

        @Override
        public String toString() {
            return "Echo[" + (request ? "request" : "reply") + ", id " + identifier + ", seq " + sequence + ", " + data.length + " bytes]";
        }
    }

    /** Destination unreachable (type 3); {@code nextHopMtu} is only non-zero for fragmentation needed (code 4). */
    record DestinationUnreachable(int code, int nextHopMtu, byte[] quoted) implements IcmpMessage {
        public DestinationUnreachable {
            if (code < 0 || code > 0xff) throw new IllegalArgumentException("code out of 8 bits: " + code);
            check16(nextHopMtu, "next-hop MTU");
            if (nextHopMtu != 0 && code != IcmpCode.FRAGMENTATION_NEEDED) {
                throw new IllegalArgumentException("next-hop MTU is only carried by fragmentation needed (code 4)");
            }
            quoted = quoted.clone();
        }

        public DestinationUnreachable(int code, byte[] quoted) { this(code, 0, quoted); }

        @Override public int type() { return IcmpType.DESTINATION_UNREACHABLE; }
        @Override public int restOfHeader() { return nextHopMtu; }
        @Override public byte[] data() { return quoted.clone(); }
        @Override public byte[] quoted() { return quoted.clone(); }
        @Override public int dataLength() { return quoted.length; }

        @Override
        public boolean equals(Object o) {
            return o instanceof DestinationUnreachable d && d.code == code && d.nextHopMtu == nextHopMtu && Arrays.equals(d.quoted, quoted);
        }

        @Override public int hashCode() { return (code * 31 + nextHopMtu) * 31 + Arrays.hashCode(quoted); }

        @Override
        public String toString() {
            return "DestinationUnreachable[" + IcmpCode.unreachableName(code) + (nextHopMtu != 0 ? ", mtu " + nextHopMtu : "")
                    + ", quoting " + quoted.length + " bytes]";
        }
    }

    /** Time exceeded (type 11): TTL exceeded in transit (code 0) or fragment reassembly time exceeded (1). */
    record TimeExceeded(int code, byte[] quoted) implements IcmpMessage {
        public TimeExceeded {
            if (code < 0 || code > 0xff) throw new IllegalArgumentException("code out of 8 bits: " + code);
            quoted = quoted.clone();
        }

        @Override public int type() { return IcmpType.TIME_EXCEEDED; }
        @Override public int restOfHeader() { return 0; }
        @Override public byte[] data() { return quoted.clone(); }
        @Override public byte[] quoted() { return quoted.clone(); }
        @Override public int dataLength() { return quoted.length; }

        @Override
        public boolean equals(Object o) { return o instanceof TimeExceeded t && t.code == code && Arrays.equals(t.quoted, quoted); }

        @Override public int hashCode() { return code * 31 + Arrays.hashCode(quoted); }

        @Override
        public String toString() {
            return "TimeExceeded[" + (code == 0 ? "ttl" : code == 1 ? "reassembly" : "code " + code) + ", quoting " + quoted.length + " bytes]";
        }
    }

    /** Any other message, kept as it is. */
    record Other(int type, int code, int restOfHeader, byte[] data) implements IcmpMessage {
        public Other {
            if (type < 0 || type > 0xff) throw new IllegalArgumentException("type out of 8 bits: " + type);
            if (code < 0 || code > 0xff) throw new IllegalArgumentException("code out of 8 bits: " + code);
            data = data.clone();
        }

        @Override public byte[] data() { return data.clone(); }
        @Override public int dataLength() { return data.length; }

        @Override
        public boolean equals(Object o) {
            return o instanceof Other x && x.type == type && x.code == code && x.restOfHeader == restOfHeader && Arrays.equals(x.data, data);
        }

        @Override public int hashCode() { return ((type * 31 + code) * 31 + restOfHeader) * 31 + Arrays.hashCode(data); }

        @Override
        public String toString() {
            return "Icmp[" + IcmpType.name(type) + ", code " + code + String.format(", rest 0x%08x, ", restOfHeader) + data.length + " bytes]";
        }
    }

    private static void check16(int v, String what) {
        if (v < 0 || v > 0xffff) throw new IllegalArgumentException(what + " out of 16 bits: " + v);
    }
}
