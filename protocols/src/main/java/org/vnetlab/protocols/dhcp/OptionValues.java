package org.vnetlab.protocols.dhcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/** Value checks and byte conversions shared by the option records; decoding of known codes. */
final class OptionValues {
    private OptionValues() {}

    static Optional<DhcpOption> decodeKnown(int code, byte[] v) {
        int n = v.length;
        DhcpOption typed = switch (code) {
            case DhcpOption.SubnetMask.CODE -> n == 4 ? new DhcpOption.SubnetMask(Ipv4Address.of(v)) : null;
            case DhcpOption.Router.CODE -> {
                List<Ipv4Address> list = addressesOrNull(v);
                yield list == null ? null : new DhcpOption.Router(list);
            }
            case DhcpOption.DomainNameServer.CODE -> {
                List<Ipv4Address> list = addressesOrNull(v);
                yield list == null ? null : new DhcpOption.DomainNameServer(list);
            }
            case DhcpOption.HostName.CODE -> new DhcpOption.HostName(text(v));
            case DhcpOption.DomainName.CODE -> new DhcpOption.DomainName(text(v));
            case DhcpOption.BroadcastAddress.CODE -> n == 4 ? new DhcpOption.BroadcastAddress(Ipv4Address.of(v)) : null;
            case DhcpOption.RequestedIpAddress.CODE -> n == 4 ? new DhcpOption.RequestedIpAddress(Ipv4Address.of(v)) : null;
            case DhcpOption.LeaseTime.CODE -> n == 4 ? new DhcpOption.LeaseTime(u32(v)) : null;
            case DhcpOption.OptionOverload.CODE -> n == 1 && v[0] >= 1 && v[0] <= 3 ? new DhcpOption.OptionOverload(v[0]) : null;
            case DhcpOption.MessageType.CODE -> n == 1 ? new DhcpOption.MessageType(DhcpMessageType.of(v[0] & 0xff)) : null;
            case DhcpOption.ServerIdentifier.CODE -> n == 4 ? new DhcpOption.ServerIdentifier(Ipv4Address.of(v)) : null;
            case DhcpOption.ParameterRequestList.CODE -> {
                List<Integer> codes = new ArrayList<>(n);
                for (byte b : v) codes.add(b & 0xff);
                yield new DhcpOption.ParameterRequestList(codes);
            }
            case DhcpOption.Message.CODE -> new DhcpOption.Message(text(v));
            case DhcpOption.MaxMessageSize.CODE -> n == 2 ? new DhcpOption.MaxMessageSize((v[0] & 0xff) << 8 | (v[1] & 0xff)) : null;
            case DhcpOption.RenewalTime.CODE -> n == 4 ? new DhcpOption.RenewalTime(u32(v)) : null;
            case DhcpOption.RebindingTime.CODE -> n == 4 ? new DhcpOption.RebindingTime(u32(v)) : null;
            case DhcpOption.VendorClassId.CODE -> new DhcpOption.VendorClassId(text(v));
            case DhcpOption.ClientIdentifier.CODE ->
                    n >= 1 ? new DhcpOption.ClientIdentifier(v[0] & 0xff, Arrays.copyOfRange(v, 1, n)) : null;
            case DhcpOption.ClientFqdn.CODE -> clientFqdn(v);
            default -> null;
        };
        return Optional.ofNullable(typed);
    }

    private static DhcpOption clientFqdn(byte[] v) {
        if (v.length < 3) return null;
        int flags = v[0] & 0xff;
        byte[] name = Arrays.copyOfRange(v, 3, v.length);
        String text;
        if ((flags & DhcpOption.ClientFqdn.FLAG_E) != 0) {
            text = fromWireName(name);
            if (text == null) return null;
        } else {
            text = text(name);
        }
        return new DhcpOption.ClientFqdn(flags, v[1] & 0xff, v[2] & 0xff, text);
    }

    /** RFC 4702 names are uncompressed labels, optionally ended by the root label (then shown with a final '.'). */
    private static String fromWireName(byte[] b) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < b.length) {
            int len = b[i] & 0xff;
            if (len == 0) {
                if (i != b.length - 1) return null; // bytes after the root label
                return sb.length() == 0 ? "." : sb.append('.').toString();
            }
            if (len > 63 || i + 1 + len > b.length) return null;
            String label = new String(b, i + 1, len, StandardCharsets.ISO_8859_1);
            if (label.indexOf('.') >= 0) return null; // not representable as dotted text
            if (sb.length() > 0) sb.append('.');
            sb.append(label);
            i += 1 + len;
        }
        return sb.toString();
    }

    static byte[] wireName(String name) {
        if (name.isEmpty()) return new byte[0];
        if (name.equals(".")) return new byte[] {0};
        boolean absolute = name.endsWith(".");
        String[] labels = (absolute ? name.substring(0, name.length() - 1) : name).split("\\.", -1);
        int size = absolute ? 1 : 0;
        for (String l : labels) {
            if (l.isEmpty() || l.length() > 63) throw new IllegalArgumentException("not a DNS name: '" + name + "'");
            size += 1 + l.length();
        }
        byte[] out = new byte[size];
        int i = 0;
        for (String l : labels) {
            out[i++] = (byte) l.length();
            byte[] lb = l.getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(lb, 0, out, i, lb.length);
            i += lb.length;
        }
        return out; // a trailing root label, if any, is the final zero already in place
    }

    private static List<Ipv4Address> addressesOrNull(byte[] v) {
        if (v.length == 0 || v.length % 4 != 0) return null;
        List<Ipv4Address> out = new ArrayList<>(v.length / 4);
        for (int i = 0; i < v.length; i += 4) out.add(Ipv4Address.of(Arrays.copyOfRange(v, i, i + 4)));
        return out;
    }

    static byte[] addresses(List<Ipv4Address> list) {
        byte[] b = new byte[4 * list.size()];
        for (int i = 0; i < list.size(); i++) System.arraycopy(list.get(i).toBytes(), 0, b, 4 * i, 4);
        return b;
    }

    static List<Ipv4Address> addressList(List<Ipv4Address> list, String what) {
        List<Ipv4Address> copy = List.copyOf(list);
        if (copy.isEmpty()) throw new IllegalArgumentException(what + " must not be empty");
        return copy;
    }

    private static String text(byte[] v) { return new String(v, StandardCharsets.ISO_8859_1); }

    private static long u32(byte[] v) {
        return ((v[0] & 0xffL) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff);
    }

    static byte[] u32Bytes(long x) {
        return new byte[] {(byte) (x >>> 24), (byte) (x >>> 16), (byte) (x >>> 8), (byte) x};
    }

    static void require(Object o, String what) {
        if (o == null) throw new IllegalArgumentException(what + " must not be null");
    }

    static void latin1(String s, String what) {
        require(s, what);
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) throw new IllegalArgumentException(what + " has a character outside ISO-8859-1: '" + s + "'");
        }
    }

    static void u8(int x, String what) {
        if (x < 0 || x > 0xff) throw new IllegalArgumentException(what + " out of 0..255: " + x);
    }

    static void u16(int x, String what) {
        if (x < 0 || x > 0xffff) throw new IllegalArgumentException(what + " out of 0..65535: " + x);
    }

    static void u32(long x, String what) {
        if (x < 0 || x > 0xffff_ffffL) throw new IllegalArgumentException(what + " out of 0..4294967295: " + x);
    }
}
