package org.vnetlab.emulator.stack;

import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/**
 * An asynchronous socket error: the errno the application sees and, when an ICMP error caused it, what
 * {@code ping} or {@code traceroute} read from the error queue (IP_RECVERR): type, code, the address that
 * sent it and the info field (next-hop MTU for fragmentation needed).
 */
public record SocketError(Errno errno, Optional<Icmp> icmp) {

    /** The ICMP error behind a socket error. */
    public record Icmp(int type, int code, Ipv4Address from, int info) { }

    public static SocketError of(Errno errno) { return new SocketError(errno, Optional.empty()); }

    public static SocketError icmp(Errno errno, int type, int code, Ipv4Address from, int info) {
        return new SocketError(errno, Optional.of(new Icmp(type, code, from, info)));
    }

    /** icmp_err_convert: the errno of a destination-unreachable code, and whether it is a hard error. */
    static Errno unreachableErrno(int code) {
        return switch (code) {
            case 0, 6, 9, 11 -> Errno.ENETUNREACH;
            case 2 -> Errno.ENOPROTOOPT;
            case 3 -> Errno.ECONNREFUSED;
            case 4 -> Errno.EMSGSIZE;
            case 5 -> Errno.EOPNOTSUPP;
            case 7 -> Errno.EHOSTDOWN;
            case 8 -> Errno.ENONET;
            default -> Errno.EHOSTUNREACH;
        };
    }

    /** icmp_err_convert[code].fatal: errors a connected UDP socket reports without IP_RECVERR. */
    static boolean unreachableIsHard(int code) {
        return switch (code) {
            case 2, 3, 6, 7, 8, 9, 10, 13, 14, 15 -> true;
            default -> false;
        };
    }

    @Override
    public String toString() {
        return errno + icmp.map(i -> " (ICMP type " + i.type() + " code " + i.code() + " from " + i.from() + ")").orElse("");
    }
}
