package org.vnetlab.emulator.hostconf.resolv;

import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.text.NotedLine;

/**
 * A resolv.conf as glibc's resolver reads it.
 *
 * @param nameservers every nameserver line, used or not
 * @param search      the search list in effect: the last {@code search} or {@code domain} line wins;
 *                    {@code search .} (systemd-resolved's "no search domains") is kept as ".")
 * @param domain      the last {@code domain} line's value, if that line is the one in effect
 * @param options     resolver options
 * @param sortlist    {@code sortlist} words, kept
 * @param managedBy   the tool that generated the file
 * @param ignored     lines glibc ignores (unknown keywords, leading blanks, empty values), with the reason
 */
public record ResolvConf(List<Nameserver> nameservers, List<String> search, Optional<String> domain,
                         ResolverOptions options, List<String> sortlist, ResolvManager managedBy, List<NotedLine> ignored) {
    /** glibc's MAXNS: nameservers after the third valid one are not used. */
    public static final int MAXNS = 3;
    public static final String SYSTEMD_STUB = "127.0.0.53";

    public ResolvConf {
        nameservers = List.copyOf(nameservers);
        search = List.copyOf(search);
        sortlist = List.copyOf(sortlist);
        ignored = List.copyOf(ignored);
    }

    /** The servers glibc queries, in order (at most three). */
    public List<String> usedNameservers() {
        return nameservers.stream().filter(Nameserver::used).map(Nameserver::address).toList();
    }

    /**
     * What glibc actually queries: the used nameservers, or the local host (127.0.0.1) when the file names
     * none — which is also what dnsmasq falls back to.
     */
    public List<String> effectiveNameservers() {
        List<String> used = usedNameservers();
        return used.isEmpty() ? List.of("127.0.0.1") : used;
    }

    /**
     * True when every query goes to systemd-resolved's local stub (127.0.0.53): fine for host processes, but a
     * forwarder that copies these servers elsewhere — or a host whose resolved is not running — gets nothing.
     */
    public boolean isSystemdResolvedStub() {
        List<String> used = usedNameservers();
        return !used.isEmpty() && used.stream().allMatch(SYSTEMD_STUB::equals);
    }

    /** Loopback servers only (127.0.0.0/8 or ::1): reachable from the host itself, not from a guest. */
    public boolean onlyLoopbackServers() {
        List<String> used = effectiveNameservers();
        return used.stream().allMatch(a -> a.startsWith("127.") || a.equals("::1"));
    }
}
