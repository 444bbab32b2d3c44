package org.vnetlab.emulator.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.link.NetDevice;
import org.vnetlab.protocols.Ipv4Address;

/**
 * One interface of a stack: the device, its ifindex and its IPv4 addresses in the kernel's order (primary
 * addresses before the secondaries that share their subnet). The address list is replaced, not edited, when
 * an address is added or removed.
 */
public final class StackInterface {
    private final NetDevice device;
    private final int index;
    private List<Ipv4Assignment> addresses = List.of();

    StackInterface(NetDevice device, int index) {
        this.device = device;
        this.index = index;
    }

    public NetDevice device() { return device; }

    public String name() { return device.name(); }

    public int index() { return index; }

    public boolean isLoopback() { return device instanceof LoopbackDevice; }

    /** All addresses, primaries first within each subnet, in the order added. */
    public List<Ipv4Assignment> addresses() { return addresses; }

    /** True for an address the kernel lists as secondary (another address of its subnet came first). */
    public boolean isSecondary(Ipv4Assignment a) {
        for (Ipv4Assignment b : addresses) {
            if (b == a) return false;
            if (b.prefixLength() == a.prefixLength() && b.network().equals(a.network())) return true;
        }
        return false;
    }

    public List<Ipv4Assignment> primaryAddresses() {
        List<Ipv4Assignment> out = new ArrayList<>();
        for (Ipv4Assignment a : addresses) if (!isSecondary(a)) out.add(a);
        return out;
    }

    public boolean hasAddress(Ipv4Address ip) {
        for (Ipv4Assignment a : addresses) if (a.address().equals(ip)) return true;
        return false;
    }

    public Optional<Ipv4Assignment> assignment(Ipv4Address ip) {
        for (Ipv4Assignment a : addresses) if (a.address().equals(ip)) return Optional.of(a);
        return Optional.empty();
    }

    void add(Ipv4Assignment a) {
        List<Ipv4Assignment> l = new ArrayList<>(addresses);
        l.add(a);
        addresses = List.copyOf(l);
    }

    boolean remove(Ipv4Address ip) {
        List<Ipv4Assignment> l = new ArrayList<>(addresses);
        boolean removed = l.removeIf(a -> a.address().equals(ip));
        addresses = List.copyOf(l);
        return removed;
    }

    /**
     * inet_select_addr: the primary address of scope at most {@code maxScope} in the same subnet as
     * {@code towards} (when given), else the first such primary address.
     */
    public Optional<Ipv4Address> selectAddress(Optional<Ipv4Address> towards, int maxScope) {
        Ipv4Address first = null;
        for (Ipv4Assignment a : primaryAddresses()) {
            if (a.scope().value() > maxScope) continue;
            if (towards.isPresent() && a.sameSubnet(towards.get())) return Optional.of(a.address());
            if (first == null) first = a.address();
        }
        return Optional.ofNullable(first);
    }

    @Override
    public String toString() { return index + ": " + name() + " " + addresses; }
}
