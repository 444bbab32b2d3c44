package org.vnetlab.emulator.hostconf.sysctl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.emulator.hostconf.text.NotedLine;

/**
 * The host's kernel parameters: an immutable, ordered key → value map (values as the kernel reads them
 * back, e.g. {@code "32768\t60999"}), plus which per-interface {@code net.ipv4.conf.DEV.*} entries the kernel
 * no longer refreshes from {@code conf.default} ("pinned").
 *
 * <p>Two ways to change it. {@link #with} stores a value as given (loading a dump). {@link #write} is what
 * {@code sysctl -w} does to the kernel: check the key exists, validate the value, and apply the side
 * effects — an {@code ip_forward} (= {@code conf.all.forwarding}) change sets {@code conf.default.forwarding}
 * and every interface's {@code forwarding} and flips {@code conf.all.accept_redirects}; a
 * {@code conf.default.X} write (X other than forwarding) is copied to every interface whose X is not pinned.
 * The kernel pins an interface's X when X is written for it, and pins every setting of an interface once an
 * IPv4 address is added to it (devinet.c ipv4_devconf_setall) — so on a real host a later
 * {@code conf.default.rp_filter} write does not reach virbr0 or the uplink. Verified on Linux 6.18.
 */
public final class Sysctls {
    private final Map<String, String> values;
    private final Set<String> pinned;
    private final List<NotedLine> noted;

