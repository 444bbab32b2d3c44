package org.vnetlab.emulator.hostconf.sysctl;

import java.util.List;
import java.util.Optional;

/** How the kernel validates a write to one key; {@code accept} gives the value as it reads back, or empty (EINVAL). */
public sealed interface ValueRule {
    Optional<String> accept(String written, Sysctls state);

    /** {@code proc_dointvec(_minmax)}: one int, optionally within [min, max]. */
    record IntRule(long min, long max) implements ValueRule {
        static final IntRule ANY = new IntRule(Integer.MIN_VALUE, Integer.MAX_VALUE);
        static final IntRule BOOL = new IntRule(0, 1);

        @Override
        public Optional<String> accept(String written, Sysctls state) {
            return KernelInts.parse(written, 1).map(l -> l.get(0)).filter(v -> v >= min && v <= max).map(String::valueOf);
        }
    }

    /**
     * {@code net.ipv4.ip_local_port_range}: two ports in 1..65535, low not above high and not below
     * {@code ip_unprivileged_port_start}; a single number changes the low end only. Reads back tab-separated.
     */
    record PortRangeRule() implements ValueRule {
        @Override
        public Optional<String> accept(String written, Sysctls state) {
            Optional<List<Long>> v = KernelInts.parse(written, 2);
            if (v.isEmpty()) return Optional.empty();
            long[] cur = state.intVector("net.ipv4.ip_local_port_range");
            long low = v.get().get(0);
            long high = v.get().size() > 1 ? v.get().get(1) : cur[1];
            if (low < 1 || high > 65535 || high < 1 || low > 65535) return Optional.empty();
            if (high < low || low < state.intValue("net.ipv4.ip_unprivileged_port_start")) return Optional.empty();
            return Optional.of(low + "\t" + high);
        }
    }

    /** {@code net.ipv4.ip_unprivileged_port_start}: 0..65535 and not above the local port range's low end. */
    record UnprivilegedPortRule() implements ValueRule {
        @Override
        public Optional<String> accept(String written, Sysctls state) {
            Optional<Long> v = KernelInts.parse(written, 1).map(l -> l.get(0)).filter(x -> x >= 0 && x <= 65535);
            if (v.isEmpty()) return Optional.empty();
            if (v.get() > state.intVector("net.ipv4.ip_local_port_range")[0]) return Optional.empty();
            return Optional.of(String.valueOf(v.get()));
        }
    }

    /**
     * Keys the kernel shows but does not let you change (nf_conntrack_count; nf_conntrack_buckets and
     * nf_conntrack_max outside the initial namespace). procps-ng 4.0.2 reports "Invalid argument" for them.
     */
    record ReadOnlyRule() implements ValueRule {
        @Override
        public Optional<String> accept(String written, Sysctls state) { return Optional.empty(); }
    }

    /**
     * {@code ipfrag_high_thresh} / {@code ipfrag_low_thresh} (proc_doulongvec_minmax): a non-negative number,
     * high not below low and low not above high (each bounds the other).
     */
    record FragThreshRule(boolean high) implements ValueRule {
        @Override
        public Optional<String> accept(String written, Sysctls state) {
            Optional<Long> v = KernelInts.parse(written, 1).map(l -> l.get(0)).filter(x -> x >= 0);
            if (v.isEmpty()) return Optional.empty();
            if (high && v.get() < state.intValue("net.ipv4.ipfrag_low_thresh")) return Optional.empty();
            if (!high && v.get() > state.intValue("net.ipv4.ipfrag_high_thresh")) return Optional.empty();
            return Optional.of(String.valueOf(v.get()));
        }
    }
}
