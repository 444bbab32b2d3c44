package org.vnetlab.emulator.hostconf.resolv;

import java.util.List;

/**
 * The {@code options} glibc applies: ndots (default 1, at most 15), timeout seconds (default 5, at most 30),
 * attempts (default 2, at most 5), and flags (rotate, edns0, single-request, single-request-reopen, use-vc,
 * no-tld-query, trust-ad, no-aaaa, inet6, debug, no-check-names, no-reload). {@code written} keeps every
 * option word in order, including ones glibc ignores.
 */
public record ResolverOptions(int ndots, int timeout, int attempts, List<String> flags, List<String> written) {
    public static final ResolverOptions DEFAULTS = new ResolverOptions(1, 5, 2, List.of(), List.of());

    public ResolverOptions {
        flags = List.copyOf(flags);
        written = List.copyOf(written);
    }

    public boolean has(String flag) { return flags.contains(flag); }
}