    private Sysctls(Map<String, String> values, Set<String> pinned, List<NotedLine> noted) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.pinned = Set.copyOf(pinned);
        this.noted = List.copyOf(noted);
    }

    public static Sysctls empty() { return new Sysctls(Map.of(), Set.of(), List.of()); }

    /** A state holding exactly {@code values} (canonical keys), e.g. a parsed dump. */
    public static Sysctls of(Map<String, String> values, List<NotedLine> noted) {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(SysctlKeys.canonical(k), v));
        return new Sysctls(m, Set.of(), noted);
    }

    /**
     * A freshly booted Linux 6.18: every emulated key at its default, with {@code net.ipv4.conf.DEV.*} for
     * {@code lo} and each of {@code interfaces} (copied from {@code conf.default}); the net.bridge keys only when
     * br_netfilter is loaded.
     */
    public static Sysctls kernelDefaults(List<String> interfaces, boolean brNetfilterLoaded) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> devices = new ArrayList<>(List.of("all", "default", "lo"));
        for (String i : interfaces) if (!devices.contains(i)) devices.add(i);
        for (SysctlSpec s : SysctlCatalogue.specs()) {
            if (s.isDeviceKey()) {
                String name = s.pattern().substring("net.ipv4.conf.*.".length());
                for (String d : devices) m.put(SysctlKeys.conf(d, name), d.equals("all") ? s.allDefault() : s.deviceDefault());
            } else if (brNetfilterLoaded || !SysctlCatalogue.needsBrNetfilter(s.pattern())) {
                m.put(s.pattern(), s.allDefault());
            }
        }
        return new Sysctls(m, Set.of(), List.of());
    }

    /** The value as the kernel reads it back; empty if the key is not in this state. */
    public Optional<String> get(String key) { return Optional.ofNullable(values.get(SysctlKeys.canonical(key))); }

    /**
     * What {@code sysctl KEY} reads: this state's value, else the kernel default of a key the kernel has (a
     * dump that lists only some keys, like /etc/sysctl.conf or a filtered sysctl -a, leaves the rest at their
     * defaults); empty when the file does not exist.
     */
    public Optional<String> read(String key) {
        String k = SysctlKeys.canonical(key);
        String v = values.get(k);
        if (v != null) return Optional.of(v);
        return exists(k) ? Optional.of(raw(k)) : Optional.empty();
    }

    public boolean has(String key) { return values.containsKey(SysctlKeys.canonical(key)); }

    /** All keys in order (a dump's order; later additions at the end). */
    public List<String> keys() { return List.copyOf(values.keySet()); }

    public Map<String, String> asMap() { return values; }

    /** Lines the parser noted (stderr lines of sysctl -a pasted along, prompts). */
    public List<NotedLine> noted() { return noted; }

    /** Keys vnetlab does not know for Linux 6.18 (typos, removed keys): worth a warning to the user. */
    public List<String> unknownKeys() {
        return values.keySet().stream().filter(k -> SysctlCatalogue.classify(k) == SysctlCatalogue.Kind.UNKNOWN).toList();
    }

    /** Stores {@code value} under {@code key} as is, no validation or side effects (loading a dump or a file). */
    public Sysctls with(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(values);
        m.put(SysctlKeys.canonical(key), value);
        return new Sysctls(m, pinned, noted);
    }

    /** An integer key's value, falling back to the catalogue's default when this state lacks the key. */
    public int intValue(String key) {
        String k = SysctlKeys.canonical(key);
        String v = raw(k);
        return KernelInts.parse(v, 1).map(l -> l.get(0).intValue())
                .orElseThrow(() -> new IllegalStateException(k + " = '" + v + "' is not an integer"));
    }

    long[] intVector(String key) {
        String v = raw(key);
        List<Long> l = KernelInts.parse(v, 8).orElseThrow(() -> new IllegalStateException(key + " = '" + v + "'"));
        return l.stream().mapToLong(Long::longValue).toArray();
    }

    private String raw(String k) {
        String v = values.get(k);
        if (v != null) return v;
        String dev = SysctlKeys.confDevice(k);
        SysctlSpec s = SysctlCatalogue.spec(k).orElseThrow(() -> new IllegalArgumentException("no value for " + k));
        return dev != null && dev.equals("all") ? s.allDefault() : s.deviceDefault();
    }

    /**
     * The setting as the kernel applies it on {@code device} for {@code name} (e.g. {@code rp_filter}):
     * conf.all and conf.DEV combined as {@link Combine} says.
     */
    public int effective(String name, String device) {
        String key = SysctlKeys.conf(device, name);
        SysctlSpec s = SysctlCatalogue.spec(key).orElseThrow(() -> new IllegalArgumentException("not an emulated conf key: " + name));
        int all = intValue(SysctlKeys.conf("all", name));
        int dev = intValue(key);
        switch (s.combine().orElseThrow()) {
            case DEVICE: return dev;
            case OR: return (all != 0 || dev != 0) ? 1 : 0;
            case AND: return (all != 0 && dev != 0) ? 1 : 0;
            case MAX: return Math.max(all, dev);
            case ACCEPT_REDIRECTS:
                return forwarding(device) ? (all != 0 && dev != 0 ? 1 : 0) : (all != 0 || dev != 0 ? 1 : 0);
            default: throw new IllegalStateException();
        }
    }

    /** Whether {@code device} forwards IPv4 (its own conf.DEV.forwarding; ip_forward sets all of them). */
    public boolean forwarding(String device) { return intValue(SysctlKeys.conf(device, "forwarding")) != 0; }

    /** br_netfilter's keys are present, so bridged IPv4 traverses iptables when bridge-nf-call-iptables is 1. */
    public boolean brNetfilterLoaded() { return values.keySet().stream().anyMatch(SysctlCatalogue::needsBrNetfilter); }

    /** Interfaces with net.ipv4.conf.DEV.* entries, in order (not all/default). */
    public List<String> devices() {
        Set<String> d = new LinkedHashSet<>();
        for (String k : values.keySet()) {
            String dev = SysctlKeys.confDevice(k);
            if (dev != null && !dev.equals("all") && !dev.equals("default")) d.add(dev.replace('/', '.'));
        }
        return List.copyOf(d);
    }

    /** The kernel registering a new interface: its conf.DEV.* start as copies of conf.default.*. */
    public Sysctls withDevice(String device) {
        Map<String, String> m = new LinkedHashMap<>(values);
        for (Map.Entry<String, String> e : values.entrySet()) {
            if ("default".equals(SysctlKeys.confDevice(e.getKey()))) {
                m.putIfAbsent(SysctlKeys.conf(device, SysctlKeys.confName(e.getKey())), e.getValue());
            }
        }
        return new Sysctls(m, pinned, noted);
    }

    /** An IPv4 address was added to {@code device}: from now on conf.default writes no longer reach it. */
    public Sysctls withDevicePinned(String device) {
        Set<String> p = new LinkedHashSet<>(pinned);
        for (String k : values.keySet()) {
            String dev = SysctlKeys.confDevice(k);
            if (dev != null && dev.replace('/', '.').equals(device)) p.add(k);
        }
        return new Sysctls(values, p, noted);
    }

    /** True when the kernel would not copy conf.default's value to this per-interface key. */
    public boolean isPinned(String key) { return pinned.contains(SysctlKeys.canonical(key)); }

    /**
     * Whether a write to {@code key} would find the file: present in this state, or (for a state that is not
     * a full dump) a key the catalogue knows outside net.bridge, on all/default or an interface this state has.
     */
    public boolean exists(String key) {
        String k = SysctlKeys.canonical(key);
        if (values.containsKey(k)) return true;
        SysctlCatalogue.Kind kind = SysctlCatalogue.classify(k);
        if (kind == SysctlCatalogue.Kind.UNKNOWN) return false;
        if (SysctlCatalogue.needsBrNetfilter(k)) return false;
        String dev = SysctlKeys.confDevice(k);
        if (dev != null) return dev.equals("all") || dev.equals("default") || devices().contains(dev.replace('/', '.'));
        return true;
    }

    /** {@code sysctl -w key=value} against the kernel: see the class comment. */
    public SysctlWrite write(String key, String value) {
        String k = SysctlKeys.canonical(key);
        if (!exists(k)) {
            return new SysctlWrite.Refused(k, SysctlWrite.Reason.NO_SUCH_KEY,
                    "cannot stat " + SysctlKeys.procPath(k) + ": No such file or directory");
        }
        Optional<SysctlSpec> spec = SysctlCatalogue.spec(k);
        String stored;
        if (spec.isPresent()) {
            Optional<String> accepted = spec.get().rule().accept(value, this);
            if (accepted.isEmpty()) {
                return new SysctlWrite.Refused(k, SysctlWrite.Reason.INVALID_VALUE, "setting key \"" + k + "\": Invalid argument");
            }
            stored = accepted.get();
        } else {
            stored = keptValue(k, value);
        }
        Map<String, String> m = new LinkedHashMap<>(values);
        Set<String> p = new LinkedHashSet<>(pinned);
        List<String> changed = new ArrayList<>();
        String name = SysctlKeys.confName(k);
        String dev = SysctlKeys.confDevice(k);
        boolean isAllForwarding = k.equals("net.ipv4.ip_forward") || k.equals("net.ipv4.conf.all.forwarding");
        if (isAllForwarding) {
            String old = raw("net.ipv4.ip_forward");
            put(m, changed, "net.ipv4.ip_forward", stored);
            put(m, changed, "net.ipv4.conf.all.forwarding", stored);
            if (!old.equals(stored)) {
                // devinet.c inet_forward_change: runs only when the value changed
                boolean on = Integer.parseInt(stored) != 0;
                put(m, changed, "net.ipv4.conf.all.accept_redirects", on ? "0" : "1");
                put(m, changed, "net.ipv4.conf.default.forwarding", stored);
                for (String d : devices()) put(m, changed, SysctlKeys.conf(d, "forwarding"), stored);
            }
        } else {
            put(m, changed, k, stored);
            if (dev != null && dev.equals("default") && !name.equals("forwarding")) {
                // devinet_copy_dflt_conf: to every interface that has not pinned this setting
                for (String d : devices()) {
                    String dk = SysctlKeys.conf(d, name);
                    if (!pinned.contains(dk)) put(m, changed, dk, stored);
                }
            } else if (dev != null && !dev.equals("all") && !dev.equals("default")) {
                p.add(k);
            }
        }
        changed.remove(k);
        changed.add(0, k);
        return new SysctlWrite.Written(new Sysctls(m, p, noted), k, stored, changed);
    }

    /**
     * A key vnetlab does not emulate is kept as written (the kernel's check is unknown), except that where
     * the current value is a tab-separated int vector (ping_group_range) the kernel's read-back format is used.
     */
    private String keptValue(String k, String value) {
        String cur = values.get(k);
        if (cur != null && cur.contains("\t")) {
            int count = cur.split("\t", -1).length;
            Optional<List<Long>> ints = KernelInts.parse(value, count);
            if (ints.isPresent() && ints.get().size() == count && KernelInts.parse(cur, count).isPresent()) {
                return String.join("\t", ints.get().stream().map(String::valueOf).toList());
            }
        }
        return value.strip();
    }

    private static void put(Map<String, String> m, List<String> changed, String k, String v) {
        if (!v.equals(m.get(k)) && !changed.contains(k)) changed.add(k);
        m.put(k, v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sysctls s && s.values.equals(values) && s.pinned.equals(pinned);
    }

    @Override
    public int hashCode() { return values.hashCode(); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> {
            for (String line : v.split("\n", -1)) sb.append(k).append(" = ").append(line).append('\n');
        });
        return sb.toString();
    }
}
