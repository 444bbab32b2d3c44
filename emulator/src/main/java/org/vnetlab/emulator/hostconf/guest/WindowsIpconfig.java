package org.vnetlab.emulator.hostconf.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.text.NotedLine;
import org.vnetlab.protocols.Ipv4Address;

/**
 * A Windows guest's {@code ipconfig} or {@code ipconfig /all}.
 *
 * @param detailed   true for /all output (host section, Physical Address, DHCP details)
 * @param global     the host section of /all (Host Name, Node Type, …); empty for plain ipconfig
 * @param adapters   adapter blocks in order
 * @param noted      prompt lines and the like that were recognised and left out
 */
public record WindowsIpconfig(boolean detailed, List<IpconfigField> global, List<IpconfigAdapter> adapters,
                              List<NotedLine> noted) implements GuestNetConfig {
    public WindowsIpconfig {
        global = List.copyOf(global);
        adapters = List.copyOf(adapters);
        noted = List.copyOf(noted);
    }

    public Optional<IpconfigAdapter> adapter(String name) {
        return adapters.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    public Optional<String> hostName() {
        return global.stream().filter(f -> f.label().equals("Host Name")).findFirst().map(IpconfigField::first);
    }

    @Override
    public List<GuestAddress> ipv4Addresses() {
        List<GuestAddress> out = new ArrayList<>();
        for (IpconfigAdapter a : adapters) if (!a.mediaDisconnected()) out.addAll(a.addresses());
        return out;
    }

    @Override
    public Optional<Ipv4Address> defaultGateway() {
        return adapters.stream().filter(a -> !a.mediaDisconnected()).map(IpconfigAdapter::ipv4Gateway)
                .flatMap(Optional::stream).findFirst();
    }

    /** DNS servers of all connected adapters; plain ipconfig does not print them, so it gives none. */
    @Override
    public List<String> dnsServers() {
        List<String> out = new ArrayList<>();
        for (IpconfigAdapter a : adapters) if (!a.mediaDisconnected()) out.addAll(a.dnsServers());
        return out;
    }
}
