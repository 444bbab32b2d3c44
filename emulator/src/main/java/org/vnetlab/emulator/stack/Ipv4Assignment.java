package org.vnetlab.emulator.stack;

import java.util.Objects;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.iface.InterfaceAddress;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.RouteScope;
import org.vnetlab.protocols.Ipv4Address;

/**
 * An IPv4 address on an interface, as {@code ip addr add ADDR/LEN brd BRD scope SCOPE dev DEV} makes it.
 * Whether it is primary or secondary is the stack's business: the kernel makes an address secondary when
 * the interface already has one in the same subnet.
 */
public record Ipv4Assignment(Ipv4Address address, int prefixLength, Optional<Ipv4Address> broadcast,
                             RouteScope scope, boolean noPrefixRoute) {
    public Ipv4Assignment {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(broadcast, "broadcast");
        Objects.requireNonNull(scope, "scope");
        if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("prefix length " + prefixLength);
    }

    /** {@code ip addr add A/L brd + dev D}: global scope, directed broadcast derived (none for /31 and /32). */
    public static Ipv4Assignment of(Ipv4Address address, int prefixLength) {
        Ipv4Prefix net = Ipv4Prefix.containing(address, prefixLength);
        Optional<Ipv4Address> brd = prefixLength < 31 ? Optional.of(net.broadcast()) : Optional.empty();
        RouteScope scope = address.isLoopback() ? RouteScope.HOST : RouteScope.GLOBAL;
        return new Ipv4Assignment(address, prefixLength, brd, scope, false);
    }

    /** {@code 192.168.122.1/24}. */
    public static Ipv4Assignment parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) return of(Ipv4Address.parse(cidr), 32);
        return of(Ipv4Address.parse(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
    }

    /** From hostconf's parsed {@code ip addr} line. Point-to-point peers are not supported and refused. */
    public static Ipv4Assignment from(InterfaceAddress a) {
        if (a.peer().isPresent()) {
            throw new IllegalArgumentException("point-to-point address " + a.brief() + " (peer) is not supported by the stack");
        }
        RouteScope scope = a.scope().orElse(a.address().isLoopback() ? RouteScope.HOST : RouteScope.GLOBAL);
        return new Ipv4Assignment(a.address(), a.prefixLength(), a.broadcast(), scope, a.noPrefixRoute());
    }

    public Ipv4Prefix network() { return Ipv4Prefix.containing(address, prefixLength); }

    public boolean sameSubnet(Ipv4Address other) { return network().contains(other); }

    @Override
    public String toString() { return address + "/" + prefixLength; }
}
